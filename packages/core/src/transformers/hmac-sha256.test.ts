import { createHmac } from 'node:crypto';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createHmacSha256 } from './hmac-sha256.ts';
import { createKeyedHash } from './keyed-hash.ts';
import { CAP } from './sha256-wasm.ts';

const reference = (key: string | Uint8Array, message: Uint8Array): string =>
  createHmac('sha256', key).update(message).digest('hex');

describe('createHmacSha256', () => {
  it('equals node:crypto for every key and message length 0–300 (around the block boundaries)', () => {
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

  it('equals node:crypto on messages of many blocks, also longer than one WebAssembly call takes', () => {
    const hmac = createHmacSha256('k');
    for (const length of [1000, CAP - 65, CAP - 1, CAP, CAP + 1, CAP + 55, CAP + 56, 2 * CAP, 2 * CAP + 100, 100_000]) {
      const message = new Uint8Array(length).map((_, i) => (i * 7 + (i >>> 8)) & 0xff);
      expect(hmac(message, length).toString('hex'), `message ${length}`).toBe(reference('k', message));
    }
  });

  it('equals node:crypto on long keys, hashed first (as strings: UTF-8)', () => {
    for (const key of ['x'.repeat(65), 'ключ'.repeat(20), new Uint8Array(5000).fill(0xa5)]) {
      const hmac = createHmacSha256(key);
      for (const length of [0, 5, 55, 56, 64, 200]) {
        const message = new Uint8Array(length).fill(length);
        expect(hmac(message, length).toString('hex')).toBe(reference(key, message));
      }
    }
  });

  it('keeps each key apart: many instances, called in turn (more keys than the first memory page holds)', () => {
    const keys = Array.from({ length: 1500 }, (_, i) => `key ${i}`);
    const hmacs = keys.map((key) => createHmacSha256(key));
    for (let round = 0; round < 3; round++) {
      for (let i = 0; i < keys.length; i += round + 1) {
        const message = Buffer.from(`email\u0000user${i}.${round}@example.org`);
        expect(hmacs[i]!(message, message.length).toString('hex')).toBe(reference(keys[i]!, message));
      }
    }
  });

  it('returns a fresh Buffer each time', () => {
    const hmac = createHmacSha256('k');
    const first = hmac(Buffer.from('a'), 1);
    const copy = Buffer.from(first);
    hmac(Buffer.from('b'), 1);
    createHmacSha256('other')(Buffer.from('c'), 1);
    expect(first).toEqual(copy);
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
  it('equals node:crypto on several random keys made first and then used interleaved', () => {
    const pair = fc.tuple(fc.oneof(fc.string(), fc.uint8Array({ maxLength: 100 })), fc.uint8Array({ maxLength: 200 }));
    fc.assert(
      fc.property(fc.array(pair, { minLength: 1, maxLength: 8 }), (pairs) => {
        const hmacs = pairs.map(([key]) => createHmacSha256(key));
        for (const i of [...pairs.keys(), ...[...pairs.keys()].reverse()]) {
          const [key, message] = pairs[i]!;
          expect(hmacs[i]!(message, message.length).toString('hex')).toBe(reference(key, message));
        }
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
