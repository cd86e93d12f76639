/**
 * `masque check` on Pagila through the CLI: the example rules pass; a column left out is named
 * with its place and `run` then writes nothing; a misspelt transformer is a config error with the
 * closest name; every problem of a file is reported at once; schema drift is caught.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createPagilaSource, createPagilaTarget, psql, repoRoot, type TestDatabase } from './support/databases.ts';
import { pgColumnsMd5, pgRowCounts } from './support/pg-checks.ts';
import { runCli } from './support/run-cli.ts';

const pagilaRules = readFileSync(join(repoRoot, 'rules/pagila.yaml'), 'utf8');
const folder = mkdtempSync(join(tmpdir(), 'masque-check-'));
let source: TestDatabase;
let target: TestDatabase;

/** The example rules with `edit` applied, written to a file of their own. */
function rulesWith(name: string, edit: (text: string) => string): string {
  const file = join(folder, `${name}.yaml`);
  const text = edit(pagilaRules);
  expect(text, 'the edit must change the rules').not.toBe(pagilaRules);
  writeFileSync(file, text);
  return file;
}
const env = () => ({ MASQUE_SOURCE_URL: source.url, MASQUE_TARGET_URL: target.url, MASQUE_SECRET: 'check-secret' });
const check = (file: string, ...args: string[]) => runCli(['check', '--config', file, ...args], env());
/** check's JSON lines: the problems and the final summary. */
function checkJson(file: string) {
  const result = check(file, '--log', 'json');
  const lines = result.stdout
    .trim()
    .split('\n')
    .filter(Boolean)
    .map((l) => JSON.parse(l));
  return {
    result,
    problems: lines.filter((l) => l.type === 'problem'),
    summary: lines.find((l) => l.type === 'check'),
  };
}
const targetFingerprint = () =>
  JSON.stringify([pgRowCounts(target.name), pgColumnsMd5(target.name, 'public.customer', ['customer_id', 'email'])]);

beforeAll(async () => {
  [source, target] = await Promise.all([createPagilaSource(), createPagilaTarget()]);
});
afterAll(async () => {
  await Promise.all([source?.drop(), target?.drop()]);
  rmSync(folder, { recursive: true, force: true });
});

describe('masque check on Pagila', () => {
  it('passes the example rules: exit 0, no error, only the warnings a reviewer should see', () => {
    const { result, problems, summary } = checkJson(join(repoRoot, 'rules/pagila.yaml'));
    expect(result.status, result.stderr).toBe(0);
    expect(summary).toMatchObject({ errors: 0, configErrors: 0, tables: 17, columns: 93 });
    // Actors are public film credits: kept on purpose, and check still points them out.
    expect(problems.map((p) => `${p.severity} ${p.subject}`)).toEqual([
      'warning public.actor.first_name',
      'warning public.actor.last_name',
    ]);
  });

  it('names public.customer.email and its place when its rule is removed, and run then writes nothing', () => {
    const file = rulesWith('no-email', (t) =>
      t.replace('      email: email\n      address_id: keep\n', '      address_id: keep\n'),
    );
    const result = check(file, '--log', 'pretty');
    expect(result.status).toBe(1);
    expect(result.stdout).toMatch(
      /^error: public\.customer\.email: no rule names this column \(strict\) \(.*no-email\.yaml:13:3\)$/m,
    );
    expect(result.stdout).toContain('masque check: 1 error(s), 2 warning(s); 17 table(s), 93 column(s) checked');

    expect(runCli(['run', '--config', join(repoRoot, 'rules/pagila.yaml'), '--quiet'], env()).status).toBe(0);
    const before = targetFingerprint();
    const run = runCli(['run', '--config', file, '--log', 'json'], env());
    expect(run.status).toBe(1);
    expect(run.stderr).toContain('public.customer.email: no rule names this column (strict)');
    expect(targetFingerprint()).toBe(before);
  });

  it('gives exit 2 and the closest name for the typo person.firstNme', () => {
    const file = rulesWith('typo', (t) =>
      t.replace(
        'first_name: person.firstName\n      last_name: person.lastName\n      email: email',
        'first_name: person.firstNme\n      last_name: person.lastName\n      email: email',
      ),
    );
    const result = check(file, '--log', 'pretty');
    expect(result.status).toBe(2);
    expect(result.stderr).toMatch(
      /typo\.yaml:17:7: unknown transformer "person\.firstNme" \(did you mean person\.firstName\?\)/,
    );
  });

  it('reports every problem of a file at once, each at its place', () => {
    const file = rulesWith('many', (t) =>
      t
        .replace('      email: email\n      address_id: keep\n', '      emial: email\n      address_id: keep\n')
        .replace(
          '      store_id: keep\n      active: keep\n      username',
          '      store_id: keep\n      active: person.firstName\n      username',
        )
        .replace('  public.category:', '  public.categroy:')
        .replace('      rating: keep\n', '      rating: company.name\n'),
    );
    const { result, problems } = checkJson(file);
    expect(result.status).toBe(1);
    const errors = problems
      .filter((p) => p.severity === 'error')
      .map((p) => `${p.subject} @${p.place?.line}: ${p.message}`);
    expect(errors).toEqual([
      'public.customer.email @13: no rule names this column (strict)',
      'public.customer.emial @19: no such column (did you mean email?)',
      'public.staff.active @34: person.firstName writes values that a boolean column cannot hold',
      'public.categroy @73: no such table in the source (did you mean public.category?)',
      'public.film.rating @93: company.name writes values that a mpaa_rating (not one of its members) column cannot hold',
      // No rule names the table any more, so there is no line to point at.
      'public.category @undefined: no rule names this table (strict)',
    ]);
  });

  it('catches schema drift: a new source column is an error under strict, a warning otherwise', () => {
    psql(source.name, ['-c', 'ALTER TABLE customer ADD COLUMN mobile_phone text']);
    try {
      const strict = checkJson(join(repoRoot, 'rules/pagila.yaml'));
      expect(strict.result.status).toBe(1);
      expect(strict.problems.filter((p) => p.severity === 'error').map((p) => `${p.subject}: ${p.message}`)).toEqual([
        'public.customer.mobile_phone: column missing in the target',
        'public.customer.mobile_phone: no rule names this column (strict)',
      ]);
      const lax = checkJson(rulesWith('lax', (t) => t.replace('strict: true', 'strict: false')));
      expect(lax.result.status).toBe(1); // still missing in the target
      expect(lax.problems.map((p) => `${p.severity} ${p.subject}: ${p.message}`)).toEqual(
        expect.arrayContaining([
          'warning public.customer.mobile_phone: no rule: copied unchanged',
          'warning public.customer.mobile_phone: copied unchanged (no rule), but its name suggests a phone number',
        ]),
      );
    } finally {
      psql(source.name, ['-c', 'ALTER TABLE customer DROP COLUMN mobile_phone']);
    }
  });

  it('refuses a target that is the source under another spelling, as run would', () => {
    const result = runCli(['check', '--config', join(repoRoot, 'rules/pagila.yaml'), '--log', 'json'], {
      ...env(),
      MASQUE_TARGET_URL: source.url.replace('127.0.0.1', 'localhost'),
    });
    expect(result.status).toBe(2);
    expect(result.stderr).toContain('is the source database: refusing to write to it');
  });
});
