/**
 * `masque check` on the `subset:` and `relations:` sections, against live databases (PostgreSQL
 * and SQLite): an unknown root or relation table or column, and a root `where` the source cannot
 * run, each an error at its file:line:column (exit 1); a relation that cannot be read, a config
 * error (exit 2); correct sections pass.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createScratchDb, type EngineName, type ScratchDb } from './support/scratch-db.ts';
import { masqueJson, rulesWith } from './support/subset-cli.ts';

const ddl = `
  CREATE TABLE customer (id INT PRIMARY KEY, email VARCHAR(80) NOT NULL, store INT NOT NULL);
  CREATE TABLE orders (id INT PRIMARY KEY, customer_ref INT NOT NULL, amount INT);`;

const head = `source: \${MASQUE_SOURCE_URL}
target: \${MASQUE_TARGET_URL}
secret: s
tables:
  customer: { columns: { id: keep, email: email, store: keep } }
  orders: { columns: { id: keep, customer_ref: keep, amount: keep } }
`;

describe.each(['postgres', 'sqlite'] as EngineName[])('masque check of subset: and relations: on %s', (engine) => {
  let source: ScratchDb;
  let target: ScratchDb;
  const name = (table: string) => (engine === 'postgres' ? `public.${table}` : table);
  const check = (rules: string) =>
    masqueJson(['check', '--config', rules], { MASQUE_SOURCE_URL: source.url, MASQUE_TARGET_URL: target.url }, 60);
  const problems = (result: ReturnType<typeof check>) =>
    result.events.filter((e) => e.type === 'problem' && e.severity === 'error');

  beforeAll(async () => {
    [source, target] = await Promise.all([
      createScratchDb(engine, 'chk_src', ddl),
      createScratchDb(engine, 'chk_dst', ddl),
    ]);
  });
  afterAll(async () => {
    await Promise.all([source?.drop(), target?.drop()]);
  });

  it('passes correct sections', () => {
    const rules = rulesWith(
      '',
      `${head}relations:\n  - { from: "orders(customer_ref)", to: "customer(id)" }\nsubset:\n  roots:\n    customer: { where: "store = 1", percent: 10 }\n`,
    );
    const result = check(rules);
    expect(result.stderr).toBe('');
    expect(result.status).toBe(0);
    expect(problems(result)).toEqual([]);
  });

  it('names an unknown root, a relation column and a where the source refuses, each at its place', () => {
    const rules = rulesWith(
      '',
      `${head}relations:\n  - { from: "orders(customer)", to: "customer(id)" }\nsubset:\n  roots:\n` +
        `    customer: { where: "shop = 1", limit: 5 }\n    custmers: { percent: 5 }\n`,
    );
    const result = check(rules);
    expect(result.status).toBe(1);
    const found = problems(result).map((p) => `${p.subject}: ${p.message} (${p.place.line}:${p.place.column})`);
    expect(found).toHaveLength(3);
    expect(found[0]).toBe(`${name('orders')}.customer: relation: no such column (9:13)`);
    expect(found[1]).toMatch(
      new RegExp(
        `^${name('customer').replace('.', '\\.')}: subset root: its where does not run on the source: .*shop.* \\(12:24\\)$`,
      ),
    );
    expect(found[2]).toBe(
      'custmers: subset root: no such table among those the run copies (did you mean customer?) (13:5)',
    );
  });

  it('stops on a relation it cannot read, with exit 2 and the place', () => {
    const rules = rulesWith('', `${head}relations:\n  - { from: "orders.customer_ref", to: "customer(id)" }\n`);
    const result = check(rules);
    expect(result.status).toBe(2);
    expect(result.stderr).toContain(`${rules}:9:13: cannot read 'orders.customer_ref' as a key`);
  });
});
