/**
 * SipHash-2-4 (Aumasson and Bernstein, 2012): a keyed pseudo-random function of short messages,
 * designed for exactly this, hashing many short keys under a secret key, at a fraction of
 * HMAC-SHA256's cost (the subset draws a number for every row of a root table). 64-bit words are
 * kept as pairs of 32-bit halves, since JavaScript has no fast 64-bit integers. The test checks
 * the reference vectors of the paper.
 */
export class SipHash {
  private readonly k: Uint32Array;
  /** v0..v3, each as [high, low]. */
  private readonly v = new Uint32Array(8);

  /** `key`: 16 bytes. */
  constructor(key: Uint8Array) {
    if (key.length !== 16) throw new Error('SipHash needs a 16-byte key');
    const view = new DataView(key.buffer, key.byteOffset, 16);
    // k0 and k1 are little-endian 64-bit words: [high, low] of each.
    this.k = new Uint32Array([
      view.getUint32(4, true),
      view.getUint32(0, true),
      view.getUint32(12, true),
      view.getUint32(8, true),
    ]);
  }

  /**
   * The top 53 bits of the 64-bit hash of `message[0, length)`, as an integer in [0, 2^53): exact
   * in a double, so draws compare and sort as numbers.
   */
  draw53(message: Uint8Array, length = message.length): number {
    this.hash(message, length);
    const v = this.v;
    const high = (v[0]! ^ v[2]! ^ v[4]! ^ v[6]!) >>> 0;
    const low = (v[1]! ^ v[3]! ^ v[5]! ^ v[7]!) >>> 0;
    return high * 2 ** 21 + (low >>> 11);
  }

  /** The 64-bit hash as 16 hex digits (for the reference vectors). */
  hex(message: Uint8Array): string {
    this.hash(message, message.length);
    const v = this.v;
    const high = (v[0]! ^ v[2]! ^ v[4]! ^ v[6]!) >>> 0;
    const low = (v[1]! ^ v[3]! ^ v[5]! ^ v[7]!) >>> 0;
    return high.toString(16).padStart(8, '0') + low.toString(16).padStart(8, '0');
  }

  private hash(message: Uint8Array, length: number): void {
    const { k, v } = this;
    // v0 = k0 ^ "somepseu", v1 = k1 ^ "dorandom", v2 = k0 ^ "lygenera", v3 = k1 ^ "tedbytes"
    v[0] = k[0]! ^ 0x736f6d65;
    v[1] = k[1]! ^ 0x70736575;
    v[2] = k[2]! ^ 0x646f7261;
    v[3] = k[3]! ^ 0x6e646f6d;
    v[4] = k[0]! ^ 0x6c796765;
    v[5] = k[1]! ^ 0x6e657261;
    v[6] = k[2]! ^ 0x74656462;
    v[7] = k[3]! ^ 0x79746573;
    const whole = length - (length % 8);
    for (let at = 0; at < whole; at += 8) {
      const low = message[at]! | (message[at + 1]! << 8) | (message[at + 2]! << 16) | (message[at + 3]! << 24);
      const high = message[at + 4]! | (message[at + 5]! << 8) | (message[at + 6]! << 16) | (message[at + 7]! << 24);
      this.compress(high >>> 0, low >>> 0, 2);
    }
    // The last word: the remaining bytes, and the length's low byte on top.
    let low = 0;
    let high = (length & 0xff) << 24;
    for (let i = whole; i < length; i++) {
      const shift = (i - whole) * 8;
      if (shift < 32) low |= message[i]! << shift;
      else high |= message[i]! << (shift - 32);
    }
    this.compress(high >>> 0, low >>> 0, 2);
    v[5] = v[5]! ^ 0xff; // v2 ^= 0xff
    this.rounds(4);
  }

  /** One message word m: v3 ^= m, rounds, v0 ^= m. */
  private compress(high: number, low: number, rounds: number): void {
    const v = this.v;
    v[6] = v[6]! ^ high;
    v[7] = v[7]! ^ low;
    this.rounds(rounds);
    v[0] = v[0]! ^ high;
    v[1] = v[1]! ^ low;
  }

  private rounds(count: number): void {
    const v = this.v;
    let v0h = v[0]!;
    let v0l = v[1]!;
    let v1h = v[2]!;
    let v1l = v[3]!;
    let v2h = v[4]!;
    let v2l = v[5]!;
    let v3h = v[6]!;
    let v3l = v[7]!;
    let low: number;
    let high: number;
    for (let r = 0; r < count; r++) {
      // v0 += v1; v1 = rotl(v1, 13); v1 ^= v0; v0 = rotl(v0, 32)
      low = (v0l + v1l) >>> 0;
      v0h = (v0h + v1h + (low < v0l ? 1 : 0)) >>> 0;
      v0l = low;
      high = (v1h << 13) | (v1l >>> 19);
      v1l = ((v1l << 13) | (v1h >>> 19)) ^ v0l;
      v1h = high ^ v0h;
      high = v0h;
      v0h = v0l;
      v0l = high;
      // v2 += v3; v3 = rotl(v3, 16); v3 ^= v2
      low = (v2l + v3l) >>> 0;
      v2h = (v2h + v3h + (low < v2l ? 1 : 0)) >>> 0;
      v2l = low;
      high = (v3h << 16) | (v3l >>> 16);
      v3l = (((v3l << 16) | (v3h >>> 16)) ^ v2l) >>> 0;
      v3h = (high ^ v2h) >>> 0;
      // v0 += v3; v3 = rotl(v3, 21); v3 ^= v0
      low = (v0l + v3l) >>> 0;
      v0h = (v0h + v3h + (low < v0l ? 1 : 0)) >>> 0;
      v0l = low;
      high = (v3h << 21) | (v3l >>> 11);
      v3l = (((v3l << 21) | (v3h >>> 11)) ^ v0l) >>> 0;
      v3h = (high ^ v0h) >>> 0;
      // v2 += v1; v1 = rotl(v1, 17); v1 ^= v2; v2 = rotl(v2, 32)
      v1h >>>= 0;
      v1l >>>= 0;
      low = (v2l + v1l) >>> 0;
      v2h = (v2h + v1h + (low < v2l ? 1 : 0)) >>> 0;
      v2l = low;
      high = (v1h << 17) | (v1l >>> 15);
      v1l = (((v1l << 17) | (v1h >>> 15)) ^ v2l) >>> 0;
      v1h = (high ^ v2h) >>> 0;
      high = v2h;
      v2h = v2l;
      v2l = high;
    }
    v[0] = v0h;
    v[1] = v0l;
    v[2] = v1h;
    v[3] = v1l;
    v[4] = v2h;
    v[5] = v2l;
    v[6] = v3h;
    v[7] = v3l;
  }
}
