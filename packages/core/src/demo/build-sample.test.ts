import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { createSqliteDialect } from '../dialects/sqlite/sqlite-dialect.ts';
import { openDatabase } from '../dialects/sqlite/sqlite-driver.ts';
import { ConfigError } from '../errors.ts';
import { buildSampleDatabase, createSampleSchema } from './build-sample.ts';

const folder = mkdtempSync(join(tmpdir(), 'masque-demo-'));
afterAll(() => rmSync(folder, { recursive: true, force: true }));
let files = 0;
const newPath = () => join(folder, `sample-${++files}.db`);

function query<T>(path: string, sql: string): T[] {
  const db = openDatabase(path, { readonly: true });
  try {
    return db.prepare(sql).all() as T[];
  } finally {
    db.close();
  }
}

/** Every row of every table, for comparing two files. */
function dump(path: string): unknown[] {
  return ['customer', 'address', 'orders'].flatMap((t) => query(path, `SELECT * FROM ${t} ORDER BY id`));
}

describe('buildSampleDatabase', () => {
  const path = newPath();
  const built = buildSampleDatabase(path);

  it('builds 200 customers with 1-2 addresses and 0-5 orders each, and says how many', () => {
    const counts = query<{ t: string; n: number }>(
      path,
      `SELECT 'customer' AS t, count(*) AS n FROM customer
       UNION ALL SELECT 'address', count(*) FROM address UNION ALL SELECT 'orders', count(*) FROM orders`,
    );
    expect(Object.fromEntries(counts.map((c) => [c.t, c.n]))).toEqual(built.tables);
    expect(built.tables.customer).toBe(200);
    expect(built.tables.address).toBeGreaterThanOrEqual(200);
    expect(built.tables.address).toBeLessThanOrEqual(400);
    expect(built.tables.orders).toBeGreaterThan(200);
    expect(built.tables.orders).toBeLessThanOrEqual(1000);
    const perCustomer = query<{ a: number; o: number }>(
      path,
      `SELECT (SELECT count(*) FROM address WHERE customer_id = c.id) AS a,
              (SELECT count(*) FROM orders WHERE customer_id = c.id) AS o FROM customer c`,
    );
    expect(perCustomer.every(({ a, o }) => a >= 1 && a <= 2 && o >= 0 && o <= 5)).toBe(true);
  });

  it('keeps every foreign key and fills the columns realistically', () => {
    expect(query(path, 'PRAGMA foreign_key_check')).toEqual([]);
    const [stats] = query<Record<string, number>>(
      path,
      `SELECT count(DISTINCT lower(email)) AS emails, sum(email LIKE '%_@_%._%') AS valid,
              sum(notes IS NULL) AS noNotes,
              sum(birth_date GLOB '[12][0-9][0-9][0-9]-[01][0-9]-[0-3][0-9]') AS dates FROM customer`,
    );
    expect(stats).toMatchObject({ emails: 200, valid: 200, dates: 200 });
    expect(stats?.noNotes).toBeGreaterThan(100);
    expect(stats?.noNotes).toBeLessThan(200);
    const [orders] = query<Record<string, number>>(
      path,
      `SELECT min(amount) AS low, max(amount) AS high, count(DISTINCT status) AS statuses FROM orders`,
    );
    expect(orders?.low).toBeGreaterThanOrEqual(5);
    expect(orders?.high).toBeLessThanOrEqual(500);
    expect(orders?.statuses).toBeGreaterThan(3);
    // Ids follow time, as in a live system.
    const times = query<{ at: string }>(path, 'SELECT ordered_at AS at FROM orders ORDER BY id').map((r) => r.at);
    expect(times).toEqual([...times].sort());
  });

  it('fits every value into its declared length', async () => {
    const dialect = await createSqliteDialect(`sqlite:${path}`);
    const { tables } = await dialect.introspect();
    await dialect.close();
    const bounded = tables.flatMap((t) =>
      t.columns.filter((c) => c.maxLength !== undefined).map((c) => ({ table: t.name, ...c })),
    );
    expect(bounded.map((c) => c.name)).toEqual([
      'street',
      'city',
      'postal_code',
      'country',
      'first_name',
      'last_name',
      'email',
      'phone',
      'status',
    ]);
    for (const column of bounded) {
      const [row] = query<{ n: number }>(path, `SELECT max(length(${column.name})) AS n FROM ${column.table}`);
      expect(row?.n, `${column.table}.${column.name}`).toBeLessThanOrEqual(column.maxLength as number);
    }
  });

  it('gives the same rows for the same seed and other rows for another', () => {
    const again = newPath();
    buildSampleDatabase(again);
    expect(dump(again)).toEqual(dump(path));
    const other = newPath();
    buildSampleDatabase(other, { seed: 7 });
    expect(dump(other)).not.toEqual(dump(path));
    const empty = newPath();
    expect(buildSampleDatabase(empty, { customers: 0 }).tables).toEqual({ customer: 0, address: 0, orders: 0 });
  });

  it('refuses a customer count that is not a whole number', () => {
    expect(() => buildSampleDatabase(newPath(), { customers: -1 })).toThrow(ConfigError);
    expect(() => buildSampleDatabase(newPath(), { customers: 2.5 })).toThrow(ConfigError);
  });
});

describe('createSampleSchema', () => {
  it('creates the same tables without rows, replacing an existing file', async () => {
    const production = newPath();
    buildSampleDatabase(production, { customers: 5 });
    const staging = newPath();
    buildSampleDatabase(staging, { customers: 5 });
    createSampleSchema(staging);
    const shape = async (path: string) => {
      const dialect = await createSqliteDialect(`sqlite:${path}`);
      const { tables } = await dialect.introspect();
      await dialect.close();
      return tables.map((t) => ({ ...t, estimatedRows: undefined }));
    };
    expect(await shape(staging)).toEqual(await shape(production));
    expect(dump(staging)).toEqual([]);
  });
});
