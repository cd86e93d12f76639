import type { SnapshotReader } from '../dialects/dialect.ts';
import type { TableInfo } from '../dialects/schema.ts';
import type { TablePlan } from '../engine/plan.ts';
import { type DeepIndex, tokensOf } from './deep-index.ts';
import { Reservoir, tupleKey, valueKey } from './reservoir.ts';
import { forEachRow, type SourceTable } from './source-values.ts';

/** A key (primary, unique, or the referencing side of a foreign key) sampled from the target. */
export interface KeySample {
  columns: string[];
  sample: Reservoir<string>;
}

/** Rows, per value key, that hold a suspicious value: kept as counts, never shown. */
export type Hits = Map<string, number>;

export interface TargetTable {
  info: TableInfo;
  rows: number;
  /** Per leak-checked column: target values equal to a sampled source value of that column. */
  leaks: Map<string, Hits>;
  /** Per target text column, per masked source column (`table.column`): values containing one of its values. */
  deep: Map<string, Map<string, Hits>>;
  /** Per target text value with a deep hit: the words that matched (redacted before they are shown). */
  deepMatches: Map<string, string>;
  /** Text columns the deep check read. */
  deepColumns: number;
  keys: KeySample[];
}

export interface TargetScanRequest {
  plan: TablePlan;
  source: SourceTable | undefined;
  /** Keys to sample: foreign keys held by this table, and its unique keys. */
  keys: string[][];
  deep?: { index: DeepIndex; maxWords: number };
  sampleSize: number;
}

/** One pass over a target table: its row count, leak hits, deep hits, and samples of its keys. */
export async function scanTargetTable(reader: SnapshotReader, request: TargetScanRequest): Promise<TargetTable> {
  const info = request.plan.target;
  const columns = info.columns.filter((c) => !c.generated).map((c) => c.name);
  const at = (name: string) => columns.indexOf(name);
  const leakChecks = [...(request.source?.values ?? [])].map(([name, values]) => ({
    name,
    index: at(name),
    values,
    hits: new Map() as Hits,
  }));
  const keys = request.keys.map((key) => ({
    columns: key,
    indexes: key.map(at),
    sample: new Reservoir<string>(request.sampleSize),
  }));
  const textColumns = request.deep
    ? info.columns.filter((c) => !c.generated && (c.category === 'text' || c.category === 'json'))
    : [];
  const deepChecks = textColumns.map((c) => ({
    name: c.name,
    index: at(c.name),
    subject: `${request.plan.source.name}.${c.name}`,
    hits: new Map<string, Hits>(),
  }));
  const count = (hits: Hits, key: string) => hits.set(key, (hits.get(key) ?? 0) + 1);
  const deepMatches = new Map<string, string>();

  const rows = await forEachRow(reader, { table: info, columns }, (row) => {
    for (const check of leakChecks) {
      const value = row[check.index];
      if (value === null || value === undefined) continue;
      const key = valueKey(value);
      if (check.values.has(key)) count(check.hits, key);
    }
    for (const key of keys) {
      const tuple = tupleKey(key.indexes.map((i) => row[i]!));
      if (tuple !== undefined) key.sample.add(tuple);
    }
    for (const check of deepChecks) {
      const value = row[check.index];
      if (typeof value !== 'string') continue;
      const subjects = new Set<string>();
      for (const [token, words] of tokensOf(value, request.deep!.maxWords)) {
        for (const subject of request.deep!.index.get(token) ?? []) {
          if (subject === check.subject) continue; // the same column: the leak check's job
          subjects.add(subject);
          if (!deepMatches.has(value)) deepMatches.set(value, words);
        }
      }
      for (const subject of subjects)
        count(check.hits.get(subject) ?? check.hits.set(subject, new Map()).get(subject)!, value);
    }
  });
  return {
    info,
    rows,
    leaks: new Map(leakChecks.filter((c) => c.hits.size).map((c) => [c.name, c.hits])),
    deep: new Map(deepChecks.filter((c) => c.hits.size).map((c) => [c.name, c.hits])),
    deepMatches,
    deepColumns: deepChecks.length,
    keys: keys.map(({ columns: keyColumns, sample }) => ({ columns: keyColumns, sample })),
  };
}
