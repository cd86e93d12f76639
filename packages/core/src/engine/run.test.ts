import { beforeEach, describe, expect, it, vi } from 'vitest';
import { parseRules } from '../config/load-rules.ts';
import type { Batch, Dialect, DialectOptions, Loader, ReadRequest, SnapshotReader } from '../dialects/dialect.ts';
import type { ColumnInfo, TableInfo } from '../dialects/schema.ts';
import { testColumn } from '../transformers/test-context.ts';
import { ConnectionLost, DatabaseError, type DatabaseSide } from '../errors.ts';
import type { RunEvent } from './events.ts';
import { closeGraceMs } from './run-abort.ts';
import { runRefresh } from './run.ts';

/** What the fake databases do, set by each test; and what the run did to them. */
const world = vi.hoisted(() => ({
  /** The batches of a read; `scan` is the unique scan's connection (the fourth one opened). */
  read: undefined as unknown as (table: string, connection: number) => AsyncIterable<Batch>,
  write: undefined as unknown as (table: string, batches: AsyncIterable<Batch>) => Promise<number>,
  commit: undefined as unknown as () => Promise<void>,
  readerClose: undefined as unknown as () => Promise<void>,
  opened: [] as { url: string; side?: string; lockTimeoutSeconds?: number }[],
  closed: [] as string[],
  /** Per database URL, who listens for a lost connection (Dialect.onLost). */
  onLost: new Map<string, (loss: ConnectionLost) => void>(),
}));

vi.mock('../dialects/open-dialect.ts', () => ({
  openDialect: async (url: string, side?: DatabaseSide, options: Omit<DialectOptions, 'side'> = {}) => {
    world.opened.push({ url, side, ...options });
    return fakeDialect(url);
  },
}));

/** A NOT NULL column of `category`, typed as its category. */
const column = (name: string, category: ColumnInfo['category']): ColumnInfo =>
  testColumn({ name, dataType: category, category, nullable: false });
const table = (name: string, text: string): TableInfo => ({
  name,
  table: name,
  columns: [column('id', 'integer'), column(text, 'text')],
  primaryKey: ['id'],
  uniqueKeys: text === 'email' ? [['email']] : [],
  foreignKeys: [],
  estimatedRows: 2,
});
const tables = [table('customer', 'email'), table('orders', 'note')];

function fakeDialect(url: string): Dialect {
  let connections = 0;
  const reader = (): SnapshotReader => {
    const connection = connections++;
    return {
      read: (request: ReadRequest) => world.read(request.table.name, connection),
      share: async () => reader(),
      close: async () => {
        await world.readerClose();
        world.closed.push(`reader ${connection}`);
      },
    };
  };
  return {
    engine: 'postgres',
    introspect: async () => ({ tables }),
    identity: async () => url,
    openSnapshot: async () => reader(),
    tryLock: async () => ({ acquired: true, release: async () => void world.closed.push('lock') }),
    beginLoad: async (): Promise<Loader> => ({
      concurrentWrites: true,
      reused: new Map(),
      write: (request, batches) => world.write(request.table.name, batches),
      commit: () => world.commit(),
      rollback: async () => void world.closed.push('rollback'),
    }),
    readsTrue: () => false,
    onLost: (listener) => void world.onLost.set(url, listener),
    close: async () => void world.closed.push(`dialect ${url}`),
  };
}

const rules = parseRules(
  `source: postgres://fake/prod
target: postgres://fake/staging
secret: a-secret-for-tests
tables:
  customer: { columns: { id: keep, email: { transform: email, unique: true } } }
  orders: { columns: { id: keep, note: scramble } }
`,
  'rules.yaml',
);

const never = <T>(): Promise<T> => new Promise<T>(() => {});
async function* rows(): AsyncIterable<Batch> {
  yield [
    ['1', 'a@example.org'],
    ['2', 'b@example.org'],
  ];
}
async function* failsAfter(ms: number, error: Error): AsyncIterable<Batch> {
  await new Promise((resolve) => setTimeout(resolve, ms));
  throw error;
}
/** A read whose next batch never comes (a server that stopped answering). */
const hangs = (): AsyncIterable<Batch> => ({ [Symbol.asyncIterator]: () => ({ next: never }) });
const lost = (side: DatabaseSide) => new ConnectionLost(side, `postgres://fake/${side}`, 'the server closed it');
const consume = async (_table: string, batches: AsyncIterable<Batch>): Promise<number> => {
  let n = 0;
  for await (const batch of batches) n += batch.length;
  return n;
};

/** The run with every event it reported, how long it took to fail and why. */
async function failedRun(options: { timeoutSeconds?: number; jobs?: number } = {}) {
  const events: RunEvent[] = [];
  const started = Date.now();
  const error = await runRefresh({ rules, jobs: 2, onEvent: (e) => events.push(e), ...options }).then(
    () => undefined,
    (e: unknown) => e as Error,
  );
  return { error, seconds: (Date.now() - started) / 1000, events };
}

beforeEach(() => {
  world.read = () => rows();
  world.write = consume;
  world.commit = async () => {};
  world.readerClose = async () => {};
  world.opened.length = 0;
  world.closed.length = 0;
  world.onLost.clear();
});

