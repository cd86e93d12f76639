/**
 * Emptying text columns: `redact`, `constant` and `regex` accept an empty string, through the
 * rules file, `masque check` and a real run on SQLite (Chinook). NULL stays NULL.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sqlite, type EngineDb } from './support/engines.ts';
import { runCli } from './support/run-cli.ts';

const file = join(mkdtempSync(join(tmpdir(), 'masque-empty-')), 'rules.yaml');
writeFileSync(
  file,
  `
source: \${MASQUE_SOURCE_URL}
target: \${MASQUE_TARGET_URL}
secret: empty-secret
strict: false
tables:
  Customer:
    columns:
      LastName: { transform: redact, value: "" }
      Company: { transform: redact, value: "" }
      State: { transform: constant, value: "" }
      Fax: { transform: regex, pattern: ".+", replacement: "" }
`,
);

describe('empty replacement text on SQLite', () => {
  let source: EngineDb;
  let target: EngineDb;
  let env: Record<string, string>;
  const columns = (db: EngineDb) => db.query('SELECT LastName, Company, State, Fax FROM Customer ORDER BY CustomerId');

  beforeAll(async () => {
    [source, target] = await Promise.all([sqlite.chinook('empty_src'), sqlite.chinook('empty_dst', { empty: true })]);
    env = { MASQUE_SOURCE_URL: source.url, MASQUE_TARGET_URL: target.url };
  });
  afterAll(async () => {
    await Promise.all([source?.drop(), target?.drop()]);
  });

  it('passes masque check', () => {
    const result = runCli(['check', '--config', file, '--log', 'json'], env);
    expect(result.stderr).toBe('');
    expect(result.stdout).toContain('"errors":0');
    expect(result.stdout).toContain('"configErrors":0');
    expect(result.status).toBe(0);
  });

  it("writes '' for every non-NULL value and keeps NULL", () => {
    const result = runCli(['run', '--config', file, '--quiet'], env);
    expect(result.stderr).toBe('');
    expect(result.status).toBe(0);
    const before = columns(source);
    const after = columns(target);
    expect(after).toHaveLength(59);
    expect(after).toEqual(before.map((row) => row.map((value) => (value === null ? null : ''))));
    // Chinook has both kinds in each nullable column, so both branches were taken.
    for (const at of [1, 2, 3]) expect(new Set(after.map((row) => row[at]))).toEqual(new Set([null, '']));
  });
});
