import { describe, expect, it } from 'vitest';
import { tokensOf } from './deep-index.ts';
import { Reservoir, tupleKey, valueKey } from './reservoir.ts';

describe('Reservoir', () => {
  it('holds everything while the stream is small, and says so', () => {
    const r = new Reservoir<number>(5);
    for (let i = 0; i < 5; i++) r.add(i);
    expect(r.items).toEqual([0, 1, 2, 3, 4]);
    expect(r.complete).toBe(true);
    r.add(5);
    expect(r.complete).toBe(false);
    expect(r.items).toHaveLength(5);
  });

  it('samples uniformly and reproducibly', () => {
    const run = () => {
      const r = new Reservoir<number>(1000);
      for (let i = 0; i < 100_000; i++) r.add(i);
      return r.items;
    };
    const items = run();
    expect(run()).toEqual(items);
    expect(new Set(items).size).toBe(1000);
    // Each tenth of the stream should hold about a tenth of the sample (binomial sd ≈ 9.5).
    const tenths = Array.from({ length: 10 }, (_, k) => items.filter((i) => Math.floor(i / 10_000) === k).length);
    for (const n of tenths) {
      expect(n).toBeGreaterThan(60);
      expect(n).toBeLessThan(140);
    }
  });
});

describe('value keys', () => {
  it('compare text and numbers by their text, bytes apart from text', () => {
    expect(valueKey(42)).toBe(valueKey('42'));
    expect(valueKey(Buffer.from('ab'))).not.toBe(valueKey('ab'));
    expect(tupleKey(['a', 1])).toBe(tupleKey(['a', '1']));
    expect(tupleKey(['a', null])).toBeUndefined();
  });
});

describe('tokensOf', () => {
  it('keeps emails whole and drops short words', () => {
    expect(tokensOf('write to mary.smith@example.org, or call (403) 555-1234')).toEqual([
      'write to mary.smith@example.org, or call (403) 555-1234',
      'write',
      'mary.smith@example.org',
      'call',
      '555-1234',
    ]);
    expect(tokensOf('Ann')).toEqual([]);
    expect(tokensOf('Write to ann.lee@example.org.')).toEqual([
      'Write to ann.lee@example.org.',
      'Write',
      'ann.lee@example.org',
    ]);
    expect(tokensOf('Oslo')).toEqual(['Oslo']);
  });
});
