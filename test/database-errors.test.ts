/**
 * A database error names the table whose statement failed and never a row value, on every engine
 * and in both load modes. The target refuses some of `film_text`'s rows — a key narrower than the
 * source's, or a unique index only the target has — so the failure comes when `film_text` moves
 * into place while `rental` is still loading in parts (staged), or when it is written (direct).
 * (SQLite's messages hold no values; the name is checked.)
 */
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseRules } from '@masque/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase } from '../packages/core/src/dialects/sqlite/sqlite-driver.ts';
import { createPgDatabase, mysql, mysqlUrl, psql, type TestDatabase } from './support/databases.ts';
import { runCollecting } from './support/run-refresh.ts';

const rules = (source: string, target: string): string => `
source: ${source}
target: ${target}
secret: errors-secret
tables:
  film: { columns: { id: keep, title: keep } }
  film_text: { columns: { film_id: keep, title: keep } }
  rental: { columns: { id: keep, note: keep } }
`;

/** The error a run fails with, split at its first `: ` into what failed and the server's words. */
async function failure(
  source: TestDatabase,
  target: TestDatabase,
  mode: 'staged' | 'direct',
): Promise<{ subject: string; message: string }> {
  const run = runCollecting({
    rules: parseRules(rules(source.url, target.url), 'errors.yaml', {}),
    mode,
    unitRows: 1000,
  });
  const error = await run.then(
    () => new Error('the run succeeded'),
    (e: unknown) => e as Error,
  );
  const at = error.message.indexOf(': ');
  return { subject: error.message.slice(0, at), message: error.message };
}

