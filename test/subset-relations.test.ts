/**
 * A key the schema does not declare (`orders.customer_ref`, enforced by an application), given
 * under `relations:`, and a cycle of two nullable keys (`team.captain_id` → player,
 * `player.team_id` → team), on PostgreSQL, MariaDB and SQLite through the CLI: the subset follows
 * the relation down to the orders of the kept customers, the masked key follows it into
 * `customer_ref` (strict: that column needs no rule of its own), `verify` checks it as a key, and
 * the cycle subsets without error and without a broken key.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createScratchDb, type EngineName, type ScratchDb } from './support/scratch-db.ts';
import { masqueJson, rulesWith } from './support/subset-cli.ts';

const customers = 200;
const orders = 1000;
const teams = 30;
const players = 300;

/** The cycle's keys as each engine declares them: PostgreSQL's deferrable, as an application with a cycle makes them. */
const ddl: Record<EngineName, string> = {
  postgres: `
    CREATE TABLE customer (code VARCHAR(12) PRIMARY KEY, name VARCHAR(40) NOT NULL);
    CREATE TABLE orders (id INT PRIMARY KEY, customer_ref VARCHAR(12) NOT NULL, amount INT);
    CREATE INDEX orders_customer_ref ON orders (customer_ref);
    CREATE TABLE team (id INT PRIMARY KEY, name VARCHAR(40) NOT NULL, captain_id INT);
    CREATE TABLE player (id INT PRIMARY KEY, name VARCHAR(40) NOT NULL,
      team_id INT REFERENCES team (id) DEFERRABLE);
    CREATE INDEX player_team ON player (team_id);
    ALTER TABLE team ADD CONSTRAINT team_captain FOREIGN KEY (captain_id) REFERENCES player (id) DEFERRABLE;`,
  mysql: `
    CREATE TABLE customer (code VARCHAR(12) PRIMARY KEY, name VARCHAR(40) NOT NULL);
    CREATE TABLE orders (id INT PRIMARY KEY, customer_ref VARCHAR(12) NOT NULL, amount INT, KEY (customer_ref));
    CREATE TABLE team (id INT PRIMARY KEY, name VARCHAR(40) NOT NULL, captain_id INT);
    CREATE TABLE player (id INT PRIMARY KEY, name VARCHAR(40) NOT NULL, team_id INT,
      CONSTRAINT player_team FOREIGN KEY (team_id) REFERENCES team (id));
    ALTER TABLE team ADD CONSTRAINT team_captain FOREIGN KEY (captain_id) REFERENCES player (id);`,
  sqlite: `
    CREATE TABLE customer (code VARCHAR(12) PRIMARY KEY, name VARCHAR(40) NOT NULL);
    CREATE TABLE orders (id INT PRIMARY KEY, customer_ref VARCHAR(12) NOT NULL, amount INT);
    CREATE INDEX orders_customer_ref ON orders (customer_ref);
    CREATE TABLE team (id INT PRIMARY KEY, name VARCHAR(40) NOT NULL, captain_id INT REFERENCES player (id));
    CREATE TABLE player (id INT PRIMARY KEY, name VARCHAR(40) NOT NULL, team_id INT REFERENCES team (id));
    CREATE INDEX player_team ON player (team_id);`,
};

const code = (i: number) => `C${String(i).padStart(5, '0')}`;
const values = (count: number, row: (i: number) => string) =>
  Array.from({ length: count }, (_, k) => `(${row(k + 1)})`).join(', ');
/**
 * Customer i has i % 6 orders. Player p plays for team 1 + p % 30, every 13th for none; team t's
 * captain is one of its own players, every 7th team's is another team's, every 5th has none.
 */
const data = (): string => {
  const owner: number[] = [];
  for (let i = 1; owner.length < orders; i = (i % customers) + 1) for (let k = 0; k < i % 6; k++) owner.push(i);
  return `
    INSERT INTO customer (code, name) VALUES ${values(customers, (i) => `'${code(i)}', 'name ${i}'`)};
    INSERT INTO orders (id, customer_ref, amount) VALUES ${values(orders, (i) => `${i}, '${code(owner[i - 1]!)}', ${i}`)};
    INSERT INTO team (id, name, captain_id) VALUES ${values(teams, (t) => `${t}, 'team ${t}', NULL`)};
    INSERT INTO player (id, name, team_id) VALUES ${values(players, (p) => `${p}, 'player ${p}', ${p % 13 === 0 ? 'NULL' : 1 + (p % teams)}`)};
    ${Array.from({ length: teams }, (_, k) => {
      const t = k + 1;
      const captain =
        t % 5 === 0 ? 'NULL' : t % 7 === 0 ? String(((t + 7) % teams) + teams + 1) : String(t + teams - 1);
      return `UPDATE team SET captain_id = ${captain} WHERE id = ${t};`;
    }).join('\n')}`;
};

const rules = `source: \${MASQUE_SOURCE_URL}
target: \${MASQUE_TARGET_URL}
secret: \${MASQUE_SECRET}
tables:
  customer: { columns: { code: scramble, name: keep } }
  orders: { columns: { id: keep, amount: keep } } # customer_ref follows the masked code through the relation
  team: { columns: { id: keep, name: keep, captain_id: keep } }
  player: { columns: { id: keep, name: keep, team_id: keep } }
relations:
  - { from: "orders(customer_ref)", to: "customer(code)" }
subset:
  roots:
    customer: { percent: 40 }
    team: { percent: 40 }
`;

