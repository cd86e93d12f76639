/**
 * Throwaway databases on the real local servers, loaded from the third-party sample datasets.
 * A missing server fails the suite: these tests never skip.
 */
import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { copyFileSync, existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
export const repoRoot = resolve(here, '../..');
/** The shared datasets live beside the checkout (CI may clone elsewhere); MASQUE_DATASETS overrides. */
export const datasets =
  [process.env.MASQUE_DATASETS, resolve(repoRoot, '../shared/datasets'), '/work/shared/datasets'].find(
    (dir): dir is string => !!dir && existsSync(join(dir, 'pagila')),
  ) ?? resolve(repoRoot, '../shared/datasets');

const pgHost = process.env.PGHOST ?? '127.0.0.1';
const myHost = process.env.MYSQL_HOST ?? '127.0.0.1';
/**
 * Tests work as a plain user, as masque does on a managed database: a PostgreSQL role that may
 * create databases and owns what it creates, no superuser; a MariaDB user with ALL on the test
 * databases only (`masque\_%`), no SUPER, RELOAD or PROCESS. `test/support/test-users.ts` makes
 * them before the suite; the admins (MASQUE_TEST_PG_ADMIN, MASQUE_TEST_MYSQL_ADMIN) only make
 * users and watch or kill sessions.
 */
export const testUser = 'masque_test';
const pgUser = process.env.PGUSER ?? testUser;
const myUser = process.env.MYSQL_USER ?? testUser;
export const pgAdmin = process.env.MASQUE_TEST_PG_ADMIN ?? 'postgres';
export const mysqlAdmin = process.env.MASQUE_TEST_MYSQL_ADMIN ?? 'root';

export interface TestDatabase {
  name: string;
  url: string;
  drop(): Promise<void>;
}

function uniqueName(prefix: string): string {
  return `masque_${prefix}_${randomBytes(4).toString('hex')}`;
}

function run(command: string, args: string[], input?: string): string {
  return execFileSync(command, args, { input, encoding: 'utf8', stdio: ['pipe', 'pipe', 'pipe'], maxBuffer: 1 << 28 });
}

// ---------------------------------------------------------------- PostgreSQL

/** psql as the test user. */
export function psql(database: string, args: string[], input?: string): string {
  return psqlAs(pgUser, database, args, input);
}

/** psql as the superuser: only for making roles and for what a test must see of other sessions. */
export function psqlAdmin(database: string, args: string[], input?: string): string {
  return psqlAs(pgAdmin, database, args, input);
}

function psqlAs(user: string, database: string, args: string[], input?: string): string {
  return run(
    'psql',
    ['-X', '-q', '-A', '-t', '-v', 'ON_ERROR_STOP=1', '-h', pgHost, '-U', user, '-d', database, ...args],
    input,
  );
}

export function pgUrl(database: string): string {
  return `postgres://${pgUser}@${pgHost}:5432/${database}`;
}

export async function createPgDatabase(prefix: string, files: string[] = []): Promise<TestDatabase> {
  const name = uniqueName(prefix);
  psql('postgres', ['-c', `CREATE DATABASE ${name}`]);
  // The test user owns what it loads: the dumps' `ALTER … OWNER TO postgres` would need superuser.
  for (const file of files) psql(name, [], withoutOwners(readFileSync(file, 'utf8')));
  return {
    name,
    url: pgUrl(name),
    // As the superuser: FORCE ends every session, the test user's and the admin's alike.
    drop: async () => void psqlAdmin('postgres', ['-c', `DROP DATABASE IF EXISTS ${name} WITH (FORCE)`]),
  };
}

/** A dump's script without its `ALTER … OWNER TO …;` statements (one line each in pg_dump's output). */
export function withoutOwners(script: string): string {
  return script.replace(/^ALTER [^\n]* OWNER TO [^\n]*;$/gm, '');
}

export const pagila = {
  schema: join(datasets, 'pagila/pagila-schema.sql'),
  data: join(datasets, 'pagila/pagila-data.sql'),
  jsonb: join(datasets, 'pagila/pagila-schema-jsonb.sql'),
};

/** Pagila as production: schema, data and the JSONB tables. */
export function createPagilaSource(): Promise<TestDatabase> {
  return createPgDatabase('pagila_src', [pagila.schema, pagila.data, pagila.jsonb]);
}

/** Pagila's schema without rows, as the application's migrations would leave staging. */
export function createPagilaTarget(): Promise<TestDatabase> {
  return createPgDatabase('pagila_dst', [pagila.schema, pagila.jsonb]);
}

// ---------------------------------------------------------------- MariaDB / MySQL

/** The mariadb client as the test user. */
export function mysql(database: string | undefined, args: string[], input?: string): string {
  return mysqlAs(myUser, database, args, input);
}

/** The mariadb client as root: only for making users and for what a test must see of other sessions. */
export function mysqlAsAdmin(database: string | undefined, args: string[], input?: string): string {
  return mysqlAs(mysqlAdmin, database, args, input);
}

function mysqlAs(user: string, database: string | undefined, args: string[], input?: string): string {
  return run('mariadb', ['-h', myHost, '-u', user, '-N', '-B', ...(database ? ['-D', database] : []), ...args], input);
}

export function mysqlUrl(database: string): string {
  return `mysql://${myUser}@${myHost}:3306/${database}`;
}

/** Chinook on MariaDB under a throwaway name; `empty` keeps the schema and deletes every row. */
export async function createChinookMysql(prefix: string, options: { empty?: boolean } = {}): Promise<TestDatabase> {
  const name = uniqueName(prefix);
  const script = readFileSync(join(datasets, 'chinook/Chinook_MySql.sql'), 'utf8').replaceAll(
    '`Chinook`',
    `\`${name}\``,
  );
  mysql(undefined, [], script);
  if (options.empty) {
    const tables = mysql(name, ['-e', 'SHOW TABLES']).trim().split('\n');
    mysql(name, [], `SET FOREIGN_KEY_CHECKS=0;\n${tables.map((t) => `DELETE FROM \`${t}\`;`).join('\n')}`);
  }
  return {
    name,
    url: mysqlUrl(name),
    drop: async () => void mysql(undefined, ['-e', `DROP DATABASE IF EXISTS \`${name}\``]),
  };
}

// ---------------------------------------------------------------- SQLite

export interface TestFile {
  path: string;
  url: string;
  drop(): Promise<void>;
}

/** A copy of Chinook's SQLite file in a temporary folder. */
export function createChinookSqlite(name: string): TestFile {
  const folder = mkdtempSync(join(tmpdir(), 'masque-'));
  const path = join(folder, `${name}.sqlite`);
  copyFileSync(join(datasets, 'chinook/Chinook_Sqlite.sqlite'), path);
  return { path, url: `sqlite:${path}`, drop: async () => rmSync(folder, { recursive: true, force: true }) };
}
