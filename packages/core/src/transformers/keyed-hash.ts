import { createHmac, randomBytes } from 'node:crypto';
import type { Value } from '../dialects/dialect.ts';

/**
 * All randomness for one value comes from one HMAC-SHA256(secret, domain + value): the same secret
 * and input give the same output in every table and run, and nobody without the secret can map
 * outputs back to inputs. Without a secret the bytes are random (the run warns).
 */
export interface KeyedHash {
  /** 32 bytes for this value. */
  digest(value: Value): Buffer;
  readonly deterministic: boolean;
  /** The same secret under another domain: a rule nested in `json` masks like a column rule. */
  forDomain(domain: string): KeyedHash;
}

/** The bytes a value is hashed as: equal values read by different engines hash alike. */
export function valueBytes(value: Exclude<Value, null>): Buffer {
  return Buffer.isBuffer(value) ? value : Buffer.from(String(value), 'utf8');
}

export function createKeyedHash(secret: string | undefined, domain: string): KeyedHash {
  const forDomain = (other: string): KeyedHash => createKeyedHash(secret, other);
  if (!secret) return { digest: () => randomBytes(32), deterministic: false, forDomain };
  const prefix = Buffer.from(`${domain}\u0000`, 'utf8');
  return {
    deterministic: true,
    forDomain,
    digest(value) {
      const hmac = createHmac('sha256', secret).update(prefix);
      if (value !== null) hmac.update(valueBytes(value));
      return hmac.digest();
    },
  };
}

/** A uniform integer in [0, n) from 6 bytes of a digest starting at `offset`. */
export function pick(digest: Buffer, n: number, offset = 0): number {
  return digest.readUIntBE(offset % 26, 6) % n;
}
