/**
 * PostgreSQL connections that go away in the middle of the work (`pg_terminate_backend`, as a
 * failover or a DBA would): every operation of the dialect fails within seconds with a
 * ConnectionLost that names the side and what masque was doing, never with a driver's `write
 * EPIPE`; one lost connection fails the dialect's other work at once; a lock held by another
 * session fails after `lockTimeoutSeconds`; staging is left as it was. Through a relay that stops
 * answering or refuses: closing does not wait on a silent server, and a connection refused
 * mid-run is a lost one. Every connection has TCP keepalive.
 */
import { execFileSync, spawn } from 'node:child_process';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { Batch, Dialect, Loader, LoadMode } from '../packages/core/src/dialects/dialect.ts';
import { statementError } from '../packages/core/src/dialects/driver-error.ts';
import { createPostgresDialect } from '../packages/core/src/dialects/postgres/postgres-dialect.ts';
import type { TableInfo } from '../packages/core/src/dialects/schema.ts';
import { ConnectionLost, DatabaseError } from '../packages/core/src/errors.ts';
import { createPgDatabase, psql, psqlAdmin, type TestDatabase } from './support/databases.ts';
import { relayTo } from './support/tcp-relay.ts';

const rows = 1_000_000;
// The cut-over checks item's key into `kind`, a table it does not load: a session locking `kind` holds it up.
const schema = `CREATE TABLE kind (id int PRIMARY KEY); INSERT INTO kind SELECT generate_series(0, 6);
  CREATE TABLE item (id bigint PRIMARY KEY, sku text NOT NULL, qty int NOT NULL REFERENCES kind (id));`;
const columns = ['id', 'sku', 'qty'];

let source: TestDatabase;
let target: TestDatabase;
let before: string;
/** Dialects a test opened, closed after it. */
const opened: Dialect[] = [];

beforeAll(async () => {
  [source, target] = await Promise.all([createPgDatabase('loss_src'), createPgDatabase('loss_dst')]);
  psql(source.name, [], `${schema} INSERT INTO item SELECT i, 'SKU-' || i, i % 7 FROM generate_series(1, ${rows}) i;`);
  psql(target.name, [], `${schema} INSERT INTO item SELECT i, 'old ' || i, 0 FROM generate_series(1, 1000) i;`);
  before = checksum(target);
}, 120_000);
afterEach(async () => {
  await Promise.all(opened.splice(0).map((d) => d.close()));
});
afterAll(async () => {
  await Promise.all([source?.drop(), target?.drop()]);
});

function checksum(db: TestDatabase): string {
  return psql(db.name, ['-c', "SELECT count(*) || ' ' || md5(string_agg(t::text, ',' ORDER BY id)) FROM item t"]);
}

async function open(db: TestDatabase, side: 'source' | 'target', lockTimeoutSeconds?: number, url = db.url) {
  const dialect = await createPostgresDialect(url, { side, lockTimeoutSeconds });
  opened.push(dialect);
  const table = (await dialect.introspect()).tables.find((t) => t.name === 'public.item') as TableInfo;
  return { dialect, table };
}

/**
 * Terminates the server processes of `db` that `where` picks (masque's, unless `where` says); returns how many.
 * As the superuser, as the other session checks below: a plain role sees no other role's queries.
 */
function terminate(db: TestDatabase, where: string, application = 'masque'): number {
  const sql = `SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity
    WHERE datname = '${db.name}' AND application_name = '${application}' AND pid <> pg_backend_pid() AND ${where}`;
  return Number(psqlAdmin('postgres', ['-c', sql]).trim());
}

