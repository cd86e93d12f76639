import { randomBytes } from 'node:crypto';
import type { Value } from '../dialects/dialect.ts';
import { createHmacSha256 } from './hmac-sha256.ts';

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
  const hmac = createHmacSha256(secret);
  // The message is `domain \0 value`, written into one buffer that is reused (grown when needed).
  const prefix = Buffer.from(`${domain}\u0000`, 'utf8');
  let message: Buffer = Buffer.alloc(prefix.length + 256);
  prefix.copy(message);
  return {
    deterministic: true,
    forDomain,
    digest(value) {
      if (value === null) return hmac(message, prefix.length);
      if (Buffer.isBuffer(value)) {
        if (message.length < prefix.length + value.length) message = grown(message, prefix.length + value.length);
        value.copy(message, prefix.length);
        return hmac(message, prefix.length + value.length);
      }
      const text = typeof value === 'string' ? value : String(value);
      // UTF-8 takes at most 3 bytes per UTF-16 code unit.
      if (message.length < prefix.length + text.length * 3) message = grown(message, prefix.length + text.length * 3);
      return hmac(message, prefix.length + writeUtf8(message, text, prefix.length));
    },
  };
}

/** Writes `text` as UTF-8 at `at`; a loop for ASCII, which beats the native call on short values. */
function writeUtf8(message: Buffer, text: string, at: number): number {
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    if (code > 0x7f) return message.write(text, at);
    message[at + i] = code;
  }
  return text.length;
}

function grown(message: Buffer, size: number): Buffer {
  const bigger = Buffer.alloc(Math.max(size, message.length * 2));
  message.copy(bigger);
  return bigger;
}

/** A uniform integer in [0, n) from 6 bytes of a digest starting at `offset`. */
export function pick(digest: Buffer, n: number, offset = 0): number {
  return digest.readUIntBE(offset % 26, 6) % n;
}
