import { readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { SortedRuns } from './sorted-runs.ts';

function ascending(list: SortedRuns): number[] {
  const out: number[] = [];
  list.ascending((v) => out.push(v));
  return out;
}

const leftovers = () => readdirSync(tmpdir()).filter((name) => name.startsWith('masque-unique-'));

describe('SortedRuns', () => {
  it('reads back every value in ascending order, across runs written to the file and the one in memory', () => {
    fc.assert(
      fc.property(
        fc.array(fc.integer({ min: 0, max: 2 ** 53 - 1 }), { maxLength: 300 }),
        fc.integer({ min: 1, max: 40 }),
        (values, runLength) => {
          const list = new SortedRuns(runLength);
          for (const v of values) list.push(v);
          expect(list.length).toBe(values.length);
          expect(ascending(list)).toEqual([...values].sort((a, b) => a - b));
          expect([...list.present(new Set([values[0] ?? -1, -5]), (v) => v)]).toEqual(values.length ? [values[0]] : []);
          list.close();
        },
      ),
      { numRuns: 200 },
    );
  });

  it('holds one run in memory however many values: 100k values in runs of 4096', () => {
    const list = new SortedRuns(4096);
    const values = Array.from({ length: 100_000 }, (_, i) => (i * 7919) % 100_003);
    for (const v of values) list.push(v);
    expect(list.bytes).toBe(8 * 4096);
    const out = ascending(list);
    expect(out).toEqual([...values].sort((a, b) => a - b));
    expect(list.present(new Set([5, 100_002, 100_004]), (v) => v)).toEqual(new Set([5, 100_002]));
    list.close();
  });

  it('leaves no file behind: the file is unlinked as soon as it is opened', () => {
    const before = leftovers();
    const list = new SortedRuns(2);
    for (let i = 0; i < 10; i++) list.push(10 - i);
    expect(leftovers()).toEqual(before);
    expect(ascending(list)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
    list.close();
  });
});
