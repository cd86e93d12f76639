/**
 * Pagila PostgreSQL → PostgreSQL with rules/pagila.yaml, through the CLI as a user runs it, on the
 * real server: counts, kept columns byte-identical, masked columns changed, keys, determinism.
 */
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadRules } from '@masque/core';
import { createPagilaSource, createPagilaTarget, psql, repoRoot, type TestDatabase } from './support/databases.ts';
import { pgBrokenForeignKeys, pgColumn, pgColumnsMd5, pgRowCounts } from './support/pg-checks.ts';
import { runCli } from './support/run-cli.ts';

const rulesFile = join(repoRoot, 'rules/pagila.yaml');
let source: TestDatabase;
let target: TestDatabase;

const env = (secret: string): Record<string, string> => ({
  MASQUE_SOURCE_URL: source.url,
  MASQUE_TARGET_URL: target.url,
  MASQUE_SECRET: secret,
});
const run = (secret: string, ...args: string[]) =>
  runCli(['run', '--config', rulesFile, '--log', 'json', ...args], env(secret));

/** Kept and masked columns per table, as the rules file says. */
function columnsByRule(): { table: string; kept: string[]; masked: string[] }[] {
  const rules = loadRules(rulesFile, { MASQUE_SOURCE_URL: 'x', MASQUE_TARGET_URL: 'x', MASQUE_SECRET: 'x' });
  return rules.tables.map((t) => ({
    table: t.pattern,
    kept: t.columns.filter((c) => c.transform === 'keep').map((c) => c.column),
    masked: t.columns.filter((c) => c.transform !== 'keep').map((c) => c.column),
  }));
}

/** md5 of every table's masked columns in the target, to compare runs. */
const maskedFingerprint = () =>
  columnsByRule()
    .filter((t) => t.masked.length)
    .map((t) => pgColumnsMd5(target.name, t.table, t.masked));

beforeAll(async () => {
  [source, target] = await Promise.all([createPagilaSource(), createPagilaTarget()]);
});
afterAll(async () => {
  await Promise.all([source?.drop(), target?.drop()]);
});

describe('Pagila PostgreSQL → PostgreSQL', () => {
  let firstRun: string[];

  it('runs and reports every table in JSON lines', () => {
    const result = run('secret-one');
    expect(result.stderr).toBe('');
    expect(result.status).toBe(0);
    const events = result.stdout
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l));
    const done = events.find((e) => e.type === 'done');
    expect(done.summary.rows).toBe(Object.values(pgRowCounts(source.name)).reduce((a, b) => a + b, 0));
    expect(done.summary.tables.map((t: { table: string }) => t.table)).toContain('public.payment');
    firstRun = maskedFingerprint();
  });

  it('copies every row of every table and partition', () => {
    const counts = pgRowCounts(target.name);
    expect(counts).toEqual(pgRowCounts(source.name));
    expect(Object.keys(counts).filter((t) => t.startsWith('public.payment_p'))).toHaveLength(7);
    expect(counts['public.payment_p2022_02']).toBeGreaterThan(0);
    expect(counts['public.rental']).toBe(16044);
  });

  it('keeps kept columns byte-identical', () => {
    for (const { table, kept } of columnsByRule()) {
      expect(pgColumnsMd5(target.name, table, kept), table).toBe(pgColumnsMd5(source.name, table, kept));
    }
  });

  it('keeps enum, domain, array, tsvector and JSONB columns intact', () => {
    const odd = ['rating', 'release_year', 'special_features', 'fulltext'];
    expect(pgColumnsMd5(target.name, 'public.film', odd)).toBe(pgColumnsMd5(source.name, 'public.film', odd));
    expect(pgColumn(target.name, 'public.film', 'special_features', 'film_id')[0]).toEqual([
      'Deleted Scenes',
      'Behind the Scenes',
    ]);
  });

  it('changes every masked column', () => {
    for (const { table, masked } of columnsByRule()) {
      for (const column of masked) {
        const before = pgColumn(source.name, table, column, '1');
        const after = pgColumn(target.name, table, column, '1');
        expect(after.length).toBe(before.length);
        // NULL and '' have nothing to mask.
        const maskable = (v: unknown) => v !== null && v !== '';
        const nonNull = before.filter(maskable).length;
        const same = before.filter((v, i) => maskable(v) && v === after[i]).length;
        // Date shifts and noise can land on the original value now and then; names and emails never.
        expect(same, `${table}.${column}`).toBeLessThanOrEqual(Math.floor(nonNull * 0.1));
      }
    }
    const emails = pgColumn(target.name, 'public.customer', 'email', 'customer_id') as string[];
    for (const email of emails) expect(email).toMatch(/^[^@\s]+@[^@\s]+\.[a-z]{2,}$/);
    const pictures = pgColumn(target.name, 'public.staff', 'picture', 'staff_id');
    expect(pictures.length).toBe(pgRowCounts(source.name)['public.staff']);
    expect(pictures.every((p) => p === null)).toBe(true);
  });

  it('leaves every foreign key intact and the sequences past the copied maximum', () => {
    expect(pgBrokenForeignKeys(target.name)).toEqual([]);
    const next = psql(target.name, [
      '-c',
      "SELECT nextval('public.customer_customer_id_seq') > (SELECT max(customer_id) FROM public.customer)",
    ]);
    expect(next.trim()).toBe('t');
    psql(target.name, ['-c', 'INSERT INTO public.packages_apt_postgresql_org (last_updated) VALUES (now())']);
  });

  it('replaces the data on a second run with the same secret: identical output, no duplicates', () => {
    const result = run('secret-one', '--quiet');
    expect(result.status).toBe(0);
    expect(pgRowCounts(target.name)).toEqual(pgRowCounts(source.name));
    expect(maskedFingerprint()).toEqual(firstRun);
  });

  it('gives different masked output under another secret', () => {
    expect(run('secret-two', '--quiet').status).toBe(0);
    const other = maskedFingerprint();
    for (const [i, md5] of firstRun.entries()) expect(other[i]).not.toBe(md5);
  });
});
