/**
 * The bad-input corpus (test/bad-rules/): every broken rules file, run through `masque check` as
 * a user would, must give exit 2 and a message that names the file, the line and the column of
 * the mistake (and the closest name, for typos). Nothing is written: check only reads.
 */
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { inBatches, runCliAsync } from './support/run-cli-async.ts';
import type { CliResult } from './support/run-cli.ts';

const corpus = 'test/bad-rules';
const cases = readdirSync(corpus)
  .filter((f) => /\.(ya?ml|json)$/.test(f))
  .sort();
const folder = mkdtempSync(join(tmpdir(), 'masque-bad-rules-'));
const results = new Map<string, CliResult>();

beforeAll(async () => {
  const env: Record<string, string> = {};
  for (const role of ['source', 'target']) {
    const path = join(folder, `${role}.sqlite`);
    const db = new Database(path);
    db.exec('CREATE TABLE person (id INTEGER PRIMARY KEY, first_name TEXT, email TEXT, born DATE)');
    db.close();
    env[`MASQUE_${role.toUpperCase()}_URL`] = `sqlite:${path}`;
  }
  const runs = await inBatches(
    cases.map((file) => () => runCliAsync(['check', '--config', `${corpus}/${file}`, '--log', 'json'], env)),
  );
  for (const [i, file] of cases.entries()) results.set(file, runs[i]!);
});
afterAll(() => rmSync(folder, { recursive: true, force: true }));

describe('the bad-rules corpus', () => {
  it('has an expected message for every file, and covers the kinds of mistakes', () => {
    expect(cases.length).toBeGreaterThanOrEqual(20);
    for (const file of cases) expect(readdirSync(corpus), file).toContain(file.replace(/\.\w+$/, '.expect'));
  });

  it.each(cases)('%s: exit 2, the mistake named at file:line:column', (file) => {
    const expected = readFileSync(join(corpus, file.replace(/\.\w+$/, '.expect')), 'utf8').trim();
    const result = results.get(file)!;
    expect(result.status, result.stderr).toBe(2);
    expect(result.stderr).toContain(`masque: ${corpus}/${file}${expected}`);
    expect(expected).toMatch(/^:\d+:\d+: /);
    // The secret written in the files is never echoed.
    expect(result.stderr + result.stdout).not.toContain('bad-rules-secret');
  });

  it('suggests the closest name for every typo', () => {
    for (const file of [
      'unknown-faker-typo.yaml',
      'unknown-transformer-typo.yaml',
      'unknown-top-level-key.yaml',
      'unknown-table-key.yaml',
    ]) {
      expect(results.get(file)!.stderr, file).toMatch(/did you mean/);
    }
  });
});
