/**
 * The same questions asked of each engine with its own tools (the mariadb client, better-sqlite3
 * directly), so the checks share no code with masque. Every value comes back as text; NULL as null.
 */
import Database from 'better-sqlite3';
import { createChinookMysql, createChinookSqlite, mysql } from './databases.ts';

export interface EngineDb {
  url: string;
  /** Rows of a query, each value as text or null. */
  query(sql: string): (string | null)[][];
  /** Foreign-key violations, one line each (empty when every key holds). */
  brokenForeignKeys(): string[];
  drop(): Promise<void>;
}

export interface Engine {
  name: string;
  /** Chinook loaded; `empty` keeps the schema without rows, as migrated staging would be. */
  chinook(role: string, options?: { empty?: boolean }): Promise<EngineDb>;
  quote(identifier: string): string;
}

export const mariadb: Engine = {
  name: 'MariaDB',
  quote: (id) => `\`${id}\``,
  async chinook(role, options) {
    const db = await createChinookMysql(role, options);
    const query = (sql: string) =>
      mysql(db.name, ['-e', sql])
        .split('\n')
        .filter((l) => l !== '')
        .map((l) => l.split('\t').map((v) => (v === 'NULL' ? null : v)));
    return {
      url: db.url,
      query,
      drop: db.drop,
      brokenForeignKeys() {
        const fks = query(`SELECT k.TABLE_NAME, k.COLUMN_NAME, k.REFERENCED_TABLE_NAME, k.REFERENCED_COLUMN_NAME
          FROM information_schema.KEY_COLUMN_USAGE k WHERE k.TABLE_SCHEMA = DATABASE() AND k.REFERENCED_TABLE_NAME IS NOT NULL`);
        return fks.flatMap(([t, c, rt, rc]) => {
          const [[n]] = query(
            `SELECT COUNT(*) FROM \`${t}\` x WHERE x.\`${c}\` IS NOT NULL AND NOT EXISTS (SELECT 1 FROM \`${rt}\` p WHERE p.\`${rc}\` = x.\`${c}\`)`,
          ) as [[string]];
          return n === '0' ? [] : [`${t}.${c} → ${rt}: ${n}`];
        });
      },
    };
  },
};

export const sqlite: Engine = {
  name: 'SQLite',
  quote: (id) => `"${id}"`,
  async chinook(role, options) {
    const file = createChinookSqlite(role);
    if (options?.empty) {
      const db = new Database(file.path);
      db.pragma('foreign_keys = OFF');
      for (const { name } of db
        .prepare(`SELECT name FROM sqlite_schema WHERE type = 'table' AND name NOT LIKE 'sqlite_%'`)
        .all() as { name: string }[]) {
        db.exec(`DELETE FROM "${name}"`);
      }
      db.close();
    }
    const withDb = <T>(use: (db: Database.Database) => T): T => {
      const db = new Database(file.path, { readonly: true });
      try {
        return use(db);
      } finally {
        db.close();
      }
    };
    return {
      url: file.url,
      drop: file.drop,
      query: (sql) =>
        withDb((db) =>
          (db.prepare(sql).raw().all() as unknown[][]).map((row) => row.map((v) => (v === null ? null : String(v)))),
        ),
      brokenForeignKeys: () =>
        withDb((db) =>
          (db.pragma('foreign_key_check') as { table: string; parent: string }[]).map(
            (v) => `${v.table} → ${v.parent}`,
          ),
        ),
    };
  },
};
