/**
 * Generated throwaway databases large enough to kill a run in the middle of a table: customers,
 * their orders and the orders' items (foreign keys between them), every row carrying the
 * `generation` it was written in, on each engine. Checks use the engines' own tools or drivers,
 * never masque's code.
 */
import { createHash, randomBytes } from 'node:crypto';
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import Database from 'better-sqlite3';
import { createPgDatabase, mysql, mysqlAsAdmin, mysqlUrl, psql } from './databases.ts';

export const generatedTables = ['customer', 'orders', 'item'] as const;

/** Rows per table: enough for a load of several seconds, so a kill can land inside a table. */
export interface Sizes {
  customer: number;
  orders: number;
  item: number;
}
export const defaultSizes: Sizes = { customer: 40_000, orders: 120_000, item: 240_000 };

export interface GeneratedDb {
  url: string;
  /** Per table: row count and a digest of every row, in key order. */
  checksums(): Record<string, string>;
  /** Per table: row count and the generations present, in one statement (one snapshot). */
  view(): Promise<string>;
  /** Staging objects a run left behind (shadow tables, schema or files). */
  leftovers(): string[];
  /** True while a run's cut-over copies rows from its staging area (as far as the engine shows). */
  cutOverRunning(): Promise<boolean>;
  /** Rewrites every source row as `generation`. */
  setGeneration(generation: number): void;
  drop(): Promise<void>;
}

export interface GeneratedEngine {
  name: string;
  /** `sizes` undefined: the schema without rows, as migrated staging would be. */
  create(role: string, sizes?: Sizes): Promise<GeneratedDb>;
}

/** The rules for these tables; the same file serves every engine. */
export const generatedRules = join(dirname(fileURLToPath(import.meta.url)), 'generated-rules.yaml');

const ddl = (text: string, big: string, num: string) => `
  CREATE TABLE customer (id ${big} PRIMARY KEY, name ${text} NOT NULL, email ${text} NOT NULL, generation INT NOT NULL);
  CREATE TABLE orders (id ${big} PRIMARY KEY, customer_id ${big} NOT NULL REFERENCES customer (id), amount ${num}, note ${text}, generation INT NOT NULL);
  CREATE TABLE item (id ${big} PRIMARY KEY, order_id ${big} NOT NULL REFERENCES orders (id), sku ${text}, qty INT, generation INT NOT NULL);
  CREATE INDEX orders_customer ON orders (customer_id);
  CREATE INDEX item_order ON item (order_id);`;

/** INSERT … SELECT over a series `i`, in the engine's spelling of string concatenation. */
const fill = (sizes: Sizes, series: (n: number) => string, cat: (...parts: string[]) => string) => `
  INSERT INTO customer SELECT i, ${cat("'Name '", 'i')}, ${cat("'person'", 'i', "'@example.com'")}, 1 FROM ${series(sizes.customer)};
  INSERT INTO orders SELECT i, 1 + i % ${sizes.customer}, (i % 1000) / 10.0, ${cat("'note about order '", 'i')}, 1 FROM ${series(sizes.orders)};
  INSERT INTO item SELECT i, 1 + i % ${sizes.orders}, ${cat("'SKU-'", 'i % 977')}, i % 7, 1 FROM ${series(sizes.item)};`;

const digest = (lines: string) => createHash('sha256').update(lines).digest('hex').slice(0, 16);

export const postgres: GeneratedEngine = {
  name: 'PostgreSQL',
  async create(role, sizes) {
    const db = await createPgDatabase(`gen_${role}`);
    psql(
      db.name,
      [],
      ddl('text', 'bigint', 'numeric(10,2)') +
        (sizes
          ? fill(
              sizes,
              (n) => `generate_series(1, ${n}) i`,
              (...p) => p.join(' || '),
            )
          : ''),
    );
    const one = (sql: string) => psql(db.name, ['-c', sql]).trim();
    return {
      url: db.url,
      drop: db.drop,
      checksums: () =>
        Object.fromEntries(
          generatedTables.map((t) => [
            t,
            one(`SELECT count(*) || ' ' || md5(coalesce(string_agg(r::text, E'\\n' ORDER BY id), '')) FROM ${t} r`),
          ]),
        ),
      view: async () =>
        one(
          `SELECT ${generatedTables.map((t) => `(SELECT count(*) || ':' || coalesce(string_agg(DISTINCT generation::text, ','), '') FROM ${t})`).join(" || ' ' || ")}`,
        ),
      leftovers: () =>
        one(`SELECT string_agg(nspname, ',') FROM pg_namespace WHERE nspname LIKE 'masque%'`)
          .split(',')
          .filter(Boolean),
      cutOverRunning: async () =>
        one(
          `SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() AND state = 'active' AND query LIKE 'INSERT INTO % SELECT % FROM masque_shadow.%'`,
        ) !== '0',
      setGeneration: (g) =>
        void psql(db.name, ['-c', generatedTables.map((t) => `UPDATE ${t} SET generation = ${g};`).join(' ')]),
    };
  },
};

