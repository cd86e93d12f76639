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
const pgUser = process.env.PGUSER ?? 'postgres';
const myHost = process.env.MYSQL_HOST ?? '127.0.0.1';
const myUser = process.env.MYSQL_USER ?? 'root';

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

export function psql(database: string, args: string[], input?: string): string {
  return run(
    'psql',
    ['-X', '-q', '-A', '-t', '-v', 'ON_ERROR_STOP=1', '-h', pgHost, '-U', pgUser, '-d', database, ...args],
    input,
  );
}

export function pgUrl(database: string): string {
  return `postgres://${pgUser}@${pgHost}:5432/${database}`;
}

export async function createPgDatabase(prefix: string, files: string[] = []): Promise<TestDatabase> {
  const name = uniqueName(prefix);
  psql('postgres', ['-c', `CREATE DATABASE ${name}`]);
  for (const file of files) psql(name, ['-f', file]);
  return {
    name,
    url: pgUrl(name),
    drop: async () => void psql('postgres', ['-c', `DROP DATABASE IF EXISTS ${name} WITH (FORCE)`]),
  };
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

export function mysql(database: string | undefined, args: string[], input?: string): string {
  return run(
    'mariadb',
    ['-h', myHost, '-u', myUser, '-N', '-B', ...(database ? ['-D', database] : []), ...args],
    input,
  );
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
