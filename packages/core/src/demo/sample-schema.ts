import { rmSync } from 'node:fs';
import { openDatabase, type SqliteDatabase } from '../dialects/sqlite/sqlite-driver.ts';

/**
 * The demo's sample schema, the one place it is written: the "production" file is built with it
 * and the "staging" file is created from it, as an application's migrations would. The lengths
 * are deliberate: SQLite does not enforce them, but masque's output must fit them.
 */
export const SAMPLE_SCHEMA_SQL = `
CREATE TABLE customer (
  id          INTEGER PRIMARY KEY,
  first_name  VARCHAR(40) NOT NULL,
  last_name   VARCHAR(40) NOT NULL,
  email       VARCHAR(80) NOT NULL UNIQUE,
  phone       VARCHAR(24),
  birth_date  DATE,
  created_at  DATETIME NOT NULL,
  notes       TEXT
);

CREATE TABLE address (
  id           INTEGER PRIMARY KEY,
  customer_id  INTEGER NOT NULL REFERENCES customer (id),
  street       VARCHAR(80) NOT NULL,
  city         VARCHAR(60) NOT NULL,
  postal_code  VARCHAR(12),
  country      VARCHAR(60) NOT NULL
);
CREATE INDEX address_customer_id ON address (customer_id);

CREATE TABLE orders (
  id           INTEGER PRIMARY KEY,
  customer_id  INTEGER NOT NULL REFERENCES customer (id),
  ordered_at   DATETIME NOT NULL,
  amount       DECIMAL(10,2) NOT NULL,
  status       VARCHAR(16) NOT NULL
);
CREATE INDEX orders_customer_id ON orders (customer_id);
`;

/**
 * Replaces any file at `path` (with its journal or WAL files, which would otherwise be replayed
 * into the new database) by a new database holding the sample schema, and returns it open.
 */
export function createSampleFile(path: string): SqliteDatabase {
  for (const suffix of ['', '-journal', '-wal', '-shm']) rmSync(path + suffix, { force: true });
  const db = openDatabase(path, { readonly: false, create: true });
  try {
    db.exec(SAMPLE_SCHEMA_SQL);
  } catch (error) {
    db.close();
    throw error;
  }
  return db;
}

/** Creates the sample schema with no rows at `path` (the demo's "staging"), replacing any file there. */
export function createSampleSchema(path: string): void {
  createSampleFile(path).close();
}
