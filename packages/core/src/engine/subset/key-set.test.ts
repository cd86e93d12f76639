import { describe, expect, it } from 'vitest';
import { KeySet, MemoryBudget } from './key-set.ts';
import { RowKeys } from './row-key.ts';

const fingerprints = (keys: RowKeys, values: unknown[][]): Uint32Array[] =>
  values.map((v) => {
    const out = new Uint32Array(4);
    keys.fingerprint(v as never, out);
    return out;
  });

describe('KeySet', () => {
  it('adds each key once and knows which it holds', () => {
    const set = new KeySet();
    const [a, b] = fingerprints(new RowKeys(['integer']), [[1], [2]]);
    expect(set.add(a!)).toBe(true);
    expect(set.add(a!)).toBe(false);
    expect(set.has(b!)).toBe(false);
    expect(set.add(b!)).toBe(true);
    expect(set.size).toBe(2);
    set.close();
  });

  it('holds 100,000 keys the same in memory and, when the budget is spent, on disk', () => {
    const keys = new RowKeys(['text', 'integer']);
    const values = Array.from({ length: 100_000 }, (_, i) => [`k${i % 50_000}`, Math.floor(i / 50_000)]);
    const all = fingerprints(keys, values);
    const inMemory = new KeySet(new MemoryBudget());
    const onDisk = new KeySet(new MemoryBudget(64 * 1024));
    const added = (set: KeySet) => all.map((f) => set.add(f)).filter(Boolean).length;
    expect(added(inMemory)).toBe(100_000);
    expect(added(onDisk)).toBe(100_000);
    expect(inMemory.spilled).toBe(false);
    expect(onDisk.spilled).toBe(true);
    // Every key is found again, and repeats are refused, on disk as in memory.
    expect(all.every((f) => onDisk.has(f) && !onDisk.add(f))).toBe(true);
    const absent = fingerprints(keys, [
      ['k1', 2],
      ['x', 0],
    ]);
    expect(absent.some((f) => onDisk.has(f) || inMemory.has(f))).toBe(false);
    expect(onDisk.size).toBe(100_000);
    inMemory.close();
    onDisk.close();
  });

  it('gives memory back to the shared budget when closed', () => {
    const budget = new MemoryBudget(4 << 20);
    const set = new KeySet(budget);
    for (const f of fingerprints(
      new RowKeys(['integer']),
      Array.from({ length: 20_000 }, (_, i) => [i]),
    ))
      set.add(f);
    // 20,000 keys, at most half full: 64k slots of 16 bytes, 1 MB of the 4.
    expect(set.spilled).toBe(false);
    expect(budget.take(3 << 20)).toBe(true);
    expect(budget.take(1)).toBe(false);
    budget.give(3 << 20);
    set.close();
    expect(budget.take(4 << 20)).toBe(true);
  });
});

describe('RowKeys', () => {
  it("takes an integer key as the same key however the engine typed it, and any other tuple's exactly", () => {
    const [a, b, c, d] = fingerprints(new RowKeys(['integer']), [[5], ['5'], [5n], [6]]);
    expect([...a!]).toEqual([...b!]);
    expect([...a!]).toEqual([...c!]);
    expect([...a!]).not.toEqual([...d!]);
    const pair = new RowKeys(['text', 'text']);
    const [x, y] = fingerprints(pair, [
      ['1', '23'],
      ['12', '3'],
    ]);
    expect([...x!]).not.toEqual([...y!]);
    const [n, s] = fingerprints(new RowKeys(['other']), [[1], ['1']]);
    expect([...n!]).not.toEqual([...s!]);
  });
});
