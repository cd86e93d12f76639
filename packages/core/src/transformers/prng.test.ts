import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { DigestRandom } from './prng.ts';

const digest = (s: string) => createHash('sha256').update(s).digest();

describe('DigestRandom', () => {
  it('repeats a stream for one digest and differs for another', () => {
    const take = (r: DigestRandom) => Array.from({ length: 8 }, () => r.uint32());
    expect(take(new DigestRandom(digest('a')))).toEqual(take(new DigestRandom(digest('a'))));
    expect(take(new DigestRandom(digest('a')))).not.toEqual(take(new DigestRandom(digest('b'))));
  });

  it('draws floats in [0, 1) and integers spread over the range', () => {
    const r = new DigestRandom(digest('seed'));
    const counts = new Array(10).fill(0);
    for (let i = 0; i < 10_000; i++) {
      const x = r.next();
      expect(x >= 0 && x < 1).toBe(true);
      counts[r.below(10)]++;
    }
    for (const c of counts) expect(c).toBeGreaterThan(850);
  });
});
