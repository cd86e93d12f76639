/**
 * `masque run --create-schema` on the real servers: an empty PostgreSQL database gets Pagila's
 * schema and an empty MariaDB database gets Chinook's (plus views, routines, a sequence and
 * triggers), each as the engine's own dump tool sees it; then the masked data. A second run
 * changes no schema; a target holding some of the tables, or one where an object cannot be
 * created, is left exactly as it was.
 */
import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { chmodSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ConfigError, loadRules, parseRules } from '@masque/core';
import { connectPostgres } from '../packages/core/src/dialects/postgres/postgres-driver.ts';
import {
  choosePgDump,
  cleanScript,
  copyPostgresSchema,
  pgDumpVersion,
} from '../packages/core/src/dialects/postgres/postgres-schema-copy.ts';
import { DatabaseError } from '../packages/core/src/errors.ts';
import {
  createChinookMysql,
  createPagilaSource,
  createPgDatabase,
  mysql,
  mysqlUrl,
  pgUrl,
  psql,
  psqlAdmin,
  repoRoot,
  type TestDatabase,
} from './support/databases.ts';
import { pgColumn, pgColumnsMd5, pgRowCounts } from './support/pg-checks.ts';
import { runCli } from './support/run-cli.ts';
import { runCollecting } from './support/run-refresh.ts';

/** The rules for a run from `source` into `target` (the example files keep most columns, mask a few). */
const rulesFor = (file: string, source: TestDatabase, target: TestDatabase) =>
  loadRules(join(repoRoot, 'rules', file), {
    MASQUE_SOURCE_URL: source.url,
    MASQUE_TARGET_URL: target.url,
    MASQUE_SECRET: 'create-schema-secret',
  });

/** The same run through the CLI, as a CI job runs it; resolves to its JSON lines. */
function cliRun(file: string, source: TestDatabase, target: TestDatabase) {
  const result = runCli(['run', '--create-schema', '--config', join(repoRoot, 'rules', file), '--log', 'json'], {
    MASQUE_SOURCE_URL: source.url,
    MASQUE_TARGET_URL: target.url,
    MASQUE_SECRET: 'create-schema-secret',
  });
  const events = result.stdout
    .trim()
    .split('\n')
    .filter(Boolean)
    .map((line) => JSON.parse(line) as { type: string });
  return { ...result, events };
}

/** The error a run fails with. */
const failure = (run: Promise<unknown>): Promise<Error> =>
  run.then(
    () => new Error('the run succeeded'),
    (error: unknown) => error as Error,
  );

// ---------------------------------------------------------------- PostgreSQL

/**
 * pg_dump's schema-only script of a database, as the issue compares them: without the psql
 * `\restrict` lines (a random key each time) and without the entry of the `public` schema, which
 * pg_dump writes only when its owner is not the default (Pagila's script makes it `postgres`), to
 * say it does not create it: an owner, which the comparison ignores.
 */
function pgSchema(db: TestDatabase, ...options: string[]): string {
  const args = ['--schema-only', '--no-owner', '--no-privileges', ...options, `--dbname=${db.url}`];
  const dump = execFileSync('pg_dump', args, {
    encoding: 'utf8',
    maxBuffer: 1 << 26,
    timeout: 60_000,
  });
  return dump
    .replace(/^\\(?:un)?restrict \S+\n/gm, '')
    .replace(/^--\n-- Name: public; Type: SCHEMA; [^\n]*\n--\n\n-- \*not\* creating schema[^\n]*\n\n\n/m, '');
}

const pgTables = (db: TestDatabase): string[] =>
  psql(db.name, [
    '-c',
    `SELECT format('%I.%I', n.nspname, c.relname) FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
      WHERE c.relkind IN ('r', 'p') AND n.nspname NOT IN ('pg_catalog', 'information_schema') ORDER BY 1`,
  ])
    .trim()
    .split('\n')
    .filter(Boolean);

