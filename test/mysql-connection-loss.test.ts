/**
 * A MariaDB connection lost in the middle of the work (`KILL CONNECTION`, or a server that stops
 * answering): whatever runs on it fails at once with a ConnectionLost naming the side and the
 * step, and ending the session never waits on the dead connection.
 */
import { randomBytes } from 'node:crypto';
import { createConnection } from 'mysql2/promise';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Batch, Dialect, Row } from '../packages/core/src/dialects/dialect.ts';
import { createMysqlDialect, type MysqlDialectOptions } from '../packages/core/src/dialects/mysql/mysql-dialect.ts';
import type { MysqlLoadMethod } from '../packages/core/src/dialects/mysql/mysql-loader.ts';
import { batchRows } from '../packages/core/src/dialects/mysql/mysql-reader.ts';
import { findTable, type TableInfo } from '../packages/core/src/dialects/schema.ts';
import { ConnectionLost } from '../packages/core/src/errors.ts';
import { mysql, mysqlUrl } from './support/databases.ts';
import { relayTo } from './support/tcp-relay.ts';

const killedReasons = ['the server ended it (killed, or shutting down)', 'the server closed it'];

let name: string;
let url: string;
let big: TableInfo;
let small: TableInfo;
const opened: Dialect[] = [];

async function open(options: MysqlDialectOptions & { url?: string } = {}): Promise<Dialect> {
  const dialect = await createMysqlDialect(options.url ?? url, options);
  opened.push(dialect);
  return dialect;
}

/** The ids of the server's connections to the test database. */
function connections(): Set<string> {
  const out = mysql(undefined, ['-e', `SELECT ID FROM information_schema.PROCESSLIST WHERE DB = '${name}'`]);
  return new Set(out.split('\n').filter(Boolean));
}

/** Runs `open`, and returns what it made with the one connection it opened. */
async function withNewConnection<T>(open: () => Promise<T>): Promise<{ value: T; id: string }> {
  const before = connections();
  const value = await open();
  const added = [...connections()].filter((id) => !before.has(id));
  expect(added).toHaveLength(1);
  return { value, id: added[0]! };
}

const kill = (id: string): void => void mysql(undefined, ['-e', `KILL CONNECTION ${id}`]);

/** How `promise` settled and when, or 'pending' after `limitMs`. */
async function settled(promise: Promise<unknown>, limitMs = 5000) {
  const timeout = new Promise<'pending'>((resolve) => setTimeout(() => resolve('pending'), limitMs).unref());
  const outcome = await Promise.race([
    promise.then(
      (value) => ({ value }),
      (error: unknown) => ({ error }),
    ),
    timeout,
  ]);
  return { outcome, at: Date.now() };
}

function expectLost(error: unknown, side: 'source' | 'target', step: RegExp): void {
  expect(error).toBeInstanceOf(ConnectionLost);
  const lost = error as ConnectionLost;
  expect(lost.side).toBe(side);
  expect(lost.url).toBe(url);
  expect(lost.step).toMatch(step);
  expect(killedReasons).toContain(lost.reason);
  expect(lost.message).toBe(`lost the connection to the ${side} database (${url}) while ${lost.step}: ${lost.reason}`);
}

/** Expects `promise` to resolve within `limitMs`. */
async function expectPrompt(promise: Promise<unknown>, limitMs = 1000): Promise<void> {
  const started = Date.now();
  const { outcome, at } = await settled(promise, limitMs + 5000);
  expect(outcome).toEqual({ value: undefined });
  expect(at - started).toBeLessThan(limitMs);
}

async function* batchOf(rows: Row[]): AsyncIterable<Batch> {
  yield rows;
}

const countOf = (table: string) => mysql(name, ['-e', `SELECT COUNT(*) FROM \`${table}\``]).trim();

beforeAll(async () => {
  name = `masque_loss_${randomBytes(4).toString('hex')}`;
  url = mysqlUrl(name);
  mysql(undefined, ['-e', `CREATE DATABASE \`${name}\``]);
  mysql(
    name,
    [],
    `CREATE TABLE big (id BIGINT PRIMARY KEY, note VARCHAR(200) NOT NULL);
     INSERT INTO big SELECT seq, CONCAT('note number ', seq, REPEAT('x', 100)) FROM seq_1_to_300000;
     CREATE TABLE small (id BIGINT PRIMARY KEY, note VARCHAR(200) NOT NULL);
     INSERT INTO small SELECT seq, CONCAT('old ', seq) FROM seq_1_to_1000;`,
  );
  const schema = await (await open()).introspect();
  big = findTable(schema, 'big')!;
  small = findTable(schema, 'small')!;
});

afterAll(async () => {
  await Promise.all(opened.map((d) => d.close()));
  mysql(undefined, ['-e', `DROP DATABASE IF EXISTS \`${name}\``]);
});

