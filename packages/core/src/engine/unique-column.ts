import type { Batch, Row, Value } from '../dialects/dialect.ts';
import { RuntimeError } from '../errors.ts';
import type { Transform } from '../transformers/define-transformer.ts';
import { detached, fingerprint, valueKey } from './fingerprint.ts';
import { SortedRuns } from './sorted-runs.ts';

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
 * Memory: at most 8 MB of fingerprints however many values (more go to a temporary file), plus
 * the (rare) colliding values themselves.
 */
export class UniqueColumn {
  private readonly repairs = new Map<string, Value>();
  private readonly variants: Transform[] = [];
  /** For a transform that reads masked values: masks the columns it reads, from a scanned row. */
  private maskedOf: ((row: Row) => Row) | undefined;
  /** The other columns of the composite key this column is unique with (kept as they are), or undefined. */
  private together: readonly number[] | undefined;
  /** Set while the column's own table copies (`record`): the fingerprints of what it was masked to. */
  private recording: SortedRuns | undefined;
  /** What the column's rows (and foreign keys that reference it) are masked with. */
  readonly transform: Transform;

  constructor(
    private readonly base: Transform,
    private readonly variant: (attempt: number) => Transform,
    /** `table.column (rule at file:line:col)`, for messages. */
    private readonly subject: string,
  ) {
    this.transform = (value, row, masked) => {
      if (value !== null && this.recording) {
        const output = base(value, row, masked);
        this.recording.push(this.entry(value, output, row));
        return output;
      }
      if (value === null || this.repairs.size === 0) return base(value, row, masked);
      const repaired = this.repairs.get(this.together ? this.tupleKey(value, row) : valueKey(value));
      return repaired === undefined ? base(value, row, masked) : repaired;
    };
  }

  /**
   * Tells the scans how to give the transform the masked values it reads (`{{masked.…}}`): the
   * rows they read are source rows, so the columns it depends on are masked for each of them.
   */
  readsMasked(maskedOf: (row: Row) => Row): void {
    this.maskedOf = maskedOf;
  }

  /**
   * Makes the column unique together with other columns of its composite key, which masking
   * keeps as they are: an output needs repair only where the whole key would repeat, not wherever
   * the column alone repeats (Pagila's rental has a unique (rental_date, inventory_id,
   * customer_id): a shifted rental_date may repeat, the rental may not). Fewer repairs also keep
   * more rows as their rule made them, e.g. the intervals of `dateShift … by:`.
   */
  uniqueWith(kept: readonly number[]): void {
    this.together = kept;
  }

  /** The input's fingerprint: of the value, or of the key's tuple. */
  private inputPrint(value: Exclude<Value, null>, row: Row): number {
    return this.together ? fingerprint(this.tupleKey(value, row)) : fingerprint(value);
  }

  /** The output's fingerprint: of the value, or of the tuple the target's key will compare. */
  private outputPrint(output: Exclude<Value, null>, row: Row): number {
    return this.together ? fingerprint(this.tupleKey(output, row, true)) : fingerprint(output);
  }

  /** The first pass's entry for a value and its base output: both fingerprints, packed. */
  private entry(value: Exclude<Value, null>, output: Value, row: Row): number {
    return pack(this.outputPrint(output!, row), this.inputPrint(value, row));
  }

  /**
   * A value with the row's other key columns, in one text that keeps them apart: exact for the
   * repairs' keys; `fold`ed as `fingerprint` folds a single value (case, trailing spaces) for
   * the outputs, which the target's key compares.
   */
  private tupleKey(value: Exclude<Value, null>, row: Row, fold = false): string {
    const part = (v: Exclude<Value, null>) => (fold ? valueKey(v).toLowerCase().trimEnd() : valueKey(v));
    let key = part(value);
    for (const index of this.together!) {
      const other = row[index];
      key += other === null || other === undefined ? '\u0001\u0002' : `\u0001${part(other)}`;
    }
    return key;
  }

  /**
   * Scans the column's source values (`scan()` yields them again for a second pass) and plans
   * repairs. The first pass masks every value once and keeps, per value, 32 bits of the output's
   * fingerprint and 21 bits of the input's, packed in one number, in sorted runs of bounded
   * memory (`SortedRuns`). Equal output bits mark the candidates; the second pass, only when
   * there are any, masks again just the rows whose input bits match a candidate's, and groups them
   * by their whole output. Fewer bits only add candidates, never lose a collision.
   */
  async prepare(scan: () => AsyncIterable<Batch>, index: number, runLength?: number): Promise<UniquenessReport> {
    const packed = new SortedRuns(runLength);
    try {
      for await (const batch of scan()) {
        for (const row of batch) {
          const value = row[index]!;
          if (value !== null) packed.push(this.entry(value, this.base(value, row, this.maskedOf?.(row)), row));
        }
      }
      return await this.planRepairs(packed, scan, index);
    } finally {
      packed.close();
    }
  }

  /**
   * The first pass of `prepare` made by the copy of the column's own table instead of a scan
   * before it: from now on the transform gives every value its base output, as the first pass
   * computes it, and keeps its fingerprints. `recorded` ends it.
   */
  record(runLength?: number): void {
    this.recording?.close();
    this.recording = new SortedRuns(runLength);
  }

