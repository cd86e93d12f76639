/**
 * Secrets and personal data stay out of output: a Pagila run logged as JSON, its report, and the
 * output of check, verify and scan hold neither the secret nor any source value of a masked
 * column; errors about databases show URLs with the password as `***`.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadRules } from '@masque/core';
import { createPagilaSource, createPagilaTarget, psql, repoRoot, type TestDatabase } from './support/databases.ts';
import { runCli, type CliResult } from './support/run-cli.ts';

const secret = 'Tr0ub4dor&3-never-print-me';
const rulesFile = join(repoRoot, 'rules/pagila.yaml');
const folder = mkdtempSync(join(tmpdir(), 'masque-secrecy-'));
let source: TestDatabase;
let target: TestDatabase;
/** Every distinct source value of the masked text columns, four characters or longer. */
let personal: string[];

const env = () => ({ MASQUE_SOURCE_URL: source.url, MASQUE_TARGET_URL: target.url, MASQUE_SECRET: secret });
const output = (r: CliResult) => r.stdout + r.stderr;

/**
 * JSON output without its measurements: numbers (rows, bytes, seconds, rates) and times vary from
 * run to run and can hold a numeric source value (a postal code inside a byte count) by chance.
 * A value that leaks does so as text, and that stays.
 */
function withoutMeasurements(text: string): string {
  const drop = (key: string, value: unknown) =>
    typeof value === 'number' || /^(time|startedAt|finishedAt)$/.test(key) ? undefined : value;
  const strip = (json: string) => {
    try {
      return JSON.stringify(JSON.parse(json), drop);
    } catch {
      return json;
    }
  };
  return text.trim().startsWith('{') && !text.includes('\n{') ? strip(text) : text.split('\n').map(strip).join('\n');
}

/** Fails naming the first leaked value's column position, without printing the value itself. */
function expectNoSecrets(output: string): void {
  expect(output.includes(secret), 'the secret is in the output').toBe(false);
  const text = withoutMeasurements(output);
  const leaked = personal.findIndex((v) => text.includes(v));
  expect(leaked, `source value #${leaked} of the masked columns is in the output`).toBe(-1);
}

beforeAll(async () => {
  [source, target] = await Promise.all([createPagilaSource(), createPagilaTarget()]);
  const rules = loadRules(rulesFile, { MASQUE_SOURCE_URL: 'x', MASQUE_TARGET_URL: 'x', MASQUE_SECRET: 'x' });
  // Text columns replaced by a transformer; dates and amounts (dateShift, noise) are numbers that
  // could match a timing or a count in the log by chance.
  const masked = rules.tables.flatMap((t) =>
    t.columns
      .filter((c) => !['keep', 'null', 'dateShift', 'noise'].includes(c.transform))
      .map((c) => `SELECT ${c.column}::text FROM ${t.pattern}`),
  );
  personal = [
    ...new Set(
      psql(source.name, ['-c', masked.join(' UNION ')])
        .split('\n')
        .filter((v) => v.length >= 4),
    ),
  ];
});
afterAll(async () => {
  await Promise.all([source?.drop(), target?.drop()]);
  rmSync(folder, { recursive: true, force: true });
});

describe('nothing secret or personal in output', () => {
  it('has a meaningful list of personal values to look for', () => {
    expect(personal.length).toBeGreaterThan(3000);
    expect(personal).toEqual(expect.arrayContaining(['MARY.SMITH@sakilacustomer.org']));
  });

  it('a run logged as JSON lines, and its report', () => {
    const report = join(folder, 'report.json');
    const result = runCli(['run', '--config', rulesFile, '--log', 'json', '--report', report], env());
    expect(result.status, result.stderr).toBe(0);
    expect(result.stdout.split('\n').length).toBeGreaterThan(17);
    expectNoSecrets(output(result));
    expectNoSecrets(readFileSync(report, 'utf8'));
  });

  it('check, verify (also --deep) and scan', () => {
    for (const args of [
      ['check', '--log', 'json'],
      ['check', '--log', 'pretty'],
      ['verify', '--log', 'json', '--deep'],
      ['verify', '--log', 'pretty'],
    ]) {
      const result = runCli([...args, '--config', rulesFile], env());
      expect(result.status, `${args.join(' ')}: ${result.stderr}`).toBe(0);
      expectNoSecrets(output(result));
    }
    const scan = runCli(['scan', '--source', source.url]);
    expect(scan.status).toBe(0);
    expectNoSecrets(output(scan));
  });

  it('a failing verify names columns and counts, not the values it found', () => {
    const planted = personal.find((v) => v.endsWith('@sakilacustomer.org'))!;
    psql(target.name, ['-c', `UPDATE customer SET email = '${planted}' WHERE customer_id = 1`]);
    const result = runCli(['verify', '--config', rulesFile, '--log', 'pretty'], env());
    expect(result.status).toBe(1);
    expect(result.stdout).toContain('leak: public.customer.email: 1 row(s) hold 1 value(s)');
    expectNoSecrets(output(result));
  });
});

describe('passwords in database URLs are shown as ***', () => {
  const unreachable = [
    ['postgres://postgres:hunter2@127.0.0.1:5999/nowhere', 'postgres://postgres:***@127.0.0.1:5999/nowhere'],
    ['mysql://root:hunter2@127.0.0.1:3999/nowhere', 'mysql://root:***@127.0.0.1:3999/nowhere'],
  ];

  it.each(unreachable)('an unreachable %s: every command exits 3 without the password', (url, shown) => {
    const target = url.replace('nowhere', 'staging');
    for (const args of [['run'], ['check'], ['verify'], ['scan', '--source', url]]) {
      const result = runCli([...args, ...(args[0] === 'scan' ? [] : ['--config', rulesFile, '--log', 'json'])], {
        MASQUE_SOURCE_URL: url,
        MASQUE_TARGET_URL: target,
        MASQUE_SECRET: secret,
      });
      expect(result.status, `${args[0]}: ${output(result)}`).toBe(3);
      expect(result.stderr, args[0]).toContain(shown);
      expect(output(result)).not.toContain('hunter2');
      expect(output(result)).not.toContain(secret);
    }
  });

  it('the guard names a target with a password as ***', () => {
    const sameAsSource = source.url.replace('postgres@127.0.0.1', 'postgres:hunter2@localhost');
    const result = runCli(['run', '--config', rulesFile, '--log', 'json'], {
      ...env(),
      MASQUE_TARGET_URL: sameAsSource,
    });
    expect(result.status).toBe(2);
    expect(result.stderr).toContain(`the target ${sameAsSource.replace(':hunter2@', ':***@')} is the source database`);
    expect(output(result)).not.toContain('hunter2');
  });
});
