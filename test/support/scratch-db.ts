/**
 * An empty throwaway database made from DDL on any engine, and statements on connections of their
 * own through the engine's driver, for fixtures and checks that do not go through a Dialect.
 * A missing server fails: these tests never skip.
 */
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { createConnection, type Connection } from 'mysql2/promise';
import { connectPostgres } from '../../packages/core/src/dialects/postgres/postgres-driver.ts';
import { createPgDatabase, mysql, mysqlUrl } from './databases.ts';

type PgClient = Awaited<ReturnType<typeof connectPostgres>>;

export type EngineName = 'postgres' | 'mysql' | 'sqlite';

export interface ScratchDb {
  url: string;
  /** Set on SQLite: the database file. */
  path?: string;
  /** Runs statements separated by `;` (DDL) on a new connection. */
  exec(script: string): Promise<void>;
  /**
   * Runs one statement on a new connection (autocommit) and resolves to its rows as arrays of
   * what the driver returns. `?` marks a parameter on every engine; Buffers bind as bytes.
   */
  query(sql: string, params?: unknown[]): Promise<unknown[][]>;
  drop(): Promise<void>;
}

/** A new database on `engine`, named after `role`, holding what `ddl` creates. */
export async function createScratchDb(engine: EngineName, role: string, ddl: string): Promise<ScratchDb> {
  const create: Record<EngineName, (role: string) => Promise<ScratchDb>> = {
    postgres: postgresDb,
    mysql: mysqlDb,
    sqlite: sqliteDb,
  };
  const db = await create[engine](role);
  await db.exec(ddl);
  return db;
}

async function postgresDb(role: string): Promise<ScratchDb> {
  const db = await createPgDatabase(role);
  const withClient = async <T>(use: (client: PgClient) => Promise<T>): Promise<T> => {
    const client = await connectPostgres(db.url);
    try {
      return await use(client);
    } finally {
      await client.end();
    }
  };
  return {
    url: db.url,
    exec: (script) => withClient(async (client) => void (await client.query(script))),
    query(sql, params = []) {
      let n = 0;
      const text = sql.replace(/\?/g, () => `$${++n}`);
      return withClient(async (client) => (await client.query({ text, values: params, rowMode: 'array' })).rows);
    },
    drop: db.drop,
  };
}

async function mysqlDb(role: string): Promise<ScratchDb> {
  const name = `masque_${role}_${randomBytes(4).toString('hex')}`;
  mysql(undefined, ['-e', `CREATE DATABASE \`${name}\` CHARACTER SET utf8mb4`]);
  const url = mysqlUrl(name);
  const withConnection = async <T>(use: (conn: Connection) => Promise<T>): Promise<T> => {
    const conn = await createConnection({ uri: url, rowsAsArray: true, multipleStatements: true, charset: 'utf8mb4' });
    try {
      return await use(conn);
    } finally {
      await conn.end();
    }
  };
  return {
    url,
    exec: (script) => withConnection(async (conn) => void (await conn.query(script))),
    query: (sql, params = []) =>
      withConnection(async (conn) => {
        const [rows] = await conn.query(sql, params);
        return Array.isArray(rows) ? (rows as unknown[][]) : [];
      }),
    drop: async () => void mysql(undefined, ['-e', `DROP DATABASE IF EXISTS \`${name}\``]),
  };
}

async function sqliteDb(role: string): Promise<ScratchDb> {
  const folder = mkdtempSync(join(tmpdir(), 'masque-'));
  const path = join(folder, `${role}.sqlite`);
  const withDb = async <T>(use: (db: Database.Database) => T): Promise<T> => {
    const db = new Database(path, { timeout: 5_000 });
    try {
      return use(db);
    } finally {
      db.close();
    }
  };
  // WAL, so that a reader's snapshot never blocks a writer, as on the servers.
  await withDb((db) => db.pragma('journal_mode = WAL'));
  return {
    url: `sqlite:${path}`,
    path,
    exec: (script) => withDb((db) => void db.exec(script)),
    query: (sql, params = []) =>
      withDb((db) => {
        const statement = db.prepare(sql);
        if (statement.reader) return statement.raw().all(...params) as unknown[][];
        statement.run(...params);
        return [];
      }),
    drop: async () => rmSync(folder, { recursive: true, force: true }),
  };
}
