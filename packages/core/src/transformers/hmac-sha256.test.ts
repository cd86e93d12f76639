import { createHmac } from 'node:crypto';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createHmacSha256 } from './hmac-sha256.ts';
import { createKeyedHash } from './keyed-hash.ts';

const reference = (key: string | Uint8Array, message: Uint8Array): string =>
  createHmac('sha256', key).update(message).digest('hex');

describe('createHmacSha256', () => {
  it('equals node:crypto for every key and message length around the block boundaries', () => {
    for (const keyLength of [0, 1, 32, 63, 64, 65, 200]) {
      const key = new Uint8Array(keyLength).map((_, i) => (i * 37 + 11) & 0xff);
      const hmac = createHmacSha256(key);
      for (let length = 0; length <= 300; length++) {
        const message = new Uint8Array(length).map((_, i) => (i * 101 + length) & 0xff);
        expect(hmac(message, length).toString('hex'), `key ${keyLength}, message ${length}`).toBe(
          reference(key, message),
        );
      }
    }
  });

  it('equals node:crypto on random keys and messages, and hashes only the first `length` bytes', () => {
    fc.assert(
      fc.property(fc.string(), fc.uint8Array({ maxLength: 400 }), fc.nat(), (key, message, cut) => {
        const length = message.length ? cut % (message.length + 1) : 0;
        expect(createHmacSha256(key)(message, length).toString('hex')).toBe(
          reference(key, message.subarray(0, length)),
        );
      }),
    );
  });
});

describe('createKeyedHash', () => {
  it('is HMAC-SHA256(secret, domain NUL value) for strings, numbers, Buffers and NULL (SPEC)', () => {
    const keyed = createKeyedHash('s3cret', 'email');
    const expected = (bytes: Buffer): string =>
      createHmac('sha256', 's3cret').update(Buffer.from('email\u0000')).update(bytes).digest('hex');
    fc.assert(
      fc.property(
        fc.oneof(fc.string({ unit: 'grapheme', maxLength: 300 }), fc.integer(), fc.uint8Array({ maxLength: 300 })),
        (value) => {
          const bytes = value instanceof Uint8Array ? Buffer.from(value) : Buffer.from(String(value), 'utf8');
          const input = value instanceof Uint8Array ? Buffer.from(value) : value;
          expect(keyed.digest(input).toString('hex')).toBe(expected(bytes));
        },
      ),
    );
    expect(keyed.digest(null).toString('hex')).toBe(expected(Buffer.alloc(0)));
  });

  it('returns a fresh Buffer each time: an earlier digest is never overwritten', () => {
    const keyed = createKeyedHash('k', 'd');
    const first = keyed.digest('a');
    const copy = Buffer.from(first);
    keyed.digest('b');
    expect(first).toEqual(copy);
  });
});
