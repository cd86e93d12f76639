import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { email } from './email.ts';
import { build } from './test-context.ts';

/** A dot-atom local part at a DNS name: what every output must look like. */
const ADDRESS = /^[a-z0-9]+(\.[a-z0-9]+)*@([a-z0-9]([a-z0-9-]*[a-z0-9])?\.)+[a-z][a-z0-9-]*[a-z0-9]$/;

describe('email', () => {
  it('writes first.last.NNNN@example.com by default', () => {
    const out = build(email)('jane.doe@corp.example', []);
    expect(out).toMatch(/^[a-z]+\.[a-z]+\.\d{4}@example\.com$/);
  });

  it('is deterministic per secret and differs across secrets', () => {
    const a = build(email, {}, {}, { secret: 'one' });
    const a2 = build(email, {}, {}, { secret: 'one' });
    const b = build(email, {}, {}, { secret: 'two' });
    let same = 0;
    fc.assert(
      fc.property(fc.emailAddress(), (v) => {
        expect(a(v, [])).toBe(a2(v, []));
        if (a(v, []) === b(v, [])) same++;
      }),
    );
    expect(same).toBeLessThanOrEqual(1);
  });

  it("keeps the local part's case, and empty and blank inputs, unless shape is off", () => {
    const t = build(email);
    const off = build(email, { shape: false });
    expect(t('MARY.SMITH@sakilacustomer.org', [])).toMatch(/^[A-Z]+\.[A-Z]+\.\d{4}@example\.com$/);
    expect(t('Mary.Smith@corp.example', [])).toMatch(/^[A-Z][a-z]+\.[A-Z][a-z]+\.\d{4}@example\.com$/);
    expect(t('mary.smith@corp.example', [])).toMatch(/^[a-z]+\.[a-z]+\.\d{4}@example\.com$/);
    // Only the case changes: the same letters as with shape off.
    expect((t('MARY.SMITH@sakilacustomer.org', []) as string).toLowerCase()).toBe(
      off('MARY.SMITH@sakilacustomer.org', []),
    );
    expect(off('MARY.SMITH@sakilacustomer.org', [])).toMatch(ADDRESS);
    for (const blank of ['', ' ', '\t\n']) {
      expect(t(blank, [])).toBe(blank);
      expect(off(blank, [])).toMatch(ADDRESS);
    }
  });

  it('keeps NULL', () => {
    expect(build(email)(null, [])).toBeNull();
  });

  it('always writes a valid address that fits the column', () => {
    fc.assert(
      fc.property(fc.emailAddress(), fc.integer({ min: 13, max: 80 }), fc.boolean(), (v, maxLength, keepDomain) => {
        const out = build(email, { keepDomain }, { maxLength })(v, []) as string;
        expect(out).toMatch(ADDRESS);
        expect(out.length).toBeLessThanOrEqual(maxLength);
      }),
    );
  });

  it('falls back to shorter forms, still deterministic, in short columns', () => {
    const full = build(email)('x@y.org', []) as string;
    const short = build(email, {}, { maxLength: 14 })('x@y.org', []) as string;
    expect(full.length).toBeGreaterThan(14);
    expect(short).toMatch(/^[a-z0-9]{1,3}@example\.com$/);
    expect(build(email, {}, { maxLength: 14 })('x@y.org', [])).toBe(short);
  });

  it('refuses a column too short for any address', () => {
    expect(() => build(email, {}, { maxLength: 12 })).toThrow('too short');
    expect(() => build(email, { domain: 'a.io' }, { maxLength: 6 })).not.toThrow();
  });

  it('keeps the input domain with keepDomain, and uses `domain` when the input has none', () => {
    const t = build(email, { keepDomain: true, domain: 'fallback.test' });
    expect(t('Someone@Shop.Example.DE', [])).toMatch(/@shop\.example\.de$/);
    expect(t('no address here', [])).toMatch(/@fallback\.test$/);
    expect(build(email, { domain: 'Staging.TEST' })('a@b.com', [])).toMatch(/@staging\.test$/);
  });

  it('does not keep a domain the column cannot hold with a local part', () => {
    const out = build(email, { keepDomain: true }, { maxLength: 20 })('a@a-very-long-domain.example', []);
    expect(out).toMatch(/@example\.com$/);
  });

  it('validates its parameters', () => {
    expect(email.params.safeParse({ domain: 'not a domain' }).success).toBe(false);
    expect(email.params.safeParse({ keepDomain: 'yes' }).success).toBe(false);
    expect(email.params.safeParse({ domian: 'x.org' }).success).toBe(false);
  });

  it('rarely maps distinct inputs to one address', () => {
    const t = build(email);
    const outputs = new Set(Array.from({ length: 5000 }, (_, i) => t(`user${i}@corp.example`, [])));
    expect(outputs.size).toBeGreaterThan(4990);
  });
});
