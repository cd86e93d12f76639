/**
 * The production guard on the real servers: `run` with the target pointing at the source under
 * another spelling of its address is refused on PostgreSQL, MariaDB and SQLite, and the source is
 * unchanged; a target matching a `protect:` entry is refused and left as it was.
 */
import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  createChinookMysql,
  createChinookSqlite,
  createPgDatabase,
  mysql,
  psql,
  repoRoot,
  type TestDatabase,
  type TestFile,
} from './support/databases.ts';
import { pgColumnsMd5, pgRowCounts } from './support/pg-checks.ts';
import { runCli } from './support/run-cli.ts';

const folder = mkdtempSync(join(tmpdir(), 'masque-guard-'));
const rulesFile = (name: string, text: string): string => {
  const file = join(folder, name);
  writeFileSync(file, text);
  return file;
};

/** `masque run` with the given source and target, as JSON lines. */
const run = (rules: string, source: string, target: string) =>
  runCli(['run', '--config', rules, '--log', 'json'], {
    MASQUE_SOURCE_URL: source,
    MASQUE_TARGET_URL: target,
    MASQUE_SECRET: 'guard-secret',
  });

const refused = (result: ReturnType<typeof run>, spelling: string) => {
  expect(result.status, result.stderr).toBe(2);
  expect(result.stderr).toContain(`masque: the target ${spelling} is the source database: refusing to write to it`);
};

afterAll(() => rmSync(folder, { recursive: true, force: true }));

describe('PostgreSQL', () => {
  let source: TestDatabase;
  let target: TestDatabase;
  const ddl = 'CREATE TABLE person (id int PRIMARY KEY, name text NOT NULL);';
  const rules = () =>
    rulesFile(
      'pg.yaml',
      'source: ${MASQUE_SOURCE_URL}\ntarget: ${MASQUE_TARGET_URL}\nsecret: ${MASQUE_SECRET}\nprotect: ["*guard_prod*"]\ntables:\n  public.person: { columns: { id: keep, name: person.firstName } }\n',
    );
  const fingerprint = (db: string) =>
    JSON.stringify([pgRowCounts(db), pgColumnsMd5(db, 'public.person', ['id', 'name'])]);

  beforeAll(async () => {
    [source, target] = await Promise.all([createPgDatabase('guard_src'), createPgDatabase('guard_prod')]);
    psql(source.name, [], `${ddl} INSERT INTO person SELECT g, 'name ' || g FROM generate_series(1, 500) g;`);
    psql(target.name, [], `${ddl} INSERT INTO person VALUES (1, 'production row');`);
  });
  afterAll(async () => Promise.all([source?.drop(), target?.drop()]));

  it.each([
    ['localhost', (db: string) => `postgres://postgres@localhost:5432/${db}`],
    ['127.0.0.1 without a port', (db: string) => `postgres://postgres@127.0.0.1/${db}`],
    ['the unix socket as a host', (db: string) => `postgres://postgres@%2Fvar%2Frun%2Fpostgresql/${db}`],
    ['the unix socket as ?host=', (db: string) => `postgres://postgres@/${db}?host=/var/run/postgresql`],
    ['another user name and a password', (db: string) => `postgresql://postgres:not-the-password@localhost:5432/${db}`],
  ])('refuses the source spelt with %s, and leaves it unchanged', (_, spell) => {
    const before = fingerprint(source.name);
    const spelling = spell(source.name);
    refused(run(rules(), source.url, spelling), spelling.replace(':not-the-password@', ':***@'));
    expect(fingerprint(source.name)).toBe(before);
  });

  it('refuses a target that matches a protect: entry, and leaves it unchanged', () => {
    const before = fingerprint(target.name);
    const result = run(rules(), source.url, target.url);
    expect(result.status).toBe(2);
    expect(result.stderr).toContain(
      `masque: the target ${target.url} matches the protect: entry "*guard_prod*": refusing to write to it`,
    );
    expect(fingerprint(target.name)).toBe(before);
    // Without the entry the same target is written: the guard refuses only what it should.
    const open = rulesFile('pg-open.yaml', readFileSync(rules(), 'utf8').replace('protect: ["*guard_prod*"]\n', ''));
    expect(run(open, source.url, target.url).status).toBe(0);
    expect(pgRowCounts(target.name)['public.person']).toBe(500);
  });
});

describe('MariaDB', () => {
  let source: TestDatabase;
  const rules = join(repoRoot, 'rules/chinook.yaml');
  const checksum = (db: string) =>
    mysql(db, ['-e', 'CHECKSUM TABLE Customer, Employee, Invoice, InvoiceLine, Track, Album, Artist']);

  beforeAll(async () => {
    source = await createChinookMysql('guard_src');
  });
  afterAll(async () => source?.drop());

  it.each([
    ['localhost', (db: string) => `mysql://root@localhost:3306/${db}`],
    ['127.0.0.1 without a port', (db: string) => `mariadb://root@127.0.0.1/${db}`],
    ['the unix socket', (db: string) => `mysql://root@localhost/${db}?socket=/run/mysqld/mysqld.sock`],
  ])('refuses the source spelt with %s, and leaves it unchanged', (_, spell) => {
    const before = checksum(source.name);
    const spelling = spell(source.name);
    refused(run(rules, source.url, spelling), spelling);
    expect(checksum(source.name)).toBe(before);
  });
});

describe('SQLite', () => {
  let source: TestFile;
  const rules = join(repoRoot, 'rules/chinook.yaml');
  const fingerprint = (path: string) =>
    `${statSync(path).mtimeMs} ${createHash('sha256').update(readFileSync(path)).digest('hex')}`;

  beforeAll(() => {
    source = createChinookSqlite('guard_src');
    symlinkSync(source.path, join(folder, 'link.sqlite'));
  });
  afterAll(async () => source?.drop());

  it.each([
    ['a relative path', () => `sqlite:${relative(repoRoot, source.path)}`],
    ['an absolute sqlite:/// URL', () => `sqlite://${source.path}`],
    ['a symlink', () => `sqlite:${join(folder, 'link.sqlite')}`],
    [
      'a path with ./ and ..',
      () =>
        `sqlite:${join(source.path, '..', '.', 'guard_src.sqlite').replace(/guard_src\.sqlite$/, './guard_src.sqlite')}`,
    ],
  ])('refuses the source spelt as %s, and leaves the file unchanged', (_, spell) => {
    const before = fingerprint(source.path);
    const spelling = spell();
    refused(run(rules, source.url, spelling), spelling);
    expect(fingerprint(source.path)).toBe(before);
  });

  it('only reads the source when it runs: the file is byte-identical afterwards', () => {
    const target = createChinookSqlite('guard_dst');
    try {
      const before = fingerprint(source.path);
      const result = run(rules, source.url, target.url);
      expect(result.status, result.stderr).toBe(0);
      expect(fingerprint(source.path)).toBe(before);
    } finally {
      void target.drop();
    }
  });
});
