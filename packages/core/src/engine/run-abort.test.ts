import { describe, expect, it } from 'vitest';
import { RunAborted } from './abort.ts';
import { closeWithin, RunAbort } from './run-abort.ts';

const never = new Promise<never>(() => {});
const after = <T>(ms: number, value: T): Promise<T> => new Promise((resolve) => setTimeout(() => resolve(value), ms));

describe('RunAbort', () => {
  it('aborts its signal at the first failure, which stays the outcome whatever fails after it', () => {
    const run = new RunAbort();
    run.fail(new Error('lost the source'));
    run.fail(new Error('aborted: lost the source'));
    expect(run.signal.aborted).toBe(true);
    expect((run.outcome(new Error('something else'), 'the target is unchanged') as Error).message).toBe(
      'lost the source',
    );
  });

  it("fails the run with a watched part's failure, and rejects every other watched part at once", async () => {
    const run = new RunAbort();
    const waiting = run.watch(never);
    const started = Date.now();
    await expect(run.watch(Promise.reject(new Error('write EPIPE')))).rejects.toThrow('write EPIPE');
    await expect(waiting).rejects.toThrow('write EPIPE');
    expect(Date.now() - started).toBeLessThan(100);
    await expect(run.watch(after(1, 'late'))).rejects.toThrow('write EPIPE');
  });

  it('leaves a run that was never aborted with the error it threw', () => {
    const error = new Error('a check failed');
    expect(new RunAbort().outcome(error, 'nothing was written')).toBe(error);
  });

  it("ends with the caller's reason and what the target holds when the caller stops it", async () => {
    const caller = new AbortController();
    const run = new RunAbort(caller.signal);
    const waiting = run.watch(never);
    caller.abort(new Error('interrupted by SIGTERM'));
    await expect(waiting).rejects.toThrow('interrupted by SIGTERM');
    run.fail(new Error('a read aborted by the signal'));
    const outcome = run.outcome(new Error('aborted'), 'the target is unchanged');
    expect(outcome).toBeInstanceOf(RunAborted);
    expect((outcome as Error).message).toBe('interrupted by SIGTERM: the target is unchanged');
  });

  it('times out after the seconds it is given', async () => {
    const run = new RunAbort(undefined, 0.05);
    const started = Date.now();
    await expect(run.watch(never)).rejects.toThrow('timed out after 0.05 s');
    expect(Date.now() - started).toBeLessThan(500);
    expect((run.outcome(undefined, 'nothing was written') as Error).message).toBe(
      'timed out after 0.05 s: nothing was written',
    );
    const disposed = new RunAbort(undefined, 0.05);
    disposed.dispose();
    await after(100, undefined);
    expect(disposed.signal.aborted).toBe(false);
  });
});

describe('closeWithin', () => {
  it('gives up on a close that hangs once the time is up', async () => {
    const started = Date.now();
    await closeWithin(() => never, 100);
    expect(Date.now() - started).toBeGreaterThanOrEqual(95);
    expect(Date.now() - started).toBeLessThan(500);
  });

  it('waits for a close that finishes, and takes a failed or throwing close as done', async () => {
    const closed: string[] = [];
    await closeWithin(() => after(30, undefined).then(() => closed.push('slow')), 1000);
    await closeWithin(() => Promise.reject(new Error('Connection terminated')), 1000);
    await closeWithin(() => {
      throw new Error('not connected');
    }, 1000);
    expect(closed).toEqual(['slow']);
  });
});
