/**
 * A lost connection ends a run cleanly, through the CLI as a user runs it, on PostgreSQL and
 * MariaDB: masque's connections to the target, then to the source, are ended from outside
 * (`pg_terminate_backend`, `KILL CONNECTION`) during the unique scan, the copy and the cut-over,
 * and a PostgreSQL server of the test's own is restarted mid-copy. Each time the run exits 3
 * within seconds with one line naming the lost database (its URL without the password), its JSON
 * lines end with `failed`, staging is as it was (at the cut-over: old or new, whole), a reader
 * polling staging never sees a partial state, and the lock is free: the next run succeeds at once.
 */
import { randomBytes } from 'node:crypto';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { connectionControl, databaseOf } from './support/connection-control.ts';
import { type GeneratedDb, type GeneratedEngine, mariadb, postgres, type Sizes } from './support/generated-db.ts';
import { type PgCluster, startPgCluster } from './support/pg-cluster.ts';
import { type CliEvent, type RunningCli, runToEnd, spawnCli } from './support/spawn-cli.ts';

/** The generated tables, with customer.email masked `unique: true`: prepared as customer copies. */
const rules = join(dirname(fileURLToPath(import.meta.url)), 'support/fault-rules.yaml');
/** Big enough that the scan and each table take a few hundred milliseconds to kill into. */
const sizes: Sizes = { customer: 60_000, orders: 60_000, item: 60_000 };
const password = `pw-${randomBytes(6).toString('hex')}`;
/** masque has to end this soon after its connections were killed. */
const exitBoundSeconds = 10;
/** After this long, a test takes masque for hung, kills it itself and fails. */
const giveUpMs = 20_000;

const runArgs = ['run', '--config', rules, '--log', 'json'];
const generationView = (g: number) => `${sizes.customer}:${g} ${sizes.orders}:${g} ${sizes.item}:${g}`;
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
/** Lets the events masque has written so far reach `events` before a check reads them. */
const drainEvents = () => new Promise((resolve) => setImmediate(resolve));
const redacted = (url: string) => url.replace(`:${password}@`, ':***@');
const escaped = (text: string) => text.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
/** The one line a lost connection prints: which database, its URL without the password, what and why. */
const lostLine = (sides: string, urls: string[]) =>
  new RegExp(
    `^masque: lost the connection to the ${sides} database \\((${urls.map((u) => escaped(redacted(u))).join('|')})\\)[^\\n]*\\n$`,
  );
const isUnique = (e: CliEvent) => e.type === 'unique';
const tableStarts = (events: CliEvent[]) => events.filter((e) => e.type === 'table-start').map((e) => e.table);
const tableDone = (events: CliEvent[], table: string) =>
  events.some((e) => e.type === 'table-done' && e.summary.table === table);
/** What a run did, in a line (its events but progress), for the messages of failed expectations. */
const trace = (events: CliEvent[]) =>
  events
    .filter((e) => e.type !== 'table-progress')
    .map((e) => {
      if (e.type === 'table-start') return `start ${e.table}`;
      if (e.type === 'table-done') return `done ${e.summary.table} (${e.summary.rows} rows)`;
      if (e.type === 'unique') return `unique ${e.table}.${e.column}`;
      return e.type;
    })
    .join(', ');

/** Every masque process a test started, killed in afterEach if a hang outlived the test. */
const children = new Set<RunningCli>();
function startRun(env: Record<string, string>): RunningCli {
  const cli = spawnCli(runArgs, env);
  children.add(cli);
  void cli.exited.then(() => children.delete(cli));
  return cli;
}
afterEach(async () => {
  for (const cli of children) {
    cli.child.kill('SIGKILL');
    await cli.exited;
  }
});

interface Ending {
  code: number | null;
  /** From the kill to the end of the process; undefined: still running `giveUpMs` after it. */
  seconds?: number;
  /** The events seen when the kill was sent. */
  atKill: CliEvent[];
  /** Every event of the run. */
  events: CliEvent[];
  /** What a reader of staging saw (`target.view()`) from the start of the run to its end. */
  views: Set<string>;
  stderr: string;
}

/**
 * Follows a run until `reached()` says it is at the moment, then `kill()`s, and waits for the end
 * (for `giveUpMs` at most, then kills masque). Staging is read from the cut-over (the `commit`
 * event) or the kill on, whichever comes first: before, a staged run has not touched the tables,
 * and a read (~100 ms, blocking this loop) would make the loop late for the moment.
 */
