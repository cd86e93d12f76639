import { describe, expect, it } from 'vitest';
import { foldText, redact, skipReason, tokensOf } from './deep-index.ts';
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
  it('keeps emails whole, folds case and tries runs of words, so a name inside a note is found', () => {
    const keys = tokensOf('Write to Mary.Smith@example.org, or call (403) 555-1234', 2);
    expect([...keys.keys()]).toContain('mary.smith@example.org');
    expect([...keys.keys()]).toContain('403 555-1234');
    expect(keys.get('mary.smith@example.org')).toBe('Mary.Smith@example.org');
    expect([...tokensOf('Ask MARY  SMITH first').keys()]).toContain('mary smith');
    expect([...tokensOf('Ann').keys()]).toEqual([]);
  });
});

describe('the deep line', () => {
  it('leaves out short values, short codes and single words; keeps names whole, emails and phones', () => {
    expect(skipReason(foldText('Ann'))).toBe('short');
    expect(skipReason(foldText('02116'))).toBe('code');
    expect(skipReason(foldText('JENNIFER'))).toBe('word');
    expect(skipReason(foldText('Mary Smith'))).toBeUndefined();
    expect(skipReason(foldText('mary@example.org'))).toBeUndefined();
    expect(skipReason(foldText('(403) 555-1234'))).toBeUndefined();
  });

  it('shows a value as its shape only', () => {
    expect(redact("Mary-Ann O'Neil 12")).toBe("Xxxx-Xxx X'Xxxx 99");
  });
});
