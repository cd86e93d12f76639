import { describe, expect, it } from 'vitest';
import { detached, FingerprintList } from './fingerprint.ts';

describe('FingerprintList', () => {
  it('is sized from the estimate once, and grows past a low estimate without losing a value', () => {
    expect(new FingerprintList(100_000).bytes).toBe(8 * 105_000);
    expect(new FingerprintList().bytes).toBe(8 * 1024);
    const list = new FingerprintList(10);
    const values = Array.from({ length: 5000 }, (_, i) => (i * 7919) % 5003);
    for (const v of values) list.push(v);
    expect(list.length).toBe(5000);
    expect([...list.sorted()]).toEqual([...values].sort((a, b) => a - b));
  });
});

describe('detached', () => {
  it('gives an equal value that shares no memory with the one it copies', () => {
    const chunk = Buffer.from('0123456789abcdefghij');
    const slice = chunk.subarray(2, 8);
    const copy = detached(slice) as Buffer;
    expect(copy.equals(slice)).toBe(true);
    chunk[3] = 0x58;
    expect(copy.toString()).toBe('234567');
    const text = 'row 1\tsomeone.long@example.com\tName'.slice(6, 30);
    expect(detached(text)).toBe(text);
    expect(detached('short')).toBe('short');
    const odd = 'lone surrogate \ud800 and emoji 😀 in a long value';
    expect(detached(odd)).toBe(odd);
    for (const v of [null, 42, 10n, true]) expect(detached(v)).toBe(v);
  });
});
