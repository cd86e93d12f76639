/**
 * A cheap PRNG (sfc32, 128-bit state) seeded from a keyed digest. Transformers that need more
 * randomness than one 32-byte digest (long values, faker methods) expand it with this instead of
 * computing another HMAC: the digest already carries the secret, so the stream stays keyed.
 */
export class DigestRandom {
  private a = 0;
  private b = 0;
  private c = 0;
  private d = 0;

  constructor(digest?: Buffer) {
    if (digest) this.reseed(digest);
  }

  /** Starts a new stream from the first 16 bytes of a digest. */
  reseed(digest: Buffer): this {
    this.a = digest.readUInt32BE(0);
    this.b = digest.readUInt32BE(4);
    this.c = digest.readUInt32BE(8);
    this.d = digest.readUInt32BE(12) | 1;
    // Discard the first outputs: sfc32 mixes a fresh state over a few rounds.
    for (let i = 0; i < 12; i++) this.uint32();
    return this;
  }

  /** The next unsigned 32-bit integer. */
  uint32(): number {
    const t = (((this.a + this.b) | 0) + this.d) | 0;
    this.d = (this.d + 1) | 0;
    this.a = this.b ^ (this.b >>> 9);
    this.b = (this.c + (this.c << 3)) | 0;
    this.c = (this.c << 21) | (this.c >>> 11);
    this.c = (this.c + t) | 0;
    return t >>> 0;
  }

  /** An integer in [0, n) for n ≤ 2^32 (bias below 2^-20 for the small n used here). */
  below(n: number): number {
    return this.uint32() % n;
  }

  /** A float in [0, 1) with 53 random bits, as faker's randomizer contract asks. */
  next(): number {
    const hi = this.uint32() >>> 5;
    const lo = this.uint32() >>> 6;
    return (hi * 67108864 + lo) / 9007199254740992;
  }
}