describe('a MariaDB connection killed mid-run', () => {
  it("fails the reader's running read at once, naming the source and the table; close() does not wait", async () => {
    const source = await open({ side: 'source' });
    const { value: reader, id } = await withNewConnection(() => source.openSnapshot());
    const rows = reader.read({ table: big, columns: ['id', 'note'] })[Symbol.asyncIterator]();
    expect(((await rows.next()).value as Batch).length).toBe(batchRows);

    kill(id);
    const killed = Date.now();
    const drain = (async () => {
      let read = batchRows;
      for (let next = await rows.next(); !next.done; next = await rows.next()) read += (next.value as Batch).length;
      return read;
    })();
    const { outcome, at } = await settled(drain);
    expect(outcome).not.toBe('pending');
    expectLost((outcome as { error?: unknown }).error, 'source', /^reading table `big`$/);
    expect(at - killed).toBeLessThan(2000);
    await expectPrompt(reader.close());
  });

  it('fails every later statement of a connection killed while idle with the same loss', async () => {
    const { value: source, id } = await withNewConnection(() => open({ side: 'source' }));
    kill(id);
    await new Promise((resolve) => setTimeout(resolve, 200));
    const { outcome } = await settled(source.introspect());
    expectLost((outcome as { error?: unknown }).error, 'source', /^reading the schema of mysql:/);
    await expectPrompt(source.close());
  });

  const loads: ['staged' | 'direct', MysqlLoadMethod][] = [
    ['staged', 'load-data'],
    ['staged', 'insert'],
    ['direct', 'load-data'],
    ['direct', 'insert'],
  ];
  it.each(loads)(
    "fails a %s load's running write (%s) at once, naming the target and the table, and lets its input go",
    async (mode, loadMethod) => {
      const before = countOf('small');
      const target = await open({ side: 'target', loadMethod });
      const { value: loader, id } = await withNewConnection(() => target.beginLoad([small], { mode }));
      let yielded = 0;
      let released = false;
      let killed = 0;
      // Rows for ever: the write can only end by failing.
      async function* endless(): AsyncIterable<Batch> {
        try {
          for (let batch = 0; ; batch++) {
            if (batch === 5) {
              kill(id);
              killed = Date.now();
            }
            const rows: Row[] = [];
            for (let i = 0; i < 500; i++) rows.push([String(batch * 500 + i + 1), `new ${i}`]);
            yielded++;
            yield rows;
            await new Promise((resolve) => setTimeout(resolve, 5));
          }
        } finally {
          released = true;
        }
      }
      const { outcome, at } = await settled(loader.write({ table: small, columns: ['id', 'note'] }, endless()));
      expect(outcome).not.toBe('pending');
      expectLost((outcome as { error?: unknown }).error, 'target', /^loading table `small`$/);
      expect(at - killed).toBeLessThan(2000);
      await new Promise((resolve) => setTimeout(resolve, 100));
      expect(released).toBe(true);
      const afterFailure = yielded;
      await new Promise((resolve) => setTimeout(resolve, 200));
      expect(yielded).toBe(afterFailure);

      await expectPrompt(loader.rollback());
      expect(countOf('small')).toBe(before);
    },
  );

  it("fails a staged load's commit at once when its connection is killed, and leaves the target as it was", async () => {
    const target = await open({ side: 'target' });
    const before = connections();
    const loader = await target.beginLoad([small]);
    const rows: Row[] = Array.from({ length: 1000 }, (_, i) => [String(i + 1), `new ${i}`]);
    await loader.write({ table: small, columns: ['id', 'note'] }, batchOf(rows));
    // The load's own connection, which builds the shadow's indexes, checks the keys and swaps at
    // commit (the one that put right what a dead run left has closed by now).
    let added: string[] = [];
    for (let i = 0; i < 100 && added.length !== 1; i++) {
      added = [...connections()].filter((id) => !before.has(id));
      if (added.length !== 1) await new Promise((resolve) => setTimeout(resolve, 20));
    }
    expect(added).toHaveLength(1);
    kill(added[0]!);
    const killed = Date.now();
    const { outcome, at } = await settled(loader.commit());
    expect(outcome).not.toBe('pending');
    expectLost((outcome as { error?: unknown }).error, 'target', /^committing the cut-over$/);
    expect(at - killed).toBeLessThan(2000);
    expect(mysql(name, ['-e', "SELECT COUNT(*) FROM small WHERE note LIKE 'old %'"]).trim()).toBe('1000');
  });
});

describe('waits on a MariaDB server are bounded', () => {
  it('gives up a row lock held by someone else after lockTimeoutSeconds', async () => {
    const holder = await createConnection({ host: '127.0.0.1', user: 'root', database: name });
    try {
      await holder.query('START TRANSACTION');
      await holder.query('SELECT id FROM small WHERE id = 1 FOR UPDATE');
      const target = await open({ side: 'target', lockTimeoutSeconds: 1 });
      const started = Date.now();
      const { outcome, at } = await settled(target.beginLoad([small], { mode: 'direct' }), 10_000);
      expect((outcome as { error?: Error }).error?.message).toMatch(
        /^emptying table `small`: ER_LOCK_WAIT_TIMEOUT \(1205\): Lock wait timeout exceeded/,
      );
      expect(at - started).toBeGreaterThanOrEqual(900);
      expect(at - started).toBeLessThan(3000);
    } finally {
      await holder.end();
    }
  });

  it('tells onLost at once when the idle run lock connection is killed, naming the target', async () => {
    const target = await open({ side: 'target' });
    const told = new Promise<ConnectionLost>((resolve) => target.onLost!(resolve));
    const { value: lock, id } = await withNewConnection(() => target.tryLock());
    expect(lock.acquired).toBe(true);
    kill(id);
    const killedAt = Date.now();
    const { outcome, at } = await settled(told, 3000);
    expect(outcome).not.toBe('pending');
    const loss = (outcome as { value: ConnectionLost }).value;
    expect(loss).toBeInstanceOf(ConnectionLost);
    expect([loss.side, loss.url]).toEqual(['target', url]);
    expect(killedReasons).toContain(loss.reason);
    expect(at - killedAt).toBeLessThan(2000);
  });

  it('releases the run lock without waiting on a server that no longer answers', async () => {
    const proxy = await relayTo(3306);
    try {
      const target = await open({ side: 'target', url: url.replace(':3306/', `:${proxy.port}/`) });
      const lock = await target.tryLock();
      expect(lock.acquired).toBe(true);
      proxy.freeze();
      await expectPrompt((lock as { release(): Promise<void> }).release(), 4000);
    } finally {
      proxy.close();
    }
  });
});
