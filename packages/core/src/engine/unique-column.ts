import type { Batch, Row, Value } from '../dialects/dialect.ts';
import { RuntimeError } from '../errors.ts';
import type { Transform } from '../transformers/define-transformer.ts';
import { detached, fingerprint, FingerprintList, valueKey } from './fingerprint.ts';

/** Attempts per colliding value before masque gives up on a transformer that cannot vary. */
const maxAttempts = 64;

export interface UniquenessReport {
  /** Non-NULL values seen. */
  values: number;
  /** Values whose masked output was changed to keep outputs distinct. */
  repaired: number;
  /** Memory the fingerprints took. */
  bytes: number;
}

/**
 * A masked column whose distinct inputs must give distinct outputs (`unique: true`, primary and
 * unique keys). The base transform is deterministic but not injective (two emails can fake the
 * same address), so before the load masque scans the column once, finds outputs shared by
 * different inputs, and repairs all but one of each group with the transform's next variant (the
 * same transformer under the keyed-hash domain `name#k`). Which input keeps the base output is
 * decided by the inputs' order, not the rows' order, so the result is the same in every run.
 * Memory: 8 bytes per value for the fingerprints, plus the (rare) colliding values themselves.
 */
export class UniqueColumn {
  private readonly repairs = new Map<string, Value>();
  private readonly variants: Transform[] = [];
  /** What the column's rows (and foreign keys that reference it) are masked with. */
  readonly transform: Transform;

  constructor(
    private readonly base: Transform,
    private readonly variant: (attempt: number) => Transform,
    /** `table.column (rule at file:line:col)`, for messages. */
    private readonly subject: string,
  ) {
    this.transform = (value, row) => {
      if (value === null || this.repairs.size === 0) return base(value, row);
      const repaired = this.repairs.get(valueKey(value));
      return repaired === undefined ? base(value, row) : repaired;
    };
  }

  /**
   * Scans the column's source values (`scan()` yields them again for a second pass) and plans
   * repairs. The first pass masks every value once and keeps, per value, 32 bits of the output's
   * fingerprint and 21 bits of the input's, packed in one number (8 bytes, one native sort). Equal
   * output bits mark the candidates; the second pass, only when there are any, masks again just
   * the rows whose input bits match a candidate's, and groups them by their whole output. Fewer
   * bits only add candidates, never lose a collision. `expectedValues` (an estimate) sizes the list.
   */
  async prepare(scan: () => AsyncIterable<Batch>, index: number, expectedValues?: number): Promise<UniquenessReport> {
    const packed = new FingerprintList(expectedValues);
    for await (const batch of scan()) {
      for (const row of batch) {
        const value = row[index]!;
        if (value !== null) packed.push(pack(fingerprint(this.base(value, row)!), fingerprint(value)));
      }
    }
    const sorted = packed.sorted();
    const report = { values: packed.length, repaired: 0, bytes: packed.bytes };
    const candidates = new Set<number>();
    const shared = new Set<number>();
    for (let i = 1; i < sorted.length; i++) {
      if (outputBits(sorted[i]!) !== outputBits(sorted[i - 1]!)) continue;
      candidates.add(inputBits(sorted[i]!)).add(inputBits(sorted[i - 1]!));
      shared.add(outputBits(sorted[i]!));
    }
    if (!candidates.size) return report;

    // Second pass: the candidates' inputs behind each whole output. A row whose input bits match
    // a candidate's by chance, but whose output bits no other value has, is not kept: with 5M
    // values a candidate's input bits select 2.4 other rows on average (5M / 2²¹).
    const groups = new Map<number, Map<string, Row>>();
    for await (const batch of scan()) {
      for (const row of batch) {
        const value = row[index]!;
        if (value === null || !candidates.has(inputBits(fingerprint(value)))) continue;
        const print = fingerprint(this.base(value, row)!);
        if (!shared.has(print % outputSpace)) continue;
        const group = groups.get(print) ?? groups.set(print, new Map()).get(print)!;
        group.set(detached(valueKey(value)) as string, row.map(detached));
      }
    }
    const taken = new Set<number>();
    for (const group of groups.values()) {
      if (group.size < 2) continue;
      const keys = [...group.keys()].sort();
      for (const key of keys.slice(1)) {
        this.repairs.set(key, detached(this.repair(group.get(key)!, index, sorted, taken)));
        report.repaired++;
      }
    }
    return report;
  }

  /** The next variant whose output bits no value (and no earlier repair) has: free for sure. */
  private repair(row: Row, index: number, sorted: Float64Array, taken: Set<number>): Value {
    for (let attempt = 1; attempt <= maxAttempts; attempt++) {
      const variant = (this.variants[attempt] ??= this.variant(attempt));
      const candidate = variant(row[index]!, row);
      if (candidate === null) break;
      const bits = fingerprint(candidate) % outputSpace;
      if (!hasOutputBits(sorted, bits) && !taken.has(bits)) {
        taken.add(bits);
        return candidate;
      }
    }
    throw new RuntimeError(
      `${this.subject}: must be unique, but the transformer gives the same output for different inputs ` +
        `even after ${maxAttempts} variants; use one with more variety (hash, email, a faker method)`,
    );
  }
}

const outputSpace = 2 ** 32;
const inputSpace = 2 ** 21;

/** 32 bits of an output fingerprint and 21 of an input's in one exactly representable number. */
function pack(output: number, input: number): number {
  return (output % outputSpace) * inputSpace + (input % inputSpace);
}

const outputBits = (packed: number): number => Math.floor(packed / inputSpace);
/** The input bits of a packed entry, or of an input's fingerprint (the same low 21 bits). */
const inputBits = (packedOrFingerprint: number): number => packedOrFingerprint % inputSpace;

/** Whether some packed entry has these output bits (binary search for the first at or above them). */
function hasOutputBits(sorted: Float64Array, bits: number): boolean {
  const low = bits * inputSpace;
  let lo = 0;
  let hi = sorted.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (sorted[mid]! < low) lo = mid + 1;
    else hi = mid;
  }
  return lo < sorted.length && outputBits(sorted[lo]!) === bits;
}