describe('PostgreSQL: Pagila into an empty database', () => {
  let source: TestDatabase;
  let target: TestDatabase;
  const others: TestDatabase[] = [];

  beforeAll(async () => {
    [source, target] = await Promise.all([createPagilaSource(), createPgDatabase('cs_dst')]);
  });
  afterAll(async () => {
    await Promise.all([source?.drop(), target?.drop(), ...others.map((db) => db.drop())]);
  });

  it('creates the whole schema, then loads the masked rows', async () => {
    const { events } = await runCollecting({ rules: rulesFor('pagila.yaml', source, target), createSchema: true });
    expect(events[0]).toEqual({ type: 'schema-created', tables: pgTables(source).length });
    expect(pgTables(source)).toHaveLength(24);
    expect(pgSchema(target)).toBe(pgSchema(source));
    expect(pgRowCounts(target.name)).toEqual(pgRowCounts(source.name));
  });

  it('masks what the rules mask and keeps the rest', () => {
    const kept = ['customer_id', 'store_id', 'address_id', 'activebool'];
    expect(pgColumnsMd5(target.name, 'public.customer', kept)).toBe(pgColumnsMd5(source.name, 'public.customer', kept));
    const film = ['title', 'description', 'rating', 'special_features', 'fulltext'];
    expect(pgColumnsMd5(target.name, 'public.film', film)).toBe(pgColumnsMd5(source.name, 'public.film', film));
    const emails = pgColumn(source.name, 'public.customer', 'email', 'customer_id');
    const masked = pgColumn(target.name, 'public.customer', 'email', 'customer_id');
    expect(masked).toHaveLength(599);
    expect(masked.filter((email, i) => email === emails[i])).toEqual([]);
  });

  it('fills the materialized view from the masked rows, never from production', () => {
    const populated = psql(target.name, [
      '-c',
      "SELECT ispopulated FROM pg_matviews WHERE schemaname = 'public' AND matviewname = 'rental_by_category'",
    ]).trim();
    expect(populated).toBe('t');
    // Production's figures from the view's own query (the source's view itself may never have been refreshed).
    const definition = psql(source.name, ['-c', "SELECT pg_get_viewdef('public.rental_by_category')"]).trim();
    const totals = (db: TestDatabase, from: string) =>
      psql(db.name, ['-c', `SELECT category, total_sales FROM ${from} ORDER BY category`])
        .trim()
        .split('\n')
        .map((line) => line.split('|'));
    const production = totals(source, `(${definition.replace(/;$/, '')}) v`);
    const staging = totals(target, 'public.rental_by_category');
    expect(staging.map(([category]) => category)).toEqual(production.map(([category]) => category));
    expect(staging).toHaveLength(16);
    // payment.amount is masked (noise): no category's total is production's.
    expect(staging.filter(([, total], i) => total === production[i]![1])).toEqual([]);
  });

  it('changes no schema on a second run with the flag (through the CLI)', () => {
    const schema = pgSchema(target);
    const result = cliRun('pagila.yaml', source, target);
    expect(result.stderr).toBe('');
    expect(result.status).toBe(0);
    expect(result.events.map((e) => e.type)).not.toContain('schema-created');
    expect(result.events.at(-1)?.type).toBe('done');
    expect(pgSchema(target)).toBe(schema);
  });

  it('refuses a target holding some of the tables, naming the missing ones, and leaves it as it was', async () => {
    const partial = await createPgDatabase('cs_part');
    others.push(partial);
    psql(partial.name, ['-c', 'CREATE TABLE public.actor (actor_id int); CREATE TABLE public.film (film_id int)']);
    const schema = pgSchema(partial);
    const error = await failure(runCollecting({ rules: rulesFor('pagila.yaml', source, partial), createSchema: true }));
    expect(error).toBeInstanceOf(ConfigError);
    expect(error.message).toMatch(
      /^--create-schema: the target holds some of the source's tables but not public\.address, public\.category, .*, and 12 more;/,
    );
    expect(pgTables(partial)).toEqual(['public.actor', 'public.film']);
    expect(pgSchema(partial)).toBe(schema);
  });

  it('leaves the target as it was when an object cannot be created, naming it', async () => {
    const clash = await createPgDatabase('cs_clash');
    others.push(clash);
    // The schema's first objects (a domain) come before the type that already exists.
    psql(clash.name, ['-c', "CREATE TYPE public.mpaa_rating AS ENUM ('other')"]);
    const schema = pgSchema(clash);
    const error = await failure(runCollecting({ rules: rulesFor('pagila.yaml', source, clash), createSchema: true }));
    expect(error.message).toMatch(
      /^--create-schema: creating TYPE public\.mpaa_rating of the source's schema in the target: .*already exists/,
    );
    expect(pgTables(clash)).toEqual([]);
    expect(pgSchema(clash)).toBe(schema);
  });
});