describe.each(['postgres', 'mysql', 'sqlite'] as EngineName[])('a relation and a cycle on %s', (engine) => {
  let source: ScratchDb;
  let target: ScratchDb;
  const file = rulesWith('', rules);
  const env = () => ({ MASQUE_SOURCE_URL: source.url, MASQUE_TARGET_URL: target.url, MASQUE_SECRET: 'relations' });
  /** Names as masque reports them: PostgreSQL's schema-qualified. */
  const table = (name: string) => (engine === 'postgres' ? `public.${name}` : name);
  const column = async (db: ScratchDb, sql: string) => (await db.query(sql)).map((row) => String(row[0]));

  beforeAll(async () => {
    [source, target] = await Promise.all([
      createScratchDb(engine, 'rel_src', ddl[engine]),
      createScratchDb(engine, 'rel_dst', ddl[engine]),
    ]);
    await source.exec(data());
  });
  afterAll(async () => {
    await Promise.all([source?.drop(), target?.drop()]);
  });

  it('runs: the relation needs no rule for customer_ref, under strict', () => {
    const result = masqueJson(['run', '--config', file], env());
    expect(result.stderr).toBe('');
    expect(result.status).toBe(0);
  });

  it('keeps the orders of the kept customers, and only those, through the relation', async () => {
    const names = await column(target, 'SELECT name FROM customer');
    expect(names.length).toBeGreaterThan(customers * 0.25);
    expect(names.length).toBeLessThan(customers * 0.55);
    const list = names.map((n) => `'${n}'`).join(', ');
    const wanted = await column(
      source,
      `SELECT o.id FROM orders o JOIN customer c ON c.code = o.customer_ref WHERE c.name IN (${list}) ORDER BY o.id`,
    );
    expect(wanted.length).toBeGreaterThan(0);
    expect(await column(target, 'SELECT id FROM orders ORDER BY id')).toEqual(wanted);
  });

  it('masks customer_ref with the code it references: every order joins its customer, as in the source', async () => {
    const perCustomer =
      'SELECT c.name, COUNT(o.id) FROM customer c JOIN orders o ON o.customer_ref = c.code GROUP BY c.name';
    const before = new Map((await source.query(perCustomer)).map(([n, k]) => [String(n), Number(k)]));
    const after = await target.query(perCustomer);
    expect(after.length).toBeGreaterThan(0);
    for (const [name, count] of after) expect(Number(count), String(name)).toBe(before.get(String(name)));
    const orphans =
      'SELECT COUNT(*) FROM orders o WHERE NOT EXISTS (SELECT 1 FROM customer c WHERE c.code = o.customer_ref)';
    expect(await column(target, orphans)).toEqual(['0']);
    const sourceCodes = new Set(await column(source, 'SELECT code FROM customer'));
    const masked = await column(target, 'SELECT code FROM customer');
    expect(masked.filter((c) => sourceCodes.has(c)).length).toBeLessThan(masked.length / 10);
  });

  it('subsets the cycle: no broken key either way, and fewer rows than the source', async () => {
    const broken = `SELECT
      (SELECT COUNT(*) FROM player p WHERE p.team_id IS NOT NULL AND NOT EXISTS (SELECT 1 FROM team t WHERE t.id = p.team_id))
      + (SELECT COUNT(*) FROM team t WHERE t.captain_id IS NOT NULL AND NOT EXISTS (SELECT 1 FROM player p WHERE p.id = t.captain_id))`;
    expect(await column(target, broken)).toEqual(['0']);
    const kept = await column(target, 'SELECT id FROM team');
    expect(kept.length).toBeGreaterThan(0);
    expect(kept.length).toBeLessThan(teams);
    // A kept team's players reference it: they are its children, all of them kept.
    const wanted = await column(source, `SELECT id FROM player WHERE team_id IN (${kept.join(', ')}) ORDER BY id`);
    const got = await column(target, `SELECT id FROM player WHERE team_id IN (${kept.join(', ')}) ORDER BY id`);
    expect(got.length).toBeLessThanOrEqual(wanted.length);
    expect(Number((await column(target, 'SELECT COUNT(*) FROM player'))[0])).toBeLessThan(players);
  });

  it('verify passes, then finds an order whose customer_ref references no customer', async () => {
    const clean = masqueJson(['verify', '--config', file], env());
    expect(clean.stderr).toBe('');
    expect(clean.status).toBe(0);
    const [first] = await column(target, 'SELECT MIN(id) FROM orders');
    await target.query(`UPDATE orders SET customer_ref = 'NOBODY' WHERE id = ${first}`);
    const result = masqueJson(['verify', '--config', file], env());
    expect(result.status).toBe(1);
    expect(result.events.filter((e) => e.type === 'finding')).toEqual([
      expect.objectContaining({ kind: 'foreign-key', subject: table('orders.customer_ref'), count: 1 }),
    ]);
  });
});