async function killAt(
  cli: RunningCli,
  target: GeneratedDb,
  reached: () => boolean | Promise<boolean>,
  kill: () => void,
  read: <T>(use: () => T) => T = (use) => use(),
): Promise<Ending> {
  let ended: number | undefined;
  void cli.exited.then(() => (ended = Date.now()));
  const views = new Set<string>();
  let killedAt: number | undefined;
  let atKill: CliEvent[] = [];
  let lastRead = 0;
  while (ended === undefined && (killedAt === undefined || Date.now() - killedAt < giveUpMs)) {
    if (killedAt === undefined && (await reached())) {
      killedAt = Date.now();
      atKill = [...cli.events];
      kill();
    }
    const switching = killedAt !== undefined || cli.events.some((e) => e.type === 'commit');
    if (switching && Date.now() - lastRead > 25) {
      views.add(await read(() => target.view()));
      lastRead = Date.now();
    }
    await sleep(10);
  }
  if (killedAt === undefined) throw new Error(`the run ended before the moment: ${trace(cli.events)}; ${cli.stderr()}`);
  const hung = ended === undefined;
  if (hung) cli.child.kill('SIGKILL');
  const { code } = await cli.exited;
  views.add(await read(() => target.view()));
  const seconds = hung ? undefined : (ended! - killedAt) / 1000;
  return { code, seconds, atKill, events: cli.events, views, stderr: cli.stderr() };
}

/** The end of a run that lost a database: exit 3 in time, one line `lost`, the last JSON line `failed`. */
function expectCleanEnd(ending: Ending, lost: RegExp): void {
  const last = ending.events.at(-1);
  const seen = `events: ${trace(ending.events)}`;
  expect.soft(ending.seconds, `masque was still running ${giveUpMs / 1000} s after the kill; ${seen}`).toBeDefined();
  expect.soft(ending.code, seen).toBe(3);
  if (ending.seconds !== undefined) expect.soft(ending.seconds).toBeLessThan(exitBoundSeconds);
  expect.soft(ending.stderr).toMatch(lost);
  expect.soft(ending.stderr).not.toMatch(/^\s+at /m);
  expect.soft(ending.stderr + JSON.stringify(ending.events)).not.toContain(password);
  expect.soft({ type: last?.type, exitCode: last?.exitCode }, seen).toEqual({ type: 'failed', exitCode: 3 });
  expect.soft(`${last?.error}`, seen).toMatch(/^lost the connection to the (source|target) database /);
}

/** A moment of a run at which to kill. */
interface Moment {
  name: string;
  /** Quick: asked again and again while the run goes on. */
  reached(cli: RunningCli, target: GeneratedDb): boolean | Promise<boolean>;
  /** The kill came at that moment (the events seen when it was sent), not after it. */
  check(atKill: CliEvent[]): void;
  /** A kill at the cut-over may come after its commit: staging then holds the new data, whole. */
  mayCommit: boolean;
}

const moments: Moment[] = [
  {
    name: 'the unique scan',
    // A staged load prepares customer.email while it copies customer (docs/uniqueness.md): from
    // the first table's start until the `unique` event, just before customer's write commits.
    reached: async (cli) => {
      if (!tableStarts(cli.events).length) return false;
      await drainEvents();
      return !cli.events.some(isUnique);
    },
    check: (atKill) => expect(atKill.some(isUnique), `the scan had ended: ${trace(atKill)}`).toBe(false),
    mayCommit: false,
  },
  {
    name: 'the copy',
    reached: (cli) => tableStarts(cli.events).length >= 2,
    check: (atKill) => {
      const second = tableStarts(atKill)[1]!;
      expect(tableDone(atKill, second), `${second} was copied already: ${trace(atKill)}`).toBe(false);
    },
    mayCommit: false,
  },
  {
    name: 'the cut-over',
    reached: (cli, target) => cli.events.some((e) => e.type === 'commit') && target.cutOverRunning(),
    check: (atKill) => expect(atKill.at(-1)?.type, trace(atKill)).toBe('commit'),
    mayCommit: true,
  },
];

const cases = (['target', 'source'] as const).flatMap((side) => moments.map((moment) => ({ side, moment })));