  /**
   * Ends a recording: plans the repairs from the copy's fingerprints as `prepare` does (the second
   * pass scans the candidates' rows), and answers the rows the copy wrote with a value that is
   * now repaired: per row, its `key` columns' values, then the column's new value.
   */
  async recorded(
    scan: () => AsyncIterable<Batch>,
    index: number,
    key: readonly number[],
  ): Promise<{ report: UniquenessReport; rows: Row[] }> {
    const packed = this.recording;
    if (!packed) throw new Error(`${this.subject}: no copy was recorded`);
    this.recording = undefined;
    try {
      // Every row of a candidate input: an input may repeat when the column is not a key.
      const seen: [string, Row][] = [];
      const report = await this.planRepairs(packed, scan, index, (valueKey, row) =>
        seen.push([valueKey, key.map((i) => detached(row[i]!))]),
      );
      const rows: Row[] = [];
      for (const [valueKey, keyValues] of seen) {
        const repaired = this.repairs.get(valueKey);
        if (repaired !== undefined) rows.push([...keyValues, repaired]);
      }
      return { report, rows };
    } finally {
      packed.close();
    }
  }

  /** Drops a recording that will not be ended (its copy failed). */
  stopRecording(): void {
    this.recording?.close();
    this.recording = undefined;
  }

  /** What follows the first pass: the candidates, and only when there are any, the second pass and the repairs. */
  private async planRepairs(
    packed: SortedRuns,
    scan: () => AsyncIterable<Batch>,
    index: number,
    onCandidate?: (valueKey: string, row: Row) => void,
  ): Promise<UniquenessReport> {
    const report = { values: packed.length, repaired: 0, bytes: packed.bytes };
    const candidates = new Set<number>();
    const shared = new Set<number>();
    let previous = -1;
    packed.ascending((entry) => {
      if (previous >= 0 && outputBits(entry) === outputBits(previous)) {
        candidates.add(inputBits(entry)).add(inputBits(previous));
        shared.add(outputBits(entry));
      }
      previous = entry;
    });
    if (!candidates.size) return report;
    const groups = await this.collide(scan, index, candidates, shared, onCandidate);
    report.repaired = this.repair(groups, index, packed);
    return report;
  }

  /**
   * The second pass: the candidates' inputs behind each whole output, by their value keys. A row
   * whose input bits match a candidate's by chance, but whose output bits no other value has, is
   * not kept: among n values, a candidate's 21 input bits also select about n / 2²¹ other rows.
   */
  private async collide(
    scan: () => AsyncIterable<Batch>,
    index: number,
    candidates: Set<number>,
    shared: Set<number>,
    onCandidate?: (valueKey: string, row: Row) => void,
  ) {
    const groups = new Map<number, Map<string, Row>>();
    for await (const batch of scan()) {
      for (const row of batch) {
        const value = row[index]!;
        if (value === null || !candidates.has(inputBits(this.inputPrint(value, row)))) continue;
        const print = this.outputPrint(this.base(value, row, this.maskedOf?.(row))!, row);
        if (!shared.has(print % outputSpace)) continue;
        const group = groups.get(print) ?? groups.set(print, new Map()).get(print)!;
        const key = detached(this.together ? this.tupleKey(value, row) : valueKey(value)) as string;
        group.set(key, row.map(detached));
        onCandidate?.(key, row);
      }
    }
    return groups;
  }

  /**
   * Gives every input but the first (by value key) of each shared output the next variant whose
   * output bits no value and no other repair has: free for sure. In rounds, one variant a round,
   * so that one pass over the fingerprints answers which of the round's outputs are taken; in
   * value-key order, so that the result does not depend on the rows' order. Returns the repairs.
   */
  private repair(groups: Map<number, Map<string, Row>>, index: number, packed: SortedRuns): number {
    let pending: [string, Row][] = [];
    for (const group of groups.values()) {
      if (group.size > 1) pending.push(...[...group].sort(([a], [b]) => (a < b ? -1 : 1)).slice(1));
    }
    pending.sort(([a], [b]) => (a < b ? -1 : 1));
    const repaired = pending.length;
    const taken = new Set<number>();
    for (let attempt = 1; pending.length && attempt <= maxAttempts; attempt++) {
      const variant = this.variants[attempt] ?? this.variant(attempt);
      this.variants[attempt] = variant;
      const proposals = pending.map(([key, row]) => {
        const output = variant(row[index]!, row, this.maskedOf?.(row));
        return { key, row, output, bits: output === null ? -1 : this.outputPrint(output, row) % outputSpace };
      });
      const used = packed.present(new Set(proposals.map((p) => p.bits)), outputBits);
      pending = [];
      for (const { key, row, output, bits } of proposals) {
        if (bits < 0 || used.has(bits) || taken.has(bits)) {
          pending.push([key, row]);
          continue;
        }
        taken.add(bits);
        this.repairs.set(key, detached(output));
      }
    }
    if (pending.length) {
      throw new RuntimeError(
        `${this.subject}: must be unique, but the transformer gives the same output for different inputs ` +
          `even after ${maxAttempts} variants; use one with more variety (hash, email, a faker method)`,
      );
    }
    return repaired;
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
