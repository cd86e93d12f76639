import { isIP } from 'node:net';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ip } from './ip.ts';
import { build } from './test-context.ts';

const address = fc.oneof(fc.ipV4(), fc.ipV6());

describe('ip', () => {
  it('writes an address of the input family, deterministic per secret', () => {
    const a = build(ip, {}, {}, { secret: 'one' });
    const a2 = build(ip, {}, {}, { secret: 'one' });
    const b = build(ip, {}, {}, { secret: 'two' });
    fc.assert(
      fc.property(address, (v) => {
        const out = a(v, []) as string;
        expect(isIP(out)).toBe(isIP(v));
        expect(a2(v, [])).toBe(out);
        expect(b(v, [])).not.toBe(out);
      }),
    );
  });

  it('writes public-looking addresses', () => {
    const t = build(ip);
    fc.assert(
      fc.property(fc.ipV4(), (v) => {
        const [first, , , last] = (t(v, []) as string).split('.').map(Number);
        expect(first).toBeGreaterThanOrEqual(1);
        expect(first).toBeLessThanOrEqual(223);
        expect(first).not.toBe(127);
        expect(last).toBeGreaterThanOrEqual(1);
        expect(last).toBeLessThanOrEqual(254);
      }),
    );
    fc.assert(
      fc.property(fc.ipV6(), (v) => {
        expect(t(v, [])).toMatch(/^[23][0-9a-f]{3}:/);
      }),
    );
  });

  it('obeys `version`, and writes IPv4 for inputs that are no address', () => {
    fc.assert(
      fc.property(address, (v) => {
        expect(isIP(build(ip, { version: 6 })(v, []) as string)).toBe(6);
      }),
    );
    fc.assert(
      fc.property(address, (v) => {
        expect(isIP(build(ip, { version: 4 })(v, []) as string)).toBe(4);
      }),
    );
    expect(isIP(build(ip)('unknown', []) as string)).toBe(4);
  });

  it('keeps a network prefix and clears the host bits (PostgreSQL cidr refuses them)', () => {
    const t = build(ip);
    fc.assert(
      fc.property(fc.ipV4(), fc.integer({ min: 0, max: 32 }), (v, prefix) => {
        const out = t(`${v}/${prefix}`, []) as string;
        const [addr, kept] = out.split('/');
        expect(kept).toBe(String(prefix));
        const bits = addr!.split('.').reduce((n, o) => n * 256 + Number(o), 0);
        expect(bits % 2 ** (32 - prefix)).toBe(0);
      }),
    );
    expect(t('2001:db8::/32', [])).toMatch(/^[23][0-9a-f]{3}:[0-9a-f]{1,4}:0:0:0:0:0:0\/32$/);
  });

  it('keeps empty and blank inputs, unless shape is off', () => {
    for (const blank of ['', '  ']) {
      expect(build(ip)(blank, [])).toBe(blank);
      expect(build(ip, { version: 6 })(blank, [])).toBe(blank);
      expect(build(ip, { shape: false })(blank, [])).toMatch(/^\d+\.\d+\.\d+\.\d+$/);
    }
  });

  it('keeps NULL', () => {
    expect(build(ip)(null, [])).toBeNull();
  });

  it('fits the column or refuses it', () => {
    fc.assert(
      fc.property(fc.ipV4(), (v) => {
        expect((build(ip, {}, { maxLength: 15 })(v, []) as string).length).toBeLessThanOrEqual(15);
      }),
    );
    expect(() => build(ip, {}, { maxLength: 14 })).toThrow('too short for an IPv4 address');
    expect(() => build(ip, { version: 6 }, { maxLength: 38 })).toThrow('too short for an IPv6 address');
    expect(() => build(ip, {}, { maxLength: 20 })('::1', [])).toThrow('ip: an IPv6 address does not fit');
  });

  it('validates its parameters', () => {
    expect(ip.params.safeParse({ version: 5 }).success).toBe(false);
    expect(ip.params.safeParse({ version: '4' }).success).toBe(false);
  });
});