describe.each([postgres, mariadb])('a lost connection on $name', (engine: GeneratedEngine) => {
  const control = connectionControl[engine.name]!;
  const user = `masque_fault_${randomBytes(3).toString('hex')}`;
  let source: GeneratedDb;
  let target: GeneratedDb;
  let urls: { source: string; target: string };
  let env: Record<string, string>;
  let generation = 1;

  beforeAll(async () => {
    [source, target] = await Promise.all([engine.create('fault_src', sizes), engine.create('fault_dst')]);
    urls = {
      source: control.withPassword(source.url, user, password),
      target: control.withPassword(target.url, user, password),
    };
    env = { MASQUE_SOURCE_URL: urls.source, MASQUE_TARGET_URL: urls.target, MASQUE_SECRET: 'fault-secret' };
    const first = await runToEnd(runArgs, env);
    expect(first.stderr).toBe('');
    expect(first.code).toBe(0);
    expect(await target.view()).toBe(generationView(1));
  });
  afterAll(async () => {
    await Promise.all([source?.drop(), target?.drop()]);
    control.dropUser(user);
  });

  async function loseDuring(side: 'source' | 'target', moment: Moment): Promise<void> {
    source.setGeneration(++generation);
    const before = target.checksums();
    // The view before, not generation - 1: a case that failed may have left the one before it.
    const [old, fresh] = [await target.view(), generationView(generation)];
    const cli = startRun(env);
    let killed = 0;
    const ending = await killAt(
      cli,
      target,
      () => moment.reached(cli, target),
      () => (killed = control.killAll(databaseOf(side === 'source' ? source.url : target.url))),
    );
    const said = ending.stderr.trim() || `nothing on stderr, last event ${ending.events.at(-1)?.type}`;
    console.info(
      `${engine.name}, ${side} lost during ${moment.name} (${killed} connection(s) killed): exit ${ending.code} after ${ending.seconds} s: ${said}`,
    );
    moment.check(ending.atKill);
    if (killed > 0) {
      expectCleanEnd(ending, lostLine(side, [urls[side]]));
    } else {
      // masque held no connection to that database at that moment: nothing was lost, the run goes on.
      expect.soft(ending.stderr).toBe('');
      expect.soft(ending.code).toBe(0);
    }
    const after = target.checksums();
    // Only the old data or the new, whole, at any time; the new only if the commit went through.
    expect.soft([...ending.views].filter((v) => v !== old && !(moment.mayCommit && v === fresh))).toEqual([]);
    if (!moment.mayCommit) expect.soft(after).toEqual(before);

    // The lock is free and what the run left is no obstacle: the next run starts at once and succeeds.
    const next = await runToEnd(runArgs, env);
    expect(next.stderr).toBe('');
    expect(next.code).toBe(0);
    expect(target.leftovers()).toEqual([]);
    expect(await target.view()).toBe(fresh);
    if (moment.mayCommit) expect([before, target.checksums()]).toContainEqual(after);
  }

  it.each(cases)('$side lost during $moment.name', ({ side, moment }) => loseDuring(side, moment), 90_000);
});

describe('a PostgreSQL server restarted during a run', () => {
  let cluster: PgCluster;
  let source: GeneratedDb;
  let target: GeneratedDb;
  let env: Record<string, string>;
  let urls: { source: string; target: string };
  /** The generated databases' statements (psql, which reads PGPORT), on this cluster. */
  const onCluster = <T>(use: () => T): T => {
    const shared = process.env.PGPORT;
    process.env.PGPORT = String(cluster.port);
    const restore = () => {
      if (shared === undefined) delete process.env.PGPORT;
      else process.env.PGPORT = shared;
    };
    try {
      const result = use();
      if (result instanceof Promise) return result.finally(restore) as T;
      restore();
      return result;
    } catch (error) {
      restore();
      throw error;
    }
  };
  const onClusterUrl = (url: string) =>
    connectionControl.PostgreSQL!.withPassword(url, '', password).replace(':5432/', `:${cluster.port}/`);

  beforeAll(async () => {
    cluster = await startPgCluster();
    source = await onCluster(() => postgres.create('restart_src', sizes));
    target = await onCluster(() => postgres.create('restart_dst'));
    urls = { source: onClusterUrl(source.url), target: onClusterUrl(target.url) };
    env = { MASQUE_SOURCE_URL: urls.source, MASQUE_TARGET_URL: urls.target, MASQUE_SECRET: 'fault-secret' };
    const first = await runToEnd(runArgs, env);
    expect(first.stderr).toBe('');
    expect(first.code).toBe(0);
  });
  afterAll(() => cluster?.destroy());

  it('mid-copy: exit 3 with one line naming a lost database, staging whole, and the next run succeeds', async () => {
    onCluster(() => source.setGeneration(2));
    const before = onCluster(() => target.checksums());
    const cli = startRun(env);
    const ending = await killAt(
      cli,
      target,
      () => tableStarts(cli.events).length >= 2,
      () => cluster.restart(),
      onCluster,
    );
    console.info(
      `PostgreSQL restarted during the copy: exit ${ending.code} after ${ending.seconds} s: ${ending.stderr}`,
    );
    moments[1]!.check(ending.atKill);
    // Both databases are on the server: the line names whichever loss masque saw first.
    expectCleanEnd(ending, lostLine('(source|target)', [urls.source, urls.target]));
    const [, side, url] = /lost the connection to the (\w+) database \(([^)]*)\)/.exec(ending.stderr) ?? [];
    if (side) expect.soft(url).toBe(redacted(urls[side as 'source' | 'target']));
    expect.soft([...ending.views]).toEqual([generationView(1)]);
    expect.soft(onCluster(() => target.checksums())).toEqual(before);

    const next = await runToEnd(runArgs, env);
    expect(next.stderr).toBe('');
    expect(next.code).toBe(0);
    expect(onCluster(() => target.leftovers())).toEqual([]);
    expect(await onCluster(() => target.view())).toBe(generationView(2));
  }, 120_000);
});