describe('runRefresh when a part of the run fails', () => {
  it("ends at once with a reader's lost connection, while a scan and a write still wait on a server", async () => {
    // Connection 0 plans, 1 is the second job's, 2 the unique scan's: it never answers.
    world.read = (name, connection) =>
      connection === 2 ? hangs() : name === 'orders' ? failsAfter(30, lost('source')) : rows();
    const { error, seconds } = await failedRun();
    expect(error).toBeInstanceOf(ConnectionLost);
    expect(error!.message).toBe(
      'lost the connection to the source database (postgres://fake/source) while copying orders: the server closed it',
    );
    expect(seconds).toBeLessThan(1);
    expect(world.closed.sort()).toEqual([
      'dialect postgres://fake/prod',
      'dialect postgres://fake/staging',
      'lock',
      'reader 0',
      'reader 1',
      'reader 2',
      'rollback',
    ]);
  });

  it("ends at once with a unique scan's lost connection, naming the scan, while a write hangs", async () => {
    world.read = (_name, connection) => (connection === 2 ? failsAfter(30, lost('source')) : rows());
    world.write = (name, batches) => (name === 'orders' ? never() : consume(name, batches));
    const { error, seconds } = await failedRun();
    expect(error!.message).toBe(
      'lost the connection to the source database (postgres://fake/source) while scanning customer.email ' +
        'for duplicates: the server closed it',
    );
    expect(seconds).toBeLessThan(1);
    expect(world.closed).toContain('lock');
    expect(world.closed).toContain('rollback');
  });

  it('reports the first failure (a scan on its own connection), not the failures that came after it', async () => {
    // One job: orders copies first while the scan runs on connection 1 and fails; the write fails later.
    world.read = (_name, connection) => (connection === 1 ? failsAfter(10, lost('source')) : rows());
    world.write = async (name, batches) => {
      if (name === 'customer') return consume(name, batches);
      await new Promise((resolve) => setTimeout(resolve, 100));
      throw lost('target');
    };
    const { error } = await failedRun({ jobs: 1 });
    expect(error!.message).toBe(
      'lost the connection to the source database (postgres://fake/source) while scanning customer.email ' +
        'for duplicates: the server closed it',
    );
  });

  it("ends at once when a connection nothing waits on (the run lock's) is lost, while a write hangs", async () => {
    world.write = (name, batches) => (name === 'orders' ? never() : consume(name, batches));
    setTimeout(() => world.onLost.get('postgres://fake/staging')!(lost('target')), 50);
    const { error, seconds } = await failedRun();
    expect(error!.message).toBe(
      'lost the connection to the target database (postgres://fake/target): the server closed it',
    );
    expect(seconds).toBeLessThan(1);
    expect(world.closed).toContain('rollback');
  });

  it('ends the source snapshot before the cut-over, so a source lost during it fails nothing', async () => {
    let closedAtCommit: string[] = [];
    world.commit = async () => {
      closedAtCommit = [...world.closed];
      world.onLost.get('postgres://fake/prod')?.(lost('source'));
    };
    const summary = await runRefresh({ rules, jobs: 2 });
    expect(summary.rows).toBe(4);
    expect(closedAtCommit.sort()).toEqual(['dialect postgres://fake/prod', 'reader 0', 'reader 1', 'reader 2']);
  });

  it('gives up on a close that hangs after a few seconds', async () => {
    world.read = (name) => (name === 'orders' ? failsAfter(10, lost('source')) : rows());
    world.readerClose = never;
    const { error, seconds } = await failedRun();
    expect(error).toBeInstanceOf(ConnectionLost);
    expect(seconds).toBeGreaterThanOrEqual(closeGraceMs / 1000 - 0.1);
    expect(seconds).toBeLessThan(closeGraceMs / 1000 + 1);
    expect(world.closed).toContain('lock');
    expect(world.closed).toContain('dialect postgres://fake/staging');
  });

  it('times out cleanly: the target unchanged, the lock released, no event after the end', async () => {
    world.write = (name, batches) => (name === 'orders' ? never() : consume(name, batches));
    const { error, seconds, events } = await failedRun({ timeoutSeconds: 0.3 });
    expect(error!.message).toBe(
      'timed out after 0.3 s: the target is unchanged; 1 staged table(s) kept for `masque run --resume`',
    );
    expect(seconds).toBeLessThan(1);
    expect(world.closed).toContain('lock');
    expect(events.map((e) => e.type)).not.toContain('done');
  });

  it("turns the cut-over's driver error into a DatabaseError naming the step, without values", async () => {
    world.commit = async () => {
      const error = new Error('duplicate key value violates unique constraint "audit_pkey"');
      throw Object.assign(error, { code: '23505', detail: 'Key (email)=(alice@example.org) already exists.' });
    };
    const { error } = await failedRun();
    expect(error).toBeInstanceOf(DatabaseError);
    expect(error!.message).toBe(
      'switching the tables to the new rows (cut-over): duplicate key value violates unique constraint ' +
        '"audit_pkey"; Key (email)=(…) already exists.',
    );
  });

  it('opens the target with the lock timeout, the source without', async () => {
    await runRefresh({ rules, lockTimeoutSeconds: 7 });
    expect(world.opened).toEqual([
      { url: 'postgres://fake/prod', side: 'source' },
      { url: 'postgres://fake/staging', side: 'target', lockTimeoutSeconds: 7 },
    ]);
  });
});
