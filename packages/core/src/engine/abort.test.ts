import { describe, expect, it } from 'vitest';
import { abortable, abortError, RunAborted } from './abort.ts';

async function* slow(values: number[], waitMs: number): AsyncIterable<number> {
  for (const value of values) {
    await new Promise((resolve) => setTimeout(resolve, waitMs));
    yield value;
  }
}

describe('abortable', () => {
  it('passes everything through while the signal stays quiet', async () => {
    const seen: number[] = [];
    for await (const value of abortable(slow([1, 2, 3], 1), new AbortController().signal)) seen.push(value);
    expect(seen).toEqual([1, 2, 3]);
  });

  it('fails at once with the reason when aborted during a pending read', async () => {
    const controller = new AbortController();
    const seen: number[] = [];
    setTimeout(() => controller.abort('interrupted by SIGTERM'), 30);
    const started = Date.now();
    const loop = (async () => {
      for await (const value of abortable(slow([1, 2, 3], 1000), controller.signal)) seen.push(value);
    })();
    await expect(loop).rejects.toThrow(new RunAborted('interrupted by SIGTERM'));
    expect(Date.now() - started).toBeLessThan(900);
    expect(seen).toEqual([]);
  });

  it('lets a signal handler run even when the source never waits for I/O', async () => {
    const controller = new AbortController();
    async function* busy(): AsyncIterable<number> {
      for (let i = 0; ; i++) {
        const until = Date.now() + 5;
        while (Date.now() < until); // synchronous work, as SQLite reads are
        yield i;
      }
    }
    setTimeout(() => controller.abort('stop'), 20);
    let count = 0;
    await expect(
      (async () => {
        for await (const _ of abortable(busy(), controller.signal)) count++;
      })(),
    ).rejects.toThrow('stop');
    expect(count).toBeGreaterThan(0);
  });
});

describe('abortError', () => {
  it('says why and what the target holds, as a runtime error (exit 3)', () => {
    const controller = new AbortController();
    controller.abort('interrupted by SIGINT');
    const error = abortError(controller.signal, 'the target is unchanged');
    expect(error).toBeInstanceOf(RunAborted);
    expect(error.exitCode).toBe(3);
    expect(error.message).toBe('interrupted by SIGINT: the target is unchanged');
  });
});