/** Waits until `db` has a server process that `where` picks (masque's, unless `where` says). */
async function waitForBackend(db: TestDatabase, where: string, application = 'masque'): Promise<void> {
  const sql = `SELECT count(*) FROM pg_stat_activity WHERE datname = '${db.name}'
    AND application_name = '${application}' AND ${where}`;
  for (let i = 0; i < 200; i++) {
    if (Number(psqlAdmin('postgres', ['-c', sql]).trim()) > 0) return;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw new Error(`no masque process of ${db.name} where ${where}`);
}

/** How `work` failed, and how long after `since()` it did. */
async function failure(work: Promise<unknown>, since: () => number): Promise<{ error: Error; seconds: number }> {
  const error = await work.then(
    () => new Error('it succeeded'),
    (e: unknown) => e as Error,
  );
  return { error, seconds: (Date.now() - since()) / 1000 };
}

/** Batches of new rows, 1000 each; after `stallAfter` batches, none comes any more. */
async function* newRows(count: number, stallAfter = Number.POSITIVE_INFINITY): AsyncIterable<Batch> {
  for (let b = 0; b < count; b++) {
    if (b === stallAfter) await new Promise(() => {});
    yield Array.from({ length: 1000 }, (_, i) => [String(b * 1000 + i + 1), `new ${i}`, '1']);
    await new Promise((resolve) => setImmediate(resolve));
  }
}

const lostMessage = (side: string, step: string) =>
  new RegExp(`^lost the connection to the ${side} database \\(postgres://[^)]+\\) while ${step}: the server `);

describe('PostgreSQL source connections lost', () => {
  it('a read fails within seconds, naming the source and the table', async () => {
    const { dialect, table } = await open(source, 'source');
    const reader = await dialect.openSnapshot();
    let killedAt = 0;
    let read = 0;
    const reading = (async () => {
      for await (const batch of reader.read({ table, columns })) {
        read += batch.length;
        if (!killedAt) {
          expect(terminate(source, "query LIKE 'COPY%'")).toBe(1);
          killedAt = Date.now();
        }
      }
    })();
    const { error, seconds } = await failure(reading, () => killedAt);
    expect(error).toBeInstanceOf(ConnectionLost);
    expect(error.message).toMatch(lostMessage('source', 'reading public.item'));
    expect((error as ConnectionLost).side).toBe('source');
    expect(read).toBeLessThan(rows);
    expect(seconds).toBeLessThan(2);
  });

  it("a shared reader's read fails at once when the snapshot's first connection is lost", async () => {
    const { dialect, table } = await open(source, 'source');
    const reader = await dialect.openSnapshot();
    const shared = await reader.share!();
    let killedAt = 0;
    const reading = (async () => {
      for await (const _ of shared.read({ table, columns })) {
        if (!killedAt) {
          // The first connection idles in its transaction, holding the exported snapshot.
          expect(terminate(source, "state = 'idle in transaction'")).toBe(1);
          killedAt = Date.now();
        }
        await new Promise((resolve) => setTimeout(resolve, 1));
      }
    })();
    const { error, seconds } = await failure(reading, () => killedAt);
    expect(error).toBeInstanceOf(ConnectionLost);
    expect(error.message).toMatch(lostMessage('source', 'reading public.item'));
    expect(seconds).toBeLessThan(2);
  });
});

describe.each(['staged', 'direct'] as LoadMode[])('PostgreSQL target connections lost (%s load)', (mode) => {
  async function begin(lockTimeoutSeconds?: number): Promise<{ dialect: Dialect; table: TableInfo; loader: Loader }> {
    const { dialect, table } = await open(target, 'target', lockTimeoutSeconds);
    return { dialect, table, loader: await dialect.beginLoad([table], { mode }) };
  }

  it.each([
    ['while rows keep coming', Number.POSITIVE_INFINITY],
    ['while the rows have stopped coming', 5],
  ])('a write killed mid-COPY %s fails within seconds, naming the target and the table', async (_, stallAfter) => {
    const { dialect, loader, table } = await begin();
    const writing = loader.write({ table, columns }, newRows(2000, stallAfter));
    await waitForBackend(target, "query LIKE 'COPY%'");
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(terminate(target, "query LIKE 'COPY%'")).toBe(1);
    const killedAt = Date.now();
    const { error, seconds } = await failure(writing, () => killedAt);
    expect(error).toBeInstanceOf(ConnectionLost);
    expect(error.message).toMatch(lostMessage('target', 'writing public.item'));
    expect(error.message).not.toMatch(/EPIPE|ECONNRESET/);
    expect(seconds).toBeLessThan(2);
    await loader.rollback();
    const closing = Date.now();
    await dialect.close();
    expect(Date.now() - closing).toBeLessThan(1000);
    expect(checksum(target)).toBe(before);
  });

  it('a write fails at once when the connection holding the run lock is lost, and the lock is free', async () => {
    const { dialect, loader, table } = await begin();
    const lock = await dialect.tryLock();
    expect(lock.acquired).toBe(true);
    const writing = loader.write({ table, columns }, newRows(2000, 100));
    await waitForBackend(target, "query LIKE 'COPY%'");
    expect(terminate(target, "query LIKE '%pg_try_advisory_lock%'")).toBe(1);
    const killedAt = Date.now();
    const { error, seconds } = await failure(writing, () => killedAt);
    expect(error).toBeInstanceOf(ConnectionLost);
    expect(error.message).toMatch(lostMessage('target', 'writing public.item'));
    expect(seconds).toBeLessThan(2);
    const other = await open(target, 'target');
    const next = await other.dialect.tryLock();
    expect(next.acquired).toBe(true);
    if (next.acquired) await next.release();
    expect(checksum(target)).toBe(before);
  });

  it('tells onLost at once when the idle run lock connection is lost, naming the target', async () => {
    const { dialect } = await open(target, 'target');
    const told = new Promise<ConnectionLost>((resolve) => dialect.onLost!(resolve));
    const lock = await dialect.tryLock();
    expect(lock.acquired).toBe(true);
    await waitForBackend(target, "query LIKE '%pg_try_advisory_lock%'");
    expect(terminate(target, "query LIKE '%pg_try_advisory_lock%'")).toBe(1);
    const killedAt = Date.now();
    const { error, seconds } = await failure(
      told.then((loss) => Promise.reject(loss)),
      () => killedAt,
    );
    expect(error).toBeInstanceOf(ConnectionLost);
    expect(error.message).toMatch(
      /^lost the connection to the target database \(postgres:\/\/.*\): the server ended it/,
    );
    expect(seconds).toBeLessThan(2);
  });

  /**
   * Writes 5000 new rows and commits, a failed write named as the engine names it. The lock on
   * `kind` is taken first: a role that may not SET session_replication_role checks item's key into
   * kind row by row, so its direct load waits at the write and its staged load when item moves in;
   * with replica role both wait at the cut-over's key check.
   */
  const load = (loader: Loader, table: TableInfo): Promise<void> =>
    loader
      .write({ table, columns }, newRows(5))
      .then((written) => expect(written).toBe(5000))
      .catch((error: unknown) => {
        throw statementError(`copying ${table.name}`, error);
      })
      .then(() => loader.commit());

  it('the cut-over killed while it waits for a lock fails naming the target; staging stays as it was', async () => {
    const { dialect, loader, table } = await begin();
    const blocker = await holdLock(target);
    try {
      const loading = load(loader, table);
      await waitForBackend(target, "wait_event_type = 'Lock'");
      expect(terminate(target, "wait_event_type = 'Lock'")).toBe(1);
      const killedAt = Date.now();
      const { error, seconds } = await failure(loading, () => killedAt);
      expect(error).toBeInstanceOf(ConnectionLost);
      expect(error.message).toMatch(lostMessage('target', '[^:]*(cut-over|commit|into place|writing)[^:]*'));
      expect(seconds).toBeLessThan(2);
    } finally {
      blocker.release();
    }
    await dialect.close();
    expect(checksum(target)).toBe(before);
  });

  it('the cut-over waits no longer than lockTimeoutSeconds for a lock held by another session', async () => {
    const { dialect, loader, table } = await begin(1);
    const blocker = await holdLock(target);
    const started = Date.now();
    try {
      const { error, seconds } = await failure(load(loader, table), () => started);
      expect(error).toBeInstanceOf(DatabaseError);
      expect(error).not.toBeInstanceOf(ConnectionLost);
      expect(error.message).toMatch(/: waited more than 1 s for a lock held by another session/);
      expect(seconds).toBeGreaterThanOrEqual(1);
      expect(seconds).toBeLessThan(4);
    } finally {
      blocker.release();
    }
    await dialect.close();
    expect(checksum(target)).toBe(before);
  });
});

describe('PostgreSQL servers that stop answering or refuse to connect', () => {
  it('every connection has TCP keepalive', async () => {
    const { dialect, table } = await open(source, 'source');
    const reader = await dialect.openSnapshot();
    await (await reader.share!()).keyBounds!(table, 'id');
    await open(target, 'target').then(({ dialect }) => dialect.tryLock());
    const ours = execFileSync('ss', ['-tnop', 'state', 'established', 'dport', '= :5432'], { encoding: 'utf8' })
      .split('\n')
      .filter((line) => line.includes(`pid=${process.pid},`));
    expect(ours.length).toBe(5); // source: catalogue, snapshot, shared reader; target: catalogue, lock
    expect(ours.filter((line) => /timer:\(keepalive,/.test(line))).toEqual(ours);
  });

  it('the run lock is released and the dialect closed within a second or so when the server stopped answering', async () => {
    const relay = await relayTo(5432);
    const { dialect } = await open(target, 'target', undefined, target.url.replace(':5432/', `:${relay.port}/`));
    const lock = await dialect.tryLock();
    expect(lock.acquired).toBe(true);
    relay.freeze();
    const started = Date.now();
    if (lock.acquired) await lock.release();
    await dialect.close();
    expect((Date.now() - started) / 1000).toBeLessThan(3);
    relay.close();
  });

  it('a connection refused in the middle of the work is a lost connection, not one that never was', async () => {
    const relay = await relayTo(5432);
    const { dialect } = await open(source, 'source', undefined, source.url.replace(':5432/', `:${relay.port}/`));
    const reader = await dialect.openSnapshot();
    relay.refuse();
    const { error } = await failure(reader.share!(), () => 0);
    expect(error).toBeInstanceOf(ConnectionLost);
    expect(error.message).toMatch(
      /^lost the connection to the source database \(postgres:[^)]+\) while opening another reader of the snapshot: the server refused to connect again$/,
    );
    relay.close();
  });
});

/** Another session that holds `kind` locked (the cut-over's key check waits for it) until released. */
async function holdLock(db: TestDatabase): Promise<{ release(): number }> {
  const session = spawn('psql', ['-X', '-q', '-h', '127.0.0.1', '-U', 'postgres', '-d', db.name], {
    stdio: ['pipe', 'ignore', 'ignore'],
  });
  session.stdin.write('BEGIN; LOCK TABLE kind IN ACCESS EXCLUSIVE MODE; SELECT pg_sleep(60);\n');
  await waitForBackend(db, "query LIKE '%pg_sleep%'", 'psql');
  return {
    release: () => {
      session.stdin.end();
      return terminate(db, "query LIKE '%pg_sleep%'", 'psql');
    },
  };
}
