import { describe, expect, it } from 'vitest';
import { detached } from './fingerprint.ts';

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
