/**
 * Chinook MariaDB → MariaDB and SQLite → SQLite with rules/chinook.yaml, through the CLI, on the
 * real server and real files: counts, kept columns identical, masked columns changed and fitting
 * their columns, keys, determinism, a second run, bad input.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadRules } from '@masque/core';
import { repoRoot } from './support/databases.ts';
import { mariadb, sqlite, type EngineDb } from './support/engines.ts';
import { runCli } from './support/run-cli.ts';

const rulesFile = join(repoRoot, 'rules/chinook.yaml');
const rules = loadRules(rulesFile, { MASQUE_SOURCE_URL: 'x', MASQUE_TARGET_URL: 'x', MASQUE_SECRET: 'x' });
const keys: Record<string, string> = { PlaylistTrack: 'PlaylistId, TrackId' };
const orderOf = (table: string) => keys[table] ?? `${table}Id`;

/** Column lengths declared in Chinook's DDL for the masked text columns (the same on both engines). */
const declaredLength: Record<string, number> = {
  'Customer.FirstName': 40,
  'Customer.LastName': 20,
  'Customer.Company': 80,
  'Employee.FirstName': 20,
  'Employee.LastName': 20,
  Address: 70,
  City: 40,
  State: 40,
  Country: 40,
  PostalCode: 10,
  Phone: 24,
  Fax: 24,
  Email: 60,
  BillingAddress: 70,
  BillingCity: 40,
  BillingState: 40,
  BillingCountry: 40,
  BillingPostalCode: 10,
};
const lengthOf = (table: string, column: string) => declaredLength[`${table}.${column}`] ?? declaredLength[column];

describe.each([mariadb, sqlite])('Chinook $name → $name', (engine) => {
  let source: EngineDb;
  let target: EngineDb;
  const q = engine.quote;
  const run = (secret: string, config = rulesFile) =>
    runCli(['run', '--config', config, '--log', 'json'], {
      MASQUE_SOURCE_URL: source.url,
      MASQUE_TARGET_URL: target.url,
      MASQUE_SECRET: secret,
    });
  const select = (db: EngineDb, table: string, columns: string[]) =>
    db.query(
      `SELECT ${columns.map(q).join(', ')} FROM ${q(table)} ORDER BY ${orderOf(table).split(', ').map(q).join(', ')}`,
    );
  const counts = (db: EngineDb) =>
    Object.fromEntries(
      rules.tables.map((t) => [t.pattern, Number(db.query(`SELECT COUNT(*) FROM ${q(t.pattern)}`)[0]![0])]),
    );
  const masked = rules.tables
    .map((t) => ({ table: t.pattern, columns: t.columns.filter((c) => c.transform !== 'keep').map((c) => c.column) }))
    .filter((t) => t.columns.length);
  const fingerprint = () => JSON.stringify(masked.map((t) => select(target, t.table, t.columns)));
  let first: string;

  beforeAll(async () => {
    [source, target] = await Promise.all([engine.chinook('src'), engine.chinook('dst', { empty: true })]);
  });
  afterAll(async () => {
    await Promise.all([source?.drop(), target?.drop()]);
  });

  it('runs with the example rules', () => {
    const result = run('secret-one');
    expect(result.stderr).toBe('');
    expect(result.status).toBe(0);
    const done = result.stdout
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l))
      .find((e) => e.type === 'done');
    expect(done.summary.rows).toBe(15607);
    first = fingerprint();
  });

  it('copies every row of every table', () => {
    expect(counts(target)).toEqual(counts(source));
    expect(counts(target).InvoiceLine).toBe(2240);
  });

  it('keeps kept columns identical', () => {
    for (const table of rules.tables) {
      const kept = table.columns.filter((c) => c.transform === 'keep').map((c) => c.column);
      expect(select(target, table.pattern, kept), table.pattern).toEqual(select(source, table.pattern, kept));
    }
  });

  it('changes masked columns, and every value fits its column', () => {
    for (const { table, columns } of masked) {
      const before = select(source, table, columns);
      const after = select(target, table, columns);
      columns.forEach((column, c) => {
        const values = before.map((row) => row[c]).filter((v) => v !== null && v !== '');
        const same = before.filter((row, r) => row[c] !== null && row[c] === after[r]![c]).length;
        expect(same, `${table}.${column}`).toBeLessThanOrEqual(Math.floor(values.length * 0.1));
        const limit = lengthOf(table, column);
        if (limit)
          for (const row of after) expect([...(row[c] ?? '')].length, `${table}.${column}`).toBeLessThanOrEqual(limit);
      });
    }
  });

  it('leaves every foreign key intact, the self-reference too', () => {
    expect(target.brokenForeignKeys()).toEqual([]);
    expect(select(target, 'Employee', ['ReportsTo'])).toEqual(select(source, 'Employee', ['ReportsTo']));
  });

  it('replaces the data on a second run: identical output, no duplicates', () => {
    expect(run('secret-one').status).toBe(0);
    expect(counts(target)).toEqual(counts(source));
    expect(fingerprint()).toBe(first);
  });

  it('gives different output under another secret', () => {
    expect(run('secret-two').status).toBe(0);
    expect(fingerprint()).not.toBe(first);
  });

  it('refuses rules naming an unknown column: exit 1, nothing written', () => {
    const before = fingerprint();
    const broken = join(mkdtempSync(join(tmpdir(), 'masque-chinook-')), 'broken.yaml');
    writeFileSync(
      broken,
      `source: \${MASQUE_SOURCE_URL}\ntarget: \${MASQUE_TARGET_URL}\nsecret: x\nstrict: false\ntables:\n  Customer:\n    columns:\n      Emial: email\n`,
    );
    const result = run('secret-three', broken);
    expect(result.status).toBe(1);
    expect(result.stderr).toContain('Customer.Emial: no such column (did you mean Email?)');
    expect(fingerprint()).toBe(before);
  });
});