// The target's triggers no longer fire during a load (test/mysql-triggers.test.ts): here the
// duplicate comes from a unique key on film_text.title that the target has and the source does not.
describe('MariaDB: a duplicate key the target refuses', () => {
  const schema = `
    CREATE TABLE film (id INT PRIMARY KEY, title VARCHAR(40) NOT NULL);
    CREATE TABLE film_text (film_id INT PRIMARY KEY, title VARCHAR(40) NOT NULL);
    CREATE TABLE rental (id INT PRIMARY KEY, note VARCHAR(40) NOT NULL);`;
  let source: TestDatabase;
  let target: TestDatabase;

  async function createDatabase(prefix: string, extra = ''): Promise<TestDatabase> {
    const name = `masque_${prefix}_${randomBytes(4).toString('hex')}`;
    mysql(undefined, ['-e', `CREATE DATABASE \`${name}\``]);
    mysql(name, [], schema + extra);
    return {
      name,
      url: mysqlUrl(name),
      drop: async () => void mysql(undefined, ['-e', `DROP DATABASE IF EXISTS \`${name}\``]),
    };
  }

  beforeAll(async () => {
    source = await createDatabase('errors_src');
    // A secondary index, which shadows leave out: staged, it refuses the rows as they move in.
    target = await createDatabase('errors_dst', 'CREATE UNIQUE INDEX title_key ON film_text (title);');
    mysql(
      source.name,
      [],
      `
      INSERT INTO film SELECT seq, CONCAT('film ', seq) FROM seq_1_to_50;
      INSERT INTO film_text SELECT id, CONCAT('film ', id % 10) FROM film;
      INSERT INTO rental SELECT seq, CONCAT('rental ', seq) FROM seq_1_to_30000;
      ANALYZE TABLE film, film_text, rental;`,
    );
  }, 120_000);

  afterAll(async () => {
    await target?.drop();
    await source?.drop();
  });

  it.each(['staged', 'direct'] as const)('names film_text and blanks the key value (%s)', async (mode) => {
    const { subject, message } = await failure(source, target, mode);
    expect(subject).toContain('`film_text`');
    expect(subject).not.toMatch(/rental|`film`/);
    expect(message).toContain("Duplicate entry '…' for key 'title_key'");
    expect(message).not.toMatch(/Duplicate entry '\d/);
    expect(Number(mysql(target.name, ['-e', 'SELECT COUNT(*) FROM film_text']).trim())).toBe(0);
  });
});

// The target's triggers no longer fire during a load (test/postgres-triggers.test.ts): here the
// duplicate comes from a target key narrower than the source's, which holds two titles of film 7.
describe('PostgreSQL: a duplicate key the target refuses', () => {
  const schema = (textKey: string): string => `
    CREATE TABLE film (id int PRIMARY KEY, title text NOT NULL);
    CREATE TABLE film_text (film_id int, title text NOT NULL, PRIMARY KEY (${textKey}));
    CREATE TABLE rental (id int PRIMARY KEY, note text NOT NULL);`;
  let source: TestDatabase;
  let target: TestDatabase;

  beforeAll(async () => {
    source = await createPgDatabase('errors_src');
    target = await createPgDatabase('errors_dst');
    psql(
      source.name,
      [],
      `${schema('film_id, title')}
      INSERT INTO film SELECT n, 'film ' || n FROM generate_series(1, 50) n;
      INSERT INTO film_text SELECT id, title FROM film UNION ALL SELECT 7, 'film 7, director''s cut';
      INSERT INTO rental SELECT n, 'rental ' || n FROM generate_series(1, 30000) n;
      ANALYZE;`,
    );
    psql(target.name, [], schema('film_id'));
  }, 120_000);

  afterAll(async () => {
    await target?.drop();
    await source?.drop();
  });

  it.each(['staged', 'direct'] as const)(
    'names film_text and blanks the key value of the detail (%s)',
    async (mode) => {
      const { subject, message } = await failure(source, target, mode);
      expect(subject).toContain('film_text');
      expect(subject).not.toMatch(/rental|film\b/);
      expect(message).toContain('duplicate key value violates unique constraint "film_text_pkey"');
      expect(message).toContain('Key (film_id)=(…) already exists');
      expect(message).not.toMatch(/=\(\d/);
      expect(psql(target.name, ['-c', 'SELECT count(*) FROM film_text']).trim()).toBe('0');
    },
  );
});

// As on PostgreSQL: the target's key is narrower than the source's, which holds two titles of film 7
// (a trigger no longer collides: the target's triggers stay silent during a load).
describe('SQLite: a duplicate key the target refuses', () => {
  const schema = (textKey: string) => `
    CREATE TABLE film (id INTEGER PRIMARY KEY, title TEXT NOT NULL);
    CREATE TABLE film_text (film_id INTEGER NOT NULL, title TEXT NOT NULL, PRIMARY KEY (${textKey}));
    CREATE TABLE rental (id INTEGER PRIMARY KEY, note TEXT NOT NULL);`;
  const folder = mkdtempSync(join(tmpdir(), 'masque-errors-'));
  const file = (name: string, sql: string): TestDatabase => {
    const path = join(folder, `${name}.sqlite`);
    const db = openDatabase(path, { readonly: false, create: true });
    db.exec(sql);
    db.close();
    return { name, url: `sqlite:${path}`, drop: async () => {} };
  };
  let source: TestDatabase;
  let target: TestDatabase;

  beforeAll(() => {
    source = file(
      'source',
      `${schema('film_id, title')}
      WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 50) INSERT INTO film SELECT i, 'film ' || i FROM n;
      INSERT INTO film_text SELECT id, title FROM film UNION ALL SELECT 7, 'film 7, director''s cut';
      INSERT INTO rental VALUES (1, 'rental 1');`,
    );
    target = file('target', schema('film_id'));
  });

  afterAll(() => rmSync(folder, { recursive: true, force: true }));

  it.each(['staged', 'direct'] as const)('names film_text (%s)', async (mode) => {
    const { subject, message } = await failure(source, target, mode);
    expect(subject).toContain('"film_text"');
    expect(message).toContain('UNIQUE constraint failed: film_text.film_id');
  });
});
