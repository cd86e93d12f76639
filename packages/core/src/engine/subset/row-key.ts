import { createHash } from 'node:crypto';
import type { Value } from '../../dialects/dialect.ts';
import type { TypeCategory } from '../../dialects/schema.ts';

const INT64_MIN = -(2n ** 63n);
const INT64_MAX = 2n ** 63n - 1n;

/** An integer value as a bigint, however the reader gave it (PostgreSQL's text, MariaDB's number). */
export function integerOf(value: Value): bigint | undefined {
  if (typeof value === 'bigint') return value;
  if (typeof value === 'number') return Number.isInteger(value) ? BigInt(value) : undefined;
  if (typeof value === 'string' && /^-?\d{1,20}$/.test(value)) return BigInt(value);
  return undefined;
}

/**
 * The bytes a row's key is known by: each value in a form that does not depend on how the engine's
 * reader typed it (an integer column's `5`, `'5'` and `5n` are one key), with a type mark and a
 * length, so that no two different tuples give the same bytes. The keyed hash of a root's rows and
 * the fingerprints of kept rows both start from these.
 */
export function keyBytes(values: readonly Value[], categories: readonly TypeCategory[]): Buffer {
  const parts: Buffer[] = [];
  values.forEach((value, i) => {
    let mark: string;
    let bytes: Buffer;
    const integer = categories[i] === 'integer' ? integerOf(value) : undefined;
    if (value === null) [mark, bytes] = ['0', Buffer.alloc(0)];
    else if (integer !== undefined) [mark, bytes] = ['i', Buffer.from(integer.toString(), 'latin1')];
    else if (Buffer.isBuffer(value)) [mark, bytes] = ['x', value];
    else if (typeof value === 'bigint') [mark, bytes] = ['i', Buffer.from(value.toString(), 'latin1')];
    else
      [mark, bytes] = [
        typeof value === 'string' ? 's' : typeof value === 'number' ? 'n' : 'b',
        Buffer.from(String(value)),
      ];
    const head = Buffer.alloc(5);
    head.write(mark, 0, 'latin1');
    head.writeUInt32LE(bytes.length, 1);
    parts.push(head, bytes);
  });
  return Buffer.concat(parts);
}

/**
 * 128-bit fingerprints of row keys, written into four 32-bit words. A key of one integer column is
 * its own fingerprint (exact, and no hash to compute: the common case, fast); any other key is
 * the first 16 bytes of SHA-256 of its bytes, with the top bit set so that the two kinds never meet
 * (a collision needs about 2^64 keys). All zeros is never a fingerprint: it marks an empty slot.
 */
export class RowKeys {
  private readonly exact: boolean;

  constructor(private readonly categories: readonly TypeCategory[]) {
    this.exact = categories.length === 1 && categories[0] === 'integer';
  }

  /** Writes the fingerprint of `values` (the key's columns, in order) into `out`. */
  fingerprint(values: readonly Value[], out: Uint32Array): void {
    if (this.exact) {
      const integer = integerOf(values[0]!);
      if (integer !== undefined && integer >= INT64_MIN && integer <= INT64_MAX) {
        const bits = BigInt.asUintN(64, integer);
        out[0] = 1;
        out[1] = 0;
        out[2] = Number(bits >> 32n);
        out[3] = Number(bits & 0xffffffffn);
        return;
      }
    }
    const digest = createHash('sha256').update(keyBytes(values, this.categories)).digest();
    out[0] = (digest.readUInt32LE(0) | 0x80000000) >>> 0;
    out[1] = digest.readUInt32LE(4);
    out[2] = digest.readUInt32LE(8);
    out[3] = digest.readUInt32LE(12);
  }
}