describe('PostgreSQL: an extension the role may not create', () => {
  let source: TestDatabase;
  let target: TestDatabase;
  const rules = () =>
    parseRules(
      `source: ${source.url}\ntarget: ${target.url}\nsecret: s\ntables:\n  public.t: { columns: { id: keep } }\n`,
      'extension.yaml',
      {},
    );

  beforeAll(async () => {
    [source, target] = await Promise.all([createPgDatabase('cs_ext_src'), createPgDatabase('cs_ext_dst')]);
    // dblink is not a trusted extension: only a superuser creates it.
    psqlAdmin(source.name, ['-c', 'CREATE EXTENSION dblink']);
    psql(source.name, ['-c', 'CREATE TABLE public.t (id int PRIMARY KEY); INSERT INTO public.t VALUES (1), (2)']);
    // What a dead run leaves in a masked staging copy used as the source: not copied.
    psql(source.name, ['-c', 'CREATE SCHEMA masque_shadow; CREATE TABLE masque_shadow.t (id int)']);
  });
  afterAll(async () => {
    await Promise.all([source?.drop(), target?.drop()]);
  });

  it('names the extension and what to do, and creates nothing', async () => {
    const error = await failure(runCollecting({ rules: rules(), createSchema: true }));
    expect(error.message).toBe(
      "--create-schema: the source uses the extension dblink, which masque's role may not create in the target " +
        '(permission denied to create extension "dblink"): have an administrator run CREATE EXTENSION dblink ' +
        'in the target database, then run again',
    );
    expect(pgTables(target)).toEqual([]);
  });

  it('goes on once an administrator has created it', async () => {
    psqlAdmin(target.name, ['-c', 'CREATE EXTENSION dblink']);
    const { summary } = await runCollecting({ rules: rules(), createSchema: true });
    expect(summary.rows).toBe(2);
    expect(pgSchema(target)).toBe(pgSchema(source, '--exclude-schema=masque_shadow'));
    expect(pgSchema(source)).toContain('CREATE TABLE masque_shadow.t');
  });
});

describe('PostgreSQL: which pg_dump', () => {
  let folder: string;
  beforeAll(() => {
    folder = mkdtempSync(join(tmpdir(), 'masque-pg-dump-'));
  });
  afterAll(() => rmSync(folder, { recursive: true, force: true }));

  it("says why pg_dump failed, in pg_dump's words, without the password", async () => {
    const client = await connectPostgres(pgUrl('postgres'));
    try {
      // A URL node-postgres takes but libpq refuses (`ssl` is node-postgres' own parameter).
      const url = new URL(pgUrl('postgres'));
      url.password = 'S3cret/pw';
      url.search = '?ssl=false';
      const error = await failure(copyPostgresSchema(client, url.href, client));
      expect(error).toBeInstanceOf(DatabaseError);
      expect(error.message).toBe(
        `pg_dump of ${url.href.replace(/:[^:@/]*@/, ':***@')} failed (exit 1): ` +
          'pg_dump: error: invalid URI query parameter: "ssl"',
      );
      expect(error.message).not.toMatch(/S3cret/);
    } finally {
      await client.end();
    }
  });

  it('reads the major version a pg_dump reports', async () => {
    const old = join(folder, 'pg_dump');
    writeFileSync(old, '#!/bin/sh\necho "pg_dump (PostgreSQL) 11.22 (Debian 11.22-1)"\n');
    chmodSync(old, 0o755);
    expect(await pgDumpVersion(old)).toBe(11);
    const installed = execFileSync('pg_dump', ['--version'], { encoding: 'utf8' });
    expect(await pgDumpVersion('pg_dump')).toBe(Number(/\) (\d+)/.exec(installed)![1]));
    expect(await pgDumpVersion(join(folder, 'missing'))).toBeUndefined();
  });

  it('refuses a pg_dump older than the server, naming both versions', () => {
    const attempt = () => choosePgDump([{ path: '/opt/pg11/bin/pg_dump', major: 11 }], 15, '15.20');
    expect(attempt).toThrow(ConfigError);
    expect(attempt).toThrow(
      "--create-schema needs pg_dump 15 or newer for the source's PostgreSQL 15.20; " +
        'found only pg_dump 11 (/opt/pg11/bin/pg_dump): install the PostgreSQL 15 client tools',
    );
    expect(() => choosePgDump([], 16, '16.4')).toThrow(/needs pg_dump 16 or newer .* found none on the PATH/);
  });

  it('takes the oldest pg_dump that is not older than the server', () => {
    const found = [
      { path: '/a/pg_dump', major: 17 },
      { path: '/b/pg_dump', major: 15 },
      { path: '/c/pg_dump', major: 16 },
    ];
    expect(choosePgDump(found, 15, '15.20').path).toBe('/b/pg_dump');
    expect(choosePgDump(found, 16, '16.4').path).toBe('/c/pg_dump');
    expect(choosePgDump(found, 12, '12.1').path).toBe('/b/pg_dump');
  });

  it("drops psql's \\restrict lines and extension comments from the script, and nothing else", () => {
    const script = [
      '\\restrict AbC123',
      'SET lock_timeout = 0;',
      "COMMENT ON EXTENSION pgcrypto IS 'cryptographic ''functions''';",
      'CREATE TABLE t (a int);',
      "COMMENT ON TABLE t IS 'kept';",
      '\\unrestrict AbC123',
      '',
    ].join('\n');
    expect(cleanScript(script)).toBe("CREATE TABLE t (a int);\nCOMMENT ON TABLE t IS 'kept';\n");
  });
});

