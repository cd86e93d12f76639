import { describe, expect, it } from 'vitest';
import { batchBytes } from './batch-bytes.ts';

describe('batchBytes', () => {
  it('counts strings in UTF-8, not in UTF-16 code units', () => {
    expect(batchBytes([['abc'], ['é'], ['😀']])).toBe(3 + 2 + 4);
  });

  it('counts binary as its bytes and NULL as nothing', () => {
    expect(batchBytes([[Buffer.from([0, 1, 2, 255]), null]])).toBe(4);
  });

  it('counts numbers, bigints and booleans as their decimal text', () => {
    expect(batchBytes([[42, -1.5, 12345678901234567890n, true, false]])).toBe(2 + 4 + 20 + 4 + 5);
  });

  it('adds up every value of every row, and an empty batch is 0', () => {
    expect(
      batchBytes([
        ['ab', 'c'],
        ['de', null],
      ]),
    ).toBe(5);
    expect(batchBytes([])).toBe(0);
  });
});
