import type { ClaimedUnit, ShardBoard } from '../../dialects/shard-board.ts';
import { RuntimeError } from '../../errors.ts';
import type { RunAbort } from '../run-abort.ts';

/** The longest pause between two renewals, however long the lease: shard 0's end is noticed within it. */
const maxRenewMs = 5000;

/** Said by a shard that stops because shard 0 did: the run it joined can no longer end in a cut-over. */
export function coordinatorGone(reason: string): RuntimeError {
  return new RuntimeError(
    `${reason}: its source snapshot is gone and no cut-over will come; this shard stops too, the target unchanged`,
  );
}

/**
 * Keeps this shard's lease on `unit` while it stages it: renews it three times a lease (at most
 * every 5 s), and checks each time that shard 0 is still there. A lease that ran out and went to
 * another shard (this one stalled) calls `onLost`: the unit is given up, its transaction rolled
 * back. Shard 0 gone fails the run. Returns the function that stops it.
 */
export function keepLease(
  board: ShardBoard,
  planId: string,
  unit: ClaimedUnit,
  leaseSeconds: number,
  run: RunAbort,
  onLost: () => void,
): () => void {
  const period = Math.min((leaseSeconds * 1000) / 3, maxRenewMs);
  let stopped = false;
  let timer: NodeJS.Timeout | undefined;
  const fail = (error: unknown): void => {
    if (!stopped) run.fail(error);
  };
  const renew = async (): Promise<void> => {
    if (!(await board.renew(unit, leaseSeconds))) {
      if (!stopped) onLost();
      return;
    }
    const plan = await board.readPlan();
    if (plan?.planId !== planId) return fail(coordinatorGone('shard 0 replaced the plan this shard worked on'));
    if (!plan.coordinatorAlive) return fail(coordinatorGone('shard 0 (the coordinator) stopped'));
    if (!stopped) timer = setTimeout(tick, period);
  };
  const tick = (): void => void renew().catch(fail);
  timer = setTimeout(tick, period);
  return () => {
    stopped = true;
    clearTimeout(timer);
  };
}