export const mariadb: GeneratedEngine = {
  name: 'MariaDB',
  async create(role, sizes) {
    const name = `masque_gen_${role}_${randomBytes(4).toString('hex')}`;
    mysql(undefined, ['-e', `CREATE DATABASE \`${name}\``]);
    mysql(
      name,
      [],
      ddl('VARCHAR(200)', 'BIGINT', 'DECIMAL(10,2)') +
        (sizes
          ? fill(
              sizes,
              (n) => `(SELECT seq AS i FROM seq_1_to_${n}) s`,
              (...p) => `CONCAT(${p.join(', ')})`,
            )
          : ''),
    );
    const one = (sql: string) => mysql(name, ['-e', sql]).trim();
    return {
      url: mysqlUrl(name),
      drop: async () => void mysql(undefined, ['-e', `DROP DATABASE IF EXISTS \`${name}\``]),
      checksums: () =>
        Object.fromEntries(
          generatedTables.map((t) => [
            t,
            `${one(`SELECT COUNT(*) FROM ${t}`)} ${one(`CHECKSUM TABLE ${t}`).split('\t')[1]}`,
          ]),
        ),
      view: async () =>
        one(
          `SELECT CONCAT_WS(' ', ${generatedTables.map((t) => `(SELECT CONCAT(COUNT(*), ':', COALESCE(GROUP_CONCAT(DISTINCT generation), '')) FROM ${t})`).join(', ')})`,
        ),
      leftovers: () =>
        one(
          `SELECT TABLE_NAME FROM information_schema.TABLES WHERE TABLE_SCHEMA = '${name}' AND TABLE_NAME LIKE '\\_masque%'`,
        )
          .split('\n')
          .filter(Boolean),
      cutOverRunning: async () =>
        // As root: the plain test user sees its own sessions only when they are in its database.
        // A move (INSERT … SELECT), or, before a swap's RENAME, an index built on a shadow or the key check.
        mysqlAsAdmin(name, [
          '-e',
          `SELECT COUNT(*) FROM information_schema.PROCESSLIST WHERE DB = '${name}'
           AND (INFO LIKE 'INSERT INTO % SELECT % FROM \`\\_masque\\_new\\_%'
                OR INFO LIKE 'ALTER TABLE \`\\_masque\\_new\\_%' OR INFO LIKE 'SELECT COUNT(*) FROM \`\\_masque\\_new\\_%')`,
        ]).trim() !== '0',
      setGeneration: (g) =>
        void mysql(name, ['-e', generatedTables.map((t) => `UPDATE ${t} SET generation = ${g};`).join(' ')]),
    };
  },
};

export const sqlite: GeneratedEngine = {
  name: 'SQLite',
  async create(role, sizes) {
    const folder = mkdtempSync(join(tmpdir(), 'masque-gen-'));
    const path = join(folder, `${role}.sqlite`);
    const db = new Database(path);
    db.pragma('journal_mode = WAL');
    const series = (n: number) =>
      `(WITH RECURSIVE s(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM s WHERE i < ${n}) SELECT i FROM s)`;
    db.exec(ddl('TEXT', 'INTEGER', 'NUMERIC(10,2)') + (sizes ? fill(sizes, series, (...p) => p.join(' || ')) : ''));
    db.close();
    const withDb = <T>(use: (db: Database.Database) => T): T => {
      const handle = new Database(path, { timeout: 10_000 });
      try {
        return use(handle);
      } finally {
        handle.close();
      }
    };
    return {
      url: `sqlite:${path}`,
      drop: async () => rmSync(folder, { recursive: true, force: true }),
      checksums: () =>
        withDb((h) =>
          Object.fromEntries(
            generatedTables.map((t) => {
              const rows = h.prepare(`SELECT * FROM ${t} ORDER BY id`).raw().all() as unknown[][];
              return [t, `${rows.length} ${digest(rows.map((r) => JSON.stringify(r)).join('\n'))}`];
            }),
          ),
        ),
      view: async () =>
        withDb(
          (h) =>
            h
              .prepare(
                `SELECT ${generatedTables.map((t) => `(SELECT count(*) || ':' || coalesce(group_concat(DISTINCT generation), '') FROM ${t})`).join(" || ' ' || ")} AS v`,
              )
              .pluck()
              .get() as string,
        ),
      leftovers: () => readdirSync(dirname(path)).filter((f) => f.startsWith(`${basename(path)}.masque-new`)),
      // Another process's statement cannot be seen: the test relies on the `commit` event.
      cutOverRunning: async () => true,
      setGeneration: (g) =>
        withDb((h) => void h.exec(generatedTables.map((t) => `UPDATE ${t} SET generation = ${g};`).join(' '))),
    };
  },
};