// ---------------------------------------------------------------- MariaDB

/** Views (one over another, one over a function), routines, a sequence and ordered triggers. */
const chinookExtras = `
CREATE VIEW CustomerCountry AS SELECT Country, COUNT(*) AS Customers FROM Customer GROUP BY Country;
CREATE SQL SECURITY INVOKER VIEW CountryTop AS SELECT Country, Customers FROM CustomerCountry WHERE Customers >= 5;
CREATE FUNCTION TrackMinutes(ms INT) RETURNS DECIMAL(10,2) DETERMINISTIC RETURN ms / 60000;
CREATE VIEW TrackLength AS SELECT TrackId, TrackMinutes(Milliseconds) AS Minutes FROM Track;
CREATE PROCEDURE CountTracks(OUT n INT) READS SQL DATA SELECT COUNT(*) INTO n FROM Track;
CREATE SEQUENCE InvoiceNumber START WITH 1000;
SELECT NEXTVAL(InvoiceNumber);
SET sql_mode = 'NO_ENGINE_SUBSTITUTION';
CREATE TRIGGER CustomerStamp BEFORE UPDATE ON Customer FOR EACH ROW SET NEW.Fax = NULL;
SET sql_mode = DEFAULT;
CREATE TRIGGER CustomerFirst BEFORE UPDATE ON Customer FOR EACH ROW PRECEDES CustomerStamp SET NEW.Company = 'Ünïcode';
CREATE TABLE _masque_new_Album (AlbumId INT); -- a dead run's shadow, in a masked copy used as the source: not copied
`;

/** `mysqldump --no-data --triggers --routines`, with the database's own name and the host line made neutral. */
function mysqlSchema(db: TestDatabase, ...options: string[]): string {
  const url = new URL(db.url);
  const dump = execFileSync(
    'mysqldump',
    ['-h', url.hostname, '-P', url.port || '3306', '-u', decodeURIComponent(url.username)].concat([
      '--no-data',
      '--triggers',
      '--routines',
      '--skip-dump-date',
      ...options,
      db.name,
    ]),
    { encoding: 'utf8', env: { ...process.env, MYSQL_PWD: decodeURIComponent(url.password) }, timeout: 60_000 },
  );
  return dump.replaceAll(db.name, 'DB').replace(/^-- Host: .*\n/m, '');
}

async function emptyMysqlDatabase(prefix: string, sql = ''): Promise<TestDatabase> {
  const name = `masque_${prefix}_${randomBytes(4).toString('hex')}`;
  mysql(undefined, ['-e', `CREATE DATABASE \`${name}\``]);
  if (sql) mysql(name, [], sql);
  return { name, url: mysqlUrl(name), drop: async () => void mysql(undefined, ['-e', `DROP DATABASE \`${name}\``]) };
}

const mysqlTables = (db: TestDatabase): string[] =>
  mysql(db.name, ['-e', 'SELECT TABLE_NAME FROM information_schema.TABLES WHERE TABLE_SCHEMA = DATABASE() ORDER BY 1'])
    .trim()
    .split('\n')
    .filter(Boolean);

