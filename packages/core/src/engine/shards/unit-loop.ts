import { setTimeout as delay } from 'node:timers/promises';
import type { Dialect, SnapshotReader } from '../../dialects/dialect.ts';
import { statementError } from '../../dialects/driver-error.ts';
import type { ClaimedUnit, ShardBoard } from '../../dialects/shard-board.ts';
import { RuntimeError } from '../../errors.ts';
import { abortable } from '../abort.ts';
import type { RunListener, UnitPart } from '../events.ts';
import { createBatchMasker, maskBatches, readRequest } from '../mask-batch.ts';
import type { TablePlan } from '../plan.ts';
import { closeWithin, type RunAbort } from '../run-abort.ts';
import { coordinatorGone, keepLease } from './lease.ts';

/** A unit taken over this many times was the death of every shard that took it: the run stops. */
const maxAttempts = 5;
/** Polls of a shard with nothing to claim while others work: quick at first, then once a second. */
const firstPollMs = 200;
const lastPollMs = 1000;

/** A unit this shard staged. */
export interface OwnUnit {
  table: TablePlan;
  part?: UnitPart;
  rows: number;
  bytes: number;
  seconds: number;
}

/** What a shard needs to work units of a plan, whatever its index. */
export interface ShardWork {
  board: ShardBoard;
  planId: string;
  shard: number;
  leaseSeconds: number;
  /** This shard's plan of each table, by target name. */
  tables: ReadonlyMap<string, TablePlan>;
  source: Pick<Dialect, 'readsTrue'>;
  /** Makes sure shard 0's unique repairs are in this shard's columns (once). */
  repairs(): Promise<void>;
  onEvent: RunListener;
  run: RunAbort;
  /** Filled with the units this shard staged. */
  staged: OwnUnit[];
}

/**
 * Claims and stages units until none is left to stage, `jobs` loops at once, each with a reader
 * of the snapshot that `open` gives it at its first unit (and anew after a lost lease: a read
 * given up half-way leaves its connection unusable). A loop with nothing to claim while other
 * shards hold units waits and claims again, taking over any unit whose lease runs out, so it ends
 * only once every unit is staged. Shard 0 gone ends it with an error.
 */
export async function workUnits(work: ShardWork, jobs: number, open: () => Promise<SnapshotReader>): Promise<void> {
  await Promise.all(Array.from({ length: jobs }, () => claimLoop(work, open)));
}

async function claimLoop(work: ShardWork, open: () => Promise<SnapshotReader>): Promise<void> {
  const { board, run } = work;
  let poll = firstPollMs;
  let reader: SnapshotReader | undefined;
  for (;;) {
    run.signal.throwIfAborted();
    const claim = await run.watch(board.claim(work.planId, work.shard, work.leaseSeconds));
    if (claim.kind === 'all-staged') return;
    if (claim.kind === 'gone') throw coordinatorGone(claim.reason);
    if (claim.kind === 'wait') {
      await pause(run, poll);
      poll = Math.min(lastPollMs, poll * 2);
      continue;
    }
    poll = firstPollMs;
    reader ??= await open();
    if (await stageUnit(work, claim.unit, reader)) continue;
    const given = reader;
    reader = undefined;
    await closeWithin(() => given.close());
  }
}

/**
 * Reads the unit's rows from the snapshot, masks them and stages them, under a renewed lease.
 * False when the lease was lost (this shard stalled past it and another took the unit over): the
 * unit's transaction is rolled back, and the loop goes on with other units.
 */
async function stageUnit(work: ShardWork, unit: ClaimedUnit, reader: SnapshotReader): Promise<boolean> {
  const { run, onEvent } = work;
  const table = work.tables.get(unit.table);
  if (!table) throw new RuntimeError(`--shards: shard 0 planned a table this shard does not plan (${unit.table})`);
  const part = unit.part && { index: unit.part.index, count: unit.part.count };
  const subject = `${table.source.name}${part ? ` (part ${part.index + 1} of ${part.count})` : ''}`;
  if (unit.attempt > maxAttempts) {
    throw new RuntimeError(
      `--shards: ${subject} was taken over ${unit.attempt - 1} times: ` +
        'every shard that took it stopped before staging it',
    );
  }
  onEvent({ type: 'unit-claimed', table: table.source.name, ...(part && { part }), attempt: unit.attempt });
  if (unit.needsRepairs) await run.watch(work.repairs());
  const started = Date.now();
  let bytes = 0;
  const lost = new AbortController();
  const stop = keepLease(work.board, work.planId, unit, work.leaseSeconds, run, () => lost.abort());
  let rows: number | undefined;
  try {
    const request = { ...readRequest(table), ...(unit.part && { range: unit.part.range }) };
    const mask = createBatchMasker(table, work.source);
    const read = abortable(reader.read(request), AbortSignal.any([run.signal, lost.signal]));
    const batches = maskBatches(read, mask, (_, size) => {
      bytes += size;
    });
    const columns = table.columns.map((c) => c.name);
    const shadow = { table: table.target, columns, ...(unit.part && { parts: unit.part.count }) };
    rows = await untilRunEnds(
      run,
      work.board.stage(unit, shadow, batches, () => bytes),
    );
  } catch (error) {
    // A unit given up for its lost lease is no failure of the run; anything else is.
    if (!lost.signal.aborted || run.signal.aborted) {
      const failure = run.signal.aborted ? error : statementError(`staging ${subject}`, error);
      run.fail(failure);
      throw failure;
    }
  } finally {
    stop();
  }
  if (rows === undefined) {
    const message =
      `lost the lease of ${subject}: this shard stalled past --lease ${work.leaseSeconds} s ` +
      'and another shard took it over';
    onEvent({ type: 'warning', problem: { severity: 'warning', subject: 'shards', message } });
    return false;
  }
  const seconds = (Date.now() - started) / 1000;
  work.staged.push({ table, ...(part && { part }), rows, bytes, seconds });
  onEvent({ type: 'unit-staged', table: table.source.name, ...(part && { part }), rows, bytes, seconds });
  return true;
}

/** `part`'s result, or the run's end, whichever comes first; `part` failing is left to the caller. */
function untilRunEnds<T>(run: RunAbort, part: Promise<T>): Promise<T> {
  return new Promise((resolve, reject) => {
    const onAbort = (): void => reject(run.signal.reason);
    if (run.signal.aborted) return onAbort();
    run.signal.addEventListener('abort', onAbort, { once: true });
    part.then(
      (value) => {
        run.signal.removeEventListener('abort', onAbort);
        resolve(value);
      },
      (error: unknown) => {
        run.signal.removeEventListener('abort', onAbort);
        reject(error);
      },
    );
  });
}

/** Waits `ms`, or until the run ends. */
export async function pause(run: RunAbort, ms: number): Promise<void> {
  await run.watch(delay(ms, undefined, { signal: run.signal }));
}
