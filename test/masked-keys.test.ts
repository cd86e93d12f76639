/**
 * A masked natural primary key (a VARCHAR customer code) on PostgreSQL and MariaDB: the foreign
 * keys that reference it take its transform, so every child still joins, each parent keeps its
 * number of children, and the load raises no key error.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createPgDatabase, mysql, mysqlUrl, psql } from './support/databases.ts';
import { runCli } from './support/run-cli.ts';

const schema = `
  CREATE TABLE customer (code VARCHAR(12) PRIMARY KEY, name VARCHAR(40) NOT NULL);
  CREATE TABLE orders (id INT PRIMARY KEY, customer_code VARCHAR(12) NOT NULL REFERENCES customer(code), amount INT);
  CREATE TABLE note (id INT PRIMARY KEY, customer_code VARCHAR(12) REFERENCES customer(code), body VARCHAR(40));`;

// 3000 customers C00001…; customer i has i % 5 orders; every third note has no customer.
const data = (series: (n: number) => string) => `
  INSERT INTO customer SELECT CONCAT('C', LPAD(CAST(g AS VARCHAR(10)), 5, '0')), CONCAT('name ', g) FROM ${series(3000)};
  INSERT INTO orders SELECT g, CONCAT('C', LPAD(CAST(1 + g % 3000 AS VARCHAR(10)), 5, '0')), g FROM ${series(6000)} WHERE (1 + g % 3000) % 5 > FLOOR(g / 3000);
  INSERT INTO note SELECT g, CASE WHEN g % 3 = 0 THEN NULL ELSE CONCAT('C', LPAD(CAST(g AS VARCHAR(10)), 5, '0')) END, 'n' FROM ${series(900)};`;

const rules = `
source: \${MASQUE_SOURCE_URL}
target: \${MASQUE_TARGET_URL}
secret: keys-secret
tables:
  customer: { columns: { code: scramble, name: keep } }
  orders: { columns: { id: keep, amount: keep } }          # customer_code needs no rule: it follows the key
  note: { columns: { id: keep, customer_code: keep, body: keep } }   # its own rule is overridden
`;

const childrenPerParent = `SELECT c.name, COUNT(o.id) FROM customer c LEFT JOIN orders o ON o.customer_code = c.code GROUP BY c.name ORDER BY c.name`;
const orphans = `SELECT (SELECT COUNT(*) FROM orders o WHERE NOT EXISTS (SELECT 1 FROM customer c WHERE c.code = o.customer_code))
  + (SELECT COUNT(*) FROM note n WHERE n.customer_code IS NOT NULL AND NOT EXISTS (SELECT 1 FROM customer c WHERE c.code = n.customer_code))`;

interface Side {
  url: string;
  query(sql: string): string;
}
const engines = [
  {
    name: 'PostgreSQL',
    async create(role: string): Promise<Side & { drop(): Promise<void> }> {
      const db = await createPgDatabase(`keys_${role}`);
      return { url: db.url, drop: db.drop, query: (sql) => psql(db.name, ['-c', sql]) };
    },
    series: (n: number) => `generate_series(1, ${n}) g`,
  },
  {
    name: 'MariaDB',
    async create(role: string): Promise<Side & { drop(): Promise<void> }> {
      const name = `masque_keys_${role}_${Math.random().toString(16).slice(2, 10)}`;
      mysql(undefined, ['-e', `CREATE DATABASE ${name}`]);
      return {
        url: mysqlUrl(name),
        drop: async () => void mysql(undefined, ['-e', `DROP DATABASE ${name}`]),
        query: (sql) => mysql(name, ['-e', sql]),
      };
    },
    series: (n: number) => `(SELECT seq AS g FROM seq_1_to_${n}) s`,
  },
];

describe.each(engines)('a masked natural key on $name', (engine) => {
  let source: Side & { drop(): Promise<void> };
  let target: Side & { drop(): Promise<void> };
  let result: ReturnType<typeof runCli>;

  beforeAll(async () => {
    [source, target] = await Promise.all([engine.create('src'), engine.create('dst')]);
    source.query(schema + data(engine.series));
    target.query(schema);
    const file = join(mkdtempSync(join(tmpdir(), 'masque-keys-')), 'rules.yaml');
    writeFileSync(file, rules);
    result = runCli(['run', '--config', file, '--log', 'json'], {
      MASQUE_SOURCE_URL: source.url,
      MASQUE_TARGET_URL: target.url,
    });
  });
  afterAll(async () => {
    await Promise.all([source?.drop(), target?.drop()]);
  });

  it('loads without a key error', () => {
    expect(result.stderr).toBe('');
    expect(result.status).toBe(0);
    expect(target.query('SELECT COUNT(*) FROM orders').trim()).toBe(source.query('SELECT COUNT(*) FROM orders').trim());
  });

  it('masks every code, keeping its shape', () => {
    const codes = target.query('SELECT code FROM customer ORDER BY name').trim().split('\n');
    expect(codes).toHaveLength(3000);
    expect(new Set(codes).size).toBe(3000);
    for (const code of codes) expect(code).toMatch(/^[A-Z]\d{5}$/);
    const kept = Number(
      target.query(`SELECT COUNT(*) FROM customer WHERE code = CONCAT('C', LPAD(SUBSTRING(name, 6), 5, '0'))`).trim(),
    );
    expect(kept).toBeLessThan(10);
  });

  it('keeps every child joined to its parent, and each parent its number of children', () => {
    expect(target.query(orphans).trim()).toBe('0');
    expect(target.query(childrenPerParent)).toBe(source.query(childrenPerParent));
    expect(target.query('SELECT COUNT(*) FROM note WHERE customer_code IS NULL').trim()).toBe('300');
  });
});