describe('MariaDB: Chinook with views, routines and triggers into an empty database', () => {
  let source: TestDatabase;
  let target: TestDatabase;
  const others: TestDatabase[] = [];
  const query = (db: TestDatabase, sql: string) => mysql(db.name, ['-e', sql]).trim();

  beforeAll(async () => {
    [source, target] = await Promise.all([createChinookMysql('cs_src'), emptyMysqlDatabase('cs_dst')]);
    mysql(source.name, [], chinookExtras);
  });
  afterAll(async () => {
    await Promise.all([source?.drop(), target?.drop(), ...others.map((db) => db.drop())]);
  });

  it('creates every object, then loads the masked rows (through the CLI)', () => {
    const result = cliRun('chinook.yaml', source, target);
    expect(result.stderr).toBe('');
    expect(result.status).toBe(0);
    expect(result.events[0]).toMatchObject({ type: 'schema-created', tables: 11 });
    expect(result.events.at(-1)?.type).toBe('done');
    expect(mysqlSchema(target)).toBe(mysqlSchema(source, `--ignore-table=${source.name}._masque_new_Album`));
    expect(mysqlSchema(source)).toContain('CREATE TABLE `_masque_new_Album`');
    for (const table of ['Album', 'Customer', 'Invoice', 'InvoiceLine', 'PlaylistTrack', 'Track']) {
      expect(query(target, `SELECT COUNT(*) FROM ${table}`), table).toBe(
        query(source, `SELECT COUNT(*) FROM ${table}`),
      );
    }
    const kept = 'SELECT GROUP_CONCAT(CustomerId, SupportRepId ORDER BY CustomerId) FROM Customer';
    expect(query(target, kept)).toBe(query(source, kept));
    const emails = 'SELECT Email FROM Customer ORDER BY CustomerId';
    const [before, after] = [query(source, emails).split('\n'), query(target, emails).split('\n')];
    expect(after).toHaveLength(59);
    expect(after.filter((email, i) => email === before[i])).toEqual([]);
  });

  it('creates objects that work on the copied rows', () => {
    expect(query(target, 'SELECT COUNT(*), SUM(Minutes) FROM TrackLength')).toBe(
      query(source, 'SELECT COUNT(*), SUM(Minutes) FROM TrackLength'),
    );
    expect(query(target, 'CALL CountTracks(@n); SELECT @n')).toBe('3503');
    // The sequence goes on where the source's stands, past every value the source has handed out.
    const next = query(source, 'SELECT next_not_cached_value FROM InvoiceNumber');
    expect(Number(next)).toBeGreaterThan(1000);
    expect(query(target, 'SELECT NEXTVAL(InvoiceNumber)')).toBe(next);
    expect(query(target, 'SELECT COUNT(*) FROM CountryTop')).toMatch(/^\d+$/);
  });

  it('changes no schema on a second run with the flag', async () => {
    const schema = mysqlSchema(target);
    const { events, summary } = await runCollecting({
      rules: rulesFor('chinook.yaml', source, target),
      createSchema: true,
    });
    expect(events.map((e) => e.type)).not.toContain('schema-created');
    expect(summary.tables).toHaveLength(11);
    expect(mysqlSchema(target)).toBe(schema);
  });

  it('refuses a target holding some of the tables, naming the missing ones, and leaves it as it was', async () => {
    const partial = await emptyMysqlDatabase(
      'cs_part',
      'CREATE TABLE Album (AlbumId INT); CREATE TABLE Artist (a INT)',
    );
    others.push(partial);
    const schema = mysqlSchema(partial);
    const error = await failure(
      runCollecting({ rules: rulesFor('chinook.yaml', source, partial), createSchema: true }),
    );
    expect(error).toBeInstanceOf(ConfigError);
    expect(error.message).toBe(
      "--create-schema: the target holds some of the source's tables but not Customer, Employee, Genre, Invoice, " +
        'InvoiceLine, MediaType, Playlist, PlaylistTrack, Track; masque creates a schema only in a target that ' +
        'holds none of them, and never alters one that exists',
    );
    expect(mysqlTables(partial)).toEqual(['Album', 'Artist']);
    expect(mysqlSchema(partial)).toBe(schema);
  });

  it('drops what it created when an object cannot be created, naming it, and keeps what was there', async () => {
    const clash = await emptyMysqlDatabase('cs_clash', 'CREATE FUNCTION TrackMinutes(x INT) RETURNS INT RETURN x');
    others.push(clash);
    const schema = mysqlSchema(clash);
    const error = await failure(runCollecting({ rules: rulesFor('chinook.yaml', source, clash), createSchema: true }));
    expect(error.message).toMatch(/^--create-schema: creating function TrackMinutes in the target: .*already exists/);
    expect(mysqlTables(clash)).toEqual([]);
    expect(mysqlSchema(clash)).toBe(schema);
  });
});
