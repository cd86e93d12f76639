import type { Batch, Row, Value } from '../dialects/dialect.ts';
import { RuntimeError } from '../errors.ts';
import type { Transform } from '../transformers/define-transformer.ts';
import { fingerprint, FingerprintList, repeated, sortedHas, valueKey } from './fingerprint.ts';

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

  /** Scans the column's source values (`scan()` yields them again for a second pass) and plans repairs. */
  async prepare(scan: () => AsyncIterable<Batch>, index: number): Promise<UniquenessReport> {
    const outputs = new FingerprintList();
    for await (const batch of scan()) {
      for (const row of batch) {
        const value = row[index]!;
        if (value !== null) outputs.push(fingerprint(this.base(value, row)!));
      }
    }
    const sorted = outputs.sorted();
    const report = { values: outputs.length, repaired: 0, bytes: outputs.bytes };
    const shared = repeated(sorted);
    if (!shared.size) return report;

    // Second pass, only when some output repeats: gather the inputs behind the repeated outputs.
    const groups = new Map<number, Map<string, Row>>();
    for await (const batch of scan()) {
      for (const row of batch) {
        const value = row[index]!;
        if (value === null) continue;
        const print = fingerprint(this.base(value, row)!);
        if (!shared.has(print)) continue;
        const group = groups.get(print) ?? groups.set(print, new Map()).get(print)!;
        group.set(valueKey(value), [...row]);
      }
    }
    const taken = new Set<number>();
    for (const group of groups.values()) {
      const keys = [...group.keys()].sort();
      for (const key of keys.slice(1)) {
        this.repairs.set(key, this.repair(group.get(key)!, index, sorted, taken));
        report.repaired++;
      }
    }
    return report;
  }

  private repair(row: Row, index: number, sorted: Float64Array, taken: Set<number>): Value {
    for (let attempt = 1; attempt <= maxAttempts; attempt++) {
      const variant = (this.variants[attempt] ??= this.variant(attempt));
      const candidate = variant(row[index]!, row);
      if (candidate === null) break;
      const print = fingerprint(candidate);
      if (!sortedHas(sorted, print) && !taken.has(print)) {
        taken.add(print);
        return candidate;
      }
    }
    throw new RuntimeError(
      `${this.subject}: must be unique, but the transformer gives the same output for different inputs ` +
        `even after ${maxAttempts} variants; use one with more variety (hash, email, a faker method)`,
    );
  }
}
