import { describe, expect, it } from 'vitest';
import { runJobs } from './jobs.ts';
import { RunAbort } from './run-abort.ts';

const tick = () => new Promise((resolve) => setTimeout(resolve, 5));

describe('runJobs', () => {
  it('runs every item once, never more at a time than there are resources', async () => {
    let running = 0;
    let most = 0;
    const seen: number[] = [];
    await runJobs([1, 2, 3, 4, 5, 6, 7], ['a', 'b', 'c'], async (item) => {
      most = Math.max(most, ++running);
      await tick();
      seen.push(item);
      running--;
    });
    expect(seen.sort()).toEqual([1, 2, 3, 4, 5, 6, 7]);
    expect(most).toBe(3);
  });

  it('throws the first failure, aborts the items running beside it and starts no more', async () => {
    const started: number[] = [];
    const aborted: number[] = [];
    const run = runJobs([1, 2, 3, 4, 5], ['a', 'b'], async (item, _resource, signal) => {
      started.push(item);
      if (item === 2) throw new Error('item 2 broke');
      await new Promise<void>((resolve, reject) => {
        const timer = setTimeout(resolve, 1000);
        signal.addEventListener('abort', () => {
          clearTimeout(timer);
          aborted.push(item);
          reject(new Error('aborted'));
        });
      });
    });
    await expect(run).rejects.toThrow('item 2 broke');
    expect(started).toEqual([1, 2]);
    expect(aborted).toEqual([1]);
  });

  it('stops at once when an item fails while another one never settles (a write stuck on a server)', async () => {
    const started = Date.now();
    const run = runJobs([1, 2], ['a', 'b'], async (item) => {
      if (item === 1) return new Promise<void>(() => {});
      await tick();
      throw new Error('lost the connection to the source database');
    });
    await expect(run).rejects.toThrow('lost the connection to the source database');
    expect(Date.now() - started).toBeLessThan(500);
  });

  it('stops at once when the run is aborted by another part, and starts no more items', async () => {
    const abort = new RunAbort();
    const started: number[] = [];
    setTimeout(() => abort.fail(new Error('the unique scan failed')), 20);
    const run = runJobs(
      [1, 2, 3],
      ['a'],
      async (item) => {
        started.push(item);
        return new Promise<void>(() => {});
      },
      abort,
    );
    await expect(run).rejects.toThrow('the unique scan failed');
    expect(started).toEqual([1]);
  });
});
