import { describe, expect, it } from 'vitest';
import { SipHash } from './sip-hash.ts';

/** SipHash-2-4 reference outputs (the paper's appendix A, as 64-bit little-endian words printed big-endian). */
const vectors: Record<number, string> = {
  0: '726fdb47dd0e0e31',
  1: '74f839c593dc67fd',
  7: 'ab0200f58b01d137',
  8: '93f5f5799a932462',
  15: 'a129ca6149be45e5',
  16: '3f2acc7f57c29bdb',
  63: '958a324ceb064572',
};

describe('SipHash-2-4', () => {
  const key = Uint8Array.from({ length: 16 }, (_, i) => i);
  const message = (n: number) => Uint8Array.from({ length: n }, (_, i) => i);

  it('gives the reference outputs for messages of 0 to 63 bytes', () => {
    const sip = new SipHash(key);
    for (const [length, hex] of Object.entries(vectors)) expect(sip.hex(message(Number(length))), length).toBe(hex);
  });

  it('draws the top 53 bits, the same for the same key and message, another under another key', () => {
    const sip = new SipHash(key);
    const draw = sip.draw53(Buffer.from('12345'));
    expect(Number.isSafeInteger(draw)).toBe(true);
    expect(draw).toBeGreaterThanOrEqual(0);
    expect(draw).toBeLessThan(2 ** 53);
    expect(sip.draw53(Buffer.from('12345'))).toBe(draw);
    expect(sip.draw53(Buffer.from('12345xx'), 5)).toBe(draw);
    const other = new SipHash(Uint8Array.from({ length: 16 }, (_, i) => 15 - i));
    expect(other.draw53(Buffer.from('12345'))).not.toBe(draw);
    expect(BigInt(draw)).toBe(BigInt(`0x${sip.hex(Buffer.from('12345'))}`) >> 11n);
  });

  it('spreads draws evenly: a fifth of 20,000 keys fall below a fifth of the range', () => {
    const sip = new SipHash(key);
    let below = 0;
    for (let i = 1; i <= 20_000; i++) if (sip.draw53(Buffer.from(String(i))) < 0.2 * 2 ** 53) below++;
    // 4,000 expected, standard deviation 57: within 4 of them.
    expect(Math.abs(below - 4000)).toBeLessThan(230);
  });
});
