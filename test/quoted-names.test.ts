/**
 * Names written as SQL writes them, on the real PostgreSQL server: a schema and a table with
 * spaces and upper case (`"Sales Ops"."Client List"`), a column with a space and an upper-case
 * letter, and a schema and a table with dots in their names, named quoted in the rules file,
 * in `--only` and in `preview`.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createPgDatabase, psql, type TestDatabase } from './support/databases.ts';
import { pgColumn } from './support/pg-checks.ts';
import { runCli } from './support/run-cli.ts';

const schema = `
  CREATE SCHEMA "Sales Ops";
  CREATE TABLE "Sales Ops"."Client List" (id int PRIMARY KEY, "Full Name" text NOT NULL, email text);
  CREATE SCHEMA "odd.schema";
  CREATE TABLE "odd.schema"."t.1" (id int PRIMARY KEY, "a.b" text);`;

const data = `
  INSERT INTO "Sales Ops"."Client List" VALUES (1, 'Ann Smith', 'ann@corp.example'), (2, 'Bob Jones', 'bob@corp.example'), (3, 'Cy Young', NULL);
  INSERT INTO "odd.schema"."t.1" VALUES (1, 'secret one'), (2, 'secret two');`;

const rules = (clientList = '\'"Sales Ops"."Client List"\'') => `
source: \${MASQUE_SOURCE_URL}
target: \${MASQUE_TARGET_URL}
secret: quoted-secret
tables:
  ${clientList}:
    columns:
      id: keep
      '"Full Name"': person.fullName
      '\`email\`': email
  '"odd.schema"."t.1"': { columns: { id: keep, '"a.b"': redact } }
`;

let source: TestDatabase;
let target: TestDatabase;
const folder = mkdtempSync(join(tmpdir(), 'masque-quoted-'));
function cli(command: string, text: string, ...args: string[]) {
  const file = join(folder, `rules-${Math.random().toString(36).slice(2)}.yaml`);
  writeFileSync(file, text);
  return runCli([command, '--config', file, ...args], { MASQUE_SOURCE_URL: source.url, MASQUE_TARGET_URL: target.url });
}
const clientList = '"Sales Ops"."Client List"';
const emptyTarget = () => psql(target.name, [], 'TRUNCATE "Sales Ops"."Client List", "odd.schema"."t.1";');

beforeAll(async () => {
  [source, target] = await Promise.all([createPgDatabase('quoted_src'), createPgDatabase('quoted_dst')]);
  psql(source.name, [], schema + data);
  psql(target.name, [], schema);
});
afterAll(async () => {
  await Promise.all([source?.drop(), target?.drop()]);
});

describe('SQL-quoted table and column names', () => {
  it('check passes with quoted names', () => {
    const result = cli('check', rules());
    expect(result.stderr).toBe('');
    expect(result.status).toBe(0);
  });

  it('run copies and masks the tables named in quoted form', () => {
    const result = cli('run', rules(), '--log', 'json');
    expect(result.stderr).toBe('');
    expect(result.status).toBe(0);
    expect(pgColumn(target.name, clientList, 'id', 'id')).toEqual([1, 2, 3]);
    const names = pgColumn(target.name, clientList, 'Full Name', 'id');
    expect(names).toHaveLength(3);
    expect(names).not.toContain('Ann Smith');
    const emails = pgColumn(target.name, clientList, 'email', 'id');
    expect(emails[0]).not.toBe('ann@corp.example');
    expect(emails[2]).toBeNull();
    expect(pgColumn(target.name, '"odd.schema"."t.1"', 'a.b', 'id')).toEqual(['[redacted]', '[redacted]']);
  });

  it('--only takes a quoted name and copies that table alone', () => {
    emptyTarget();
    const result = cli('run', rules(), '--log', 'json', '--only', clientList);
    expect(result.stderr).toBe('');
    expect(result.status).toBe(0);
    const done = result.stdout
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l))
      .find((e) => e.type === 'done');
    expect(done.summary.tables.map((t: { table: string }) => t.table)).toEqual(['Sales Ops.Client List']);
    expect(pgColumn(target.name, clientList, 'id', 'id')).toEqual([1, 2, 3]);
    expect(psql(target.name, ['-c', 'SELECT count(*) FROM "odd.schema"."t.1"']).trim()).toBe('0');
  });

  it('preview takes a quoted name and shows its rows', () => {
    const result = cli('preview', rules(), clientList, '-n', '2', '--json');
    expect(result.stderr).toBe('');
    expect(result.status).toBe(0);
    const preview = JSON.parse(result.stdout);
    expect(preview.columns).toEqual(['id', 'Full Name', 'email']);
    expect(preview.masked).toEqual(['Full Name', 'email']);
    expect(preview.rows.map((r: { before: unknown[] }) => r.before[1])).toEqual(['Ann Smith', 'Bob Jones']);
    expect(preview.rows[0].after[1]).not.toBe('Ann Smith');
  });

  it('plain names still work as before', () => {
    const result = cli('check', rules('Sales Ops.Client List'));
    expect(result.stderr).toBe('');
    expect(result.status).toBe(0);
  });

  it('suggests a name that can be pasted back: quoted when it holds a dot', () => {
    const result = cli('check', rules().replace('"t.1"', '"t.2"'));
    expect(result.status).toBe(1);
    const problems = result.stdout
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l))
      .filter((e) => e.type === 'problem');
    expect(problems).toContainEqual(
      expect.objectContaining({
        subject: '"odd.schema"."t.2"',
        message: 'no such table in the source (did you mean "odd.schema"."t.1"?)',
      }),
    );
  });

  it('an unbalanced quote is a config error naming the key and its place', () => {
    const result = cli('check', rules('\'"Sales Ops"."Client List\''));
    expect(result.status).toBe(2);
    expect(result.stderr).toMatch(/rules-\w+\.yaml:6:3: .*"Sales Ops"\."Client List.*never closed/);
  });
});
