/**
 * The target's triggers never fire during a SQLite load, and are never lost (issue 17): an app
 * schema with an AFTER INSERT copy into another loaded table, an AFTER INSERT stamp, an audit
 * trigger writing a loaded audit table, DELETE triggers (one writing a table the run does not
 * load) and a view's INSTEAD OF trigger. Staged and `--direct`: the target holds exactly the
 * source's masked copy and every trigger is back with its SQL; a failure, a stop and `kill -9` at
 * several moments leave the target, triggers included, as it was.
 */
import { createHash } from 'node:crypto';
import { copyFileSync, existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { parseRules } from '@masque/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCollecting } from './support/run-refresh.ts';
import { spawnCli, type CliEvent, type RunningCli } from './support/spawn-cli.ts';

const schema = `
  CREATE TABLE account (id INTEGER PRIMARY KEY, email TEXT NOT NULL UNIQUE, name TEXT NOT NULL, created_at TEXT);
  CREATE TRIGGER account_created_at AFTER INSERT ON account
  BEGIN
    UPDATE account SET created_at = datetime('now') WHERE rowid = NEW.rowid;
  END;
  CREATE TABLE account_search (account_id INTEGER PRIMARY KEY REFERENCES account (id), name TEXT NOT NULL);
  CREATE TRIGGER account_search_copy AFTER INSERT ON account
  BEGIN
    INSERT INTO account_search (account_id, name) VALUES (NEW.id, NEW.name);
  END;
  CREATE TABLE orders (
    id INTEGER PRIMARY KEY,
    account_id INTEGER NOT NULL REFERENCES account (id),
    total NUMERIC(10,2) NOT NULL
  );
  CREATE INDEX orders_account ON orders (account_id);
  CREATE TABLE audit_log (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    table_name TEXT NOT NULL,
    row_id INTEGER NOT NULL,
    action TEXT NOT NULL,
    at TEXT NOT NULL DEFAULT (datetime('now'))
  );
  CREATE TRIGGER "orders audit" AFTER INSERT ON Orders
  BEGIN
    INSERT INTO audit_log (table_name, row_id, action) VALUES ('orders', NEW.id, 'insert');
  END;
  CREATE TABLE order_archive (id INTEGER PRIMARY KEY, account_id INTEGER NOT NULL, total NUMERIC(10,2) NOT NULL);
  CREATE TRIGGER orders_archive BEFORE DELETE ON orders
  BEGIN
    INSERT INTO order_archive VALUES (OLD.id, OLD.account_id, OLD.total);
  END;
  CREATE TRIGGER account_deleted AFTER DELETE ON account
  BEGIN
    INSERT INTO audit_log (table_name, row_id, action) VALUES ('account', OLD.id, 'delete');
  END;
  CREATE VIEW account_orders AS
    SELECT a.id AS account_id, a.email, count(o.id) AS orders FROM account a LEFT JOIN orders o ON o.account_id = a.id
    GROUP BY a.id;
  CREATE TRIGGER account_orders_insert INSTEAD OF INSERT ON account_orders
  BEGIN
    INSERT INTO account (email, name) VALUES (NEW.email, NEW.email);
  END;`;

/** The tables the runs load: order_archive is left out, and only a DELETE trigger of orders writes it. */
const loaded = ['account', 'account_search', 'orders', 'audit_log'];
/** The triggers on loaded tables, in the order the schema made them. */
const loadedTriggers = [
  'account_created_at',
  'account_search_copy',
  'orders audit',
  'orders_archive',
  'account_deleted',
];

const series = (n: number) =>
  `(WITH RECURSIVE s(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM s WHERE i < ${n}) SELECT i FROM s)`;

/**
 * Rows made through the triggers, as the application made them, then dated in the past: `accounts`
 * accounts (stamped, copied into account_search), `orders` orders (each audited), one in ten of
 * them deleted again (archived), and accounts without orders deleted (audited).
 */
function fill(db: Database.Database, accounts: number, orders: number, tag: string): void {
  db.exec(`
    INSERT INTO account (id, email, name) SELECT i, '${tag}' || i || '@example.com', 'Person ${tag} ' || i FROM ${series(accounts)};
    INSERT INTO orders (id, account_id, total) SELECT i, 1 + i % ${accounts - 5}, (i % 500) / 4.0 FROM ${series(orders)};
    DELETE FROM orders WHERE id % 10 = 0;
    DELETE FROM account_search WHERE account_id > ${accounts - 5};
    DELETE FROM account WHERE id > ${accounts - 5};
    UPDATE account SET created_at = datetime('2020-01-01', '+' || id || ' minutes');
    UPDATE audit_log SET at = datetime('2021-01-01', '+' || id || ' seconds');`);
}

const rules = (source: string, target: string): string => `
source: sqlite:${source}
target: sqlite:${target}
secret: trigger-secret
strict: true
tables:
  account: { columns: { id: keep, email: email, name: person.fullName, created_at: keep } }
  account_search: { columns: { account_id: keep, name: person.fullName } }
  orders: { columns: { id: keep, account_id: keep, total: keep } }
  audit_log: { columns: { id: keep, table_name: keep, row_id: keep, action: keep, at: keep } }
  order_archive: { columns: { id: keep, account_id: keep, total: keep } }
`;

/** `create` only for the templates: a missing file afterwards is a failure. */
function withDb<T>(path: string, use: (db: Database.Database) => T, create = false): T {
  // Read-write, so that a hot journal a killed run left is rolled back first.
  const db = new Database(path, { fileMustExist: !create, timeout: 10_000 });
  try {
    return use(db);
  } finally {
    db.close();
  }
}

interface SchemaRow {
  rowid: number;
  type: string;
  name: string;
  tbl_name: string;
  sql: string | null;
}

const schemaRows = (path: string): SchemaRow[] =>
  withDb(path, (db) =>
    db.prepare('SELECT rowid, type, name, tbl_name, sql FROM sqlite_schema ORDER BY rowid').all(),
  ) as SchemaRow[];

/** Row count and a digest of every value (as SQL literals, so storage classes count) of `columns`. */
function digest(path: string, table: string, columns = '*'): string {
  return withDb(path, (db) => {
    const names =
      columns === '*'
        ? (db.prepare('SELECT name FROM pragma_table_info(?)').all(table) as { name: string }[]).map((c) => c.name)
        : columns.split(', ');
    const rows = db
      .prepare(`SELECT ${names.map((c) => `quote("${c}")`).join(` || '|' || `)} FROM "${table}" ORDER BY rowid`)
      .pluck()
      .all() as string[];
    return `${rows.length} ${createHash('sha256').update(rows.join('\n')).digest('hex').slice(0, 16)}`;
  });
}

/** Everything a run may change: every schema row (order and rowids included) and every table's rows. */
function state(path: string): { schema: SchemaRow[]; data: Record<string, string> } {
  const tables = [...loaded, 'order_archive', 'sqlite_sequence'];
  return { schema: schemaRows(path), data: Object.fromEntries(tables.map((t) => [t, digest(path, t)])) };
}

let folder: string;
let templateSource: string;
let templateTarget: string;

beforeAll(() => {
  folder = mkdtempSync(join(tmpdir(), 'masque-triggers-'));
  templateSource = join(folder, 'source.sqlite');
  templateTarget = join(folder, 'target.sqlite');
  withDb(
    templateSource,
    (db) => {
      db.exec(schema);
      fill(db, 2000, 60_000, 'new');
    },
    true,
  );
  // The target holds an older, smaller generation, and archived orders of its own.
  withDb(
    templateTarget,
    (db) => {
      db.exec(schema);
      fill(db, 300, 1000, 'old');
    },
    true,
  );
});
afterAll(() => rmSync(folder, { recursive: true, force: true }));

let copies = 0;
/** Fresh copies of the source and the target for one test. */
function fresh(): { source: string; target: string } {
  copies++;
  const [source, target] = [join(folder, `source-${copies}.sqlite`), join(folder, `target-${copies}.sqlite`)];
  copyFileSync(templateSource, source);
  copyFileSync(templateTarget, target);
  return { source, target };
}

describe.each(['staged', 'direct'] as const)('SQLite triggers, %s load', (mode) => {
  const run = (source: string, target: string, options: { stopAfter?: string } = {}) =>
    runCollecting({ rules: parseRules(rules(source, target), 'triggers.yaml', {}), mode, only: loaded, ...options });

  it("copies the source's masked rows exactly, with no trigger firing, and puts every trigger back", async () => {
    const { source, target } = fresh();
    const before = schemaRows(target);
    const archived = digest(target, 'order_archive');
    expect(archived).toMatch(/^100 /);
    const { summary } = await run(source, target);
    expect(Object.fromEntries(summary.tables.map((t) => [t.table, t.rows]))).toEqual({
      account: 1995,
      account_search: 1995,
      orders: 54_000,
      // 60,000 inserts audited and 5 accounts deleted; the load added none.
      audit_log: 60_005,
    });

    // Kept columns byte for byte: the stamps are the source's, not the time of the load; no
    // audit row and no search row was added; the DELETE triggers archived nothing.
    for (const [table, kept] of [
      ['account', 'id, created_at'],
      ['account_search', 'account_id'],
      ['orders', '*'],
      ['audit_log', '*'],
      ['sqlite_sequence', '*'],
    ] as const) {
      expect(digest(target, table, kept), table).toBe(digest(source, table, kept));
    }
    expect(digest(target, 'order_archive')).toBe(archived);
    // Masked: no email is production's; the denormalised copy still agrees with its account.
    const compare = (sql: string) =>
      withDb(target, (db) => {
        db.prepare('ATTACH DATABASE ? AS source').run(source);
        return db.prepare(sql).pluck().get();
      });
    expect(compare('SELECT count(*) FROM account a JOIN source.account s USING (id) WHERE a.email = s.email')).toBe(0);
    expect(
      compare('SELECT count(*) FROM account a JOIN account_search s ON s.account_id = a.id WHERE s.name = a.name'),
    ).toBe(1995);

    // The same schema rows; the loaded tables' triggers, recreated, now come after the view and
    // its INSTEAD OF trigger, which were made after them and were never touched.
    const after = schemaRows(target);
    const key = (r: SchemaRow) => [r.type, r.name, r.tbl_name, r.sql];
    const moved = (r: SchemaRow) => r.type === 'trigger' && loadedTriggers.includes(r.name);
    expect(after.map(key)).toEqual([...before.filter((r) => !moved(r)), ...before.filter(moved)].map(key));
    expect(after.filter((r) => !moved(r))).toEqual(before.filter((r) => !moved(r)));
    expect(after.filter(moved).map((r) => r.name)).toEqual(loadedTriggers);

    // And they work again: a new account is stamped and copied, a new order audited, a deleted one archived.
    withDb(target, (db) => {
      db.exec(`INSERT INTO account (id, email, name) VALUES (5000, 'late@example.com', 'Late')`);
      db.exec('INSERT INTO orders (id, account_id, total) VALUES (90000, 5000, 9.5); DELETE FROM orders WHERE id = 1');
      const row = (sql: string) => db.prepare(sql).raw(true).get();
      expect(row(`SELECT created_at >= datetime('now', '-1 hour') FROM account WHERE id = 5000`)).toEqual([1]);
      expect(row('SELECT name FROM account_search WHERE account_id = 5000')).toEqual(['Late']);
      expect(row(`SELECT count(*) FROM audit_log WHERE row_id = 90000 AND action = 'insert'`)).toEqual([1]);
      expect(row('SELECT count(*) FROM order_archive WHERE id = 1')).toEqual([1]);
    });
  }, 120_000);

  it('a broken foreign key at the commit, or a run stopped after a table, leaves target and triggers as they were', async () => {
    const { source, target } = fresh();
    const before = state(target);
    // An order whose account production no longer has: the load fails at the key check.
    withDb(source, (db) => db.exec('PRAGMA foreign_keys = OFF; INSERT INTO orders VALUES (99999, 424242, 1)'));
    await expect(run(source, target)).rejects.toThrow(
      'orders_account_id_fkey (orders → account): 1 row(s) without a parent',
    );
    expect(state(target)).toEqual(before);
    // Stopped once account is loaded: in --direct its triggers are dropped and its rows deleted by then.
    await expect(run(source, target, { stopAfter: 'account' })).rejects.toThrow(/the target is unchanged/);
    expect(state(target)).toEqual(before);
  }, 120_000);

  it('kill -9 at several moments of a run through the CLI leaves target and triggers as they were', async () => {
    const { source, target } = fresh();
    const config = join(folder, `kill-${mode}.yaml`);
    writeFileSync(config, rules(source, target));
    const args = [
      'run',
      '--config',
      config,
      '--log',
      'json',
      '--only',
      loaded.join(','),
      ...(mode === 'direct' ? ['--direct'] : []),
    ];
    const before = state(target);
    const killAt = async (moment: (cli: RunningCli) => Promise<unknown>): Promise<CliEvent[]> => {
      const cli = spawnCli(args, {});
      await moment(cli);
      cli.child.kill('SIGKILL');
      expect((await cli.exited).signal).toBe('SIGKILL');
      return cli.events;
    };
    const done = (table: string) => (e: CliEvent) => e.type === 'table-done' && e.summary.table === table;
    const start = (table: string) => (e: CliEvent) => e.type === 'table-start' && e.table === table;

    // After the first table: in --direct, inside the load's transaction, triggers dropped.
    const first = await killAt((cli) => cli.waitFor(done('account')));
    expect(first.some(done('orders'))).toBe(false);
    expect(state(target)).toEqual(before);
    // In the middle of the biggest table.
    const middle = await killAt((cli) => cli.waitFor(start('orders')));
    expect(middle.some(done('orders'))).toBe(false);
    expect(state(target)).toEqual(before);
    if (mode === 'staged') {
      // In the cut-over's transaction: its rollback journal exists from its first write (the
      // triggers' DROP) to its COMMIT.
      const cutOver = await killAt(async (cli) => {
        await cli.waitFor((e) => e.type === 'commit');
        await waitUntil(() => existsSync(`${target}-journal`));
      });
      expect(cutOver.some((e) => e.type === 'done')).toBe(false);
      expect(state(target)).toEqual(before);
    }
  }, 180_000);
});

async function waitUntil(condition: () => boolean, timeoutMs = 30_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((resolve) => setTimeout(resolve, 1));
  }
}
