import { createHmac } from 'node:crypto';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { hash } from './hash.ts';
import { TEST_SECRET, build } from './test-context.ts';

/** What the spec promises: HMAC-SHA256(secret, domain + value), the domain being the name. */
const hmac = (value: string) => createHmac('sha256', TEST_SECRET).update('hash\u0000').update(value).digest();

describe('hash', () => {
  it('is the keyed HMAC of the value, hex by default', () => {
    fc.assert(
      fc.property(fc.string(), (v) => {
        expect(build(hash)(v, [])).toBe(hmac(v).toString('hex'));
      }),
    );
  });

  it('encodes as base64url', () => {
    const out = build(hash, { encoding: 'base64url' })('alice', []);
    expect(out).toBe(hmac('alice').toString('base64url'));
    expect(out).toMatch(/^[A-Za-z0-9_-]{43}$/);
  });

  it('differs across secrets and keeps NULL', () => {
    expect(build(hash, {}, {}, { secret: 'a' })('x', [])).not.toBe(build(hash, {}, {}, { secret: 'b' })('x', []));
    expect(build(hash)(null, [])).toBeNull();
  });

  it('cuts to `length`, and by default to the column length', () => {
    expect(build(hash, { length: 12 })('x', [])).toBe(hmac('x').toString('hex').slice(0, 12));
    expect(build(hash, {}, { maxLength: 20 })('x', [])).toHaveLength(20);
    expect(build(hash, { encoding: 'base64url' }, { maxLength: 100 })('x', [])).toHaveLength(43);
  });

  it('refuses a length the digest or the column cannot give', () => {
    expect(() => build(hash, { length: 50, encoding: 'base64url' })).toThrow('43');
    expect(() => build(hash, { length: 30 }, { maxLength: 20 })).toThrow('maximum length 20');
    expect(hash.params.safeParse({ length: 0 }).success).toBe(false);
    expect(hash.params.safeParse({ encoding: 'base32' }).success).toBe(false);
  });

  it('hashes numbers and their text alike, so engines agree', () => {
    const t = build(hash);
    expect(t(42, [])).toBe(t('42', []));
    expect(t(42n, [])).toBe(t('42', []));
  });
});
