import type { Rules } from '../config/rules.ts';
import type { SnapshotReader } from '../dialects/dialect.ts';
import { databaseUrls, withDatabases } from '../engine/open-databases.ts';
import { planRun, type Plan, type PlanOptions, type TablePlan } from '../engine/plan.ts';
import { prepareTransformers } from '../engine/prepare-transformers.ts';
import { UniquePreparation } from '../engine/prepare-unique.ts';
import { computeSubset, type Subset } from '../engine/subset/compute-subset.ts';
import { withRelations } from '../engine/subset/relations.ts';
import { buildDeepIndex, type DeepCoverage, redact } from './deep-index.ts';
import { dropExplained } from './explain.ts';
import { checkKeys, loadedForeignKeys, uniqueKeysOf } from './key-checks.ts';
import { leakColumns } from './leak-columns.ts';
import { readSourceValues, type SourceTable } from './source-values.ts';
import { scanTargetTable, type Hits, type TargetTable } from './target-scan.ts';

export interface VerifyOptions extends PlanOptions {
  /** Also look for masked source values in every text column of the target. */
  deep?: boolean;
  /** Rows sampled per table for the value checks; default 100,000. Row counts are always exact. */
  sampleSize?: number;
}

/** One thing `verify` found wrong. Names a table or column and a count, never a value. */
export interface Finding {
  kind: 'rows' | 'foreign-key' | 'leak' | 'deep-leak' | 'unique';
  subject: string;
  count: number;
  message: string;
}

export interface TableVerification {
  table: string;
  sourceRows: number;
  targetRows: number;
  /** Source rows whose values the leak check compared: all, or the sample size. */
  sampledRows: number;
}

export interface VerifyReport {
  findings: Finding[];
  tables: TableVerification[];
  sampleSize: number;
  /** Masked columns the leak check leaves out, and why. */
  notLeakChecked: { subject: string; reason: string }[];
  /** With `deep`: how many source values were looked for in how many target text columns, and what was left out. */
  deep?: DeepCoverage;
}

/**
 * `masque verify`, after a run: the target against the source under the same rules. Row counts
 * per table; every foreign key of the target holds; no sampled source value of a masked column
 * appears in the same target column unless masking itself produced it (with `deep`, in any text
 * column); unique keys hold. Both databases are only read, each from one snapshot.
 */
export async function verifyDatabases(rules: Rules, options: VerifyOptions = {}): Promise<VerifyReport> {
  const sampleSize = options.sampleSize ?? 100_000;
  return withDatabases(databaseUrls(rules, 'required'), async (source, target) => {
    const readers: SnapshotReader[] = [];
    let subset: Subset | undefined;
    try {
      const targetSchema = await target.introspect();
      const sourceSchema = await source.introspect();
      const prepared = await prepareTransformers(rules);
      const plan = planRun(rules, sourceSchema, targetSchema, { ...options, prepared });
      const snapshot = await source.openSnapshot();
      readers.push(snapshot);
      const targetReader = await target.openSnapshot();
      readers.push(targetReader);
      // A subset run is compared with what the subset keeps, chosen again from this snapshot: the
      // same rules, secret and source rows choose the same rows (docs/subsetting.md).
      if (rules.subset) subset = await computeSubset(plan, rules.subset, rules.secret, snapshot);
      const sourceReader = subset?.reader(snapshot) ?? snapshot;

      const leaks = leakColumns(plan);
      const sources = await readSourceValues(plan, sourceReader, leaks, sampleSize);
      const deepIndex = options.deep ? buildDeepIndex(sources.values()) : undefined;
      const deep = deepIndex && { index: deepIndex.index, maxWords: deepIndex.maxWords };
      // `relations:` are keys to check like declared ones.
      const fks = loadedForeignKeys(plan, withRelations(targetSchema, rules.relations).schema);
      const unique = new Map(plan.tables.map((t) => [t.target.name, uniqueKeysOf(t.target, uniqueColumns(t))]));
      const targets = new Map<string, TargetTable>();
      for (const table of plan.tables) {
        const foreign = fks.filter((fk) => fk.table === table.target.name).map((fk) => fk.columns);
        const keys = [...foreign, ...(unique.get(table.target.name) ?? [])];
        const sampled = sources.get(table.source.name);
        const request = { plan: table, source: sampled, keys, sampleSize, ...(deep && { deep }) };
        targets.set(table.target.name, await scanTargetTable(targetReader, request));
      }
      // Masking again must give exactly what the run wrote, repairs of unique columns included.
      const suspicious = [...targets.values()].some((t) => t.leaks.size || t.deep.size);
      if (suspicious) await new UniquePreparation(plan, source).all(sourceReader);
      for (const table of plan.tables) {
        const scanned = targets.get(table.target.name)!;
        const watch = [...scanned.leaks].map(([column, hits]) => ({ column, hits }));
        for (const [column, bySource] of scanned.deep) {
          for (const hits of bySource.values()) watch.push({ column, hits });
        }
        await dropExplained(source, sourceReader, table, watch);
      }
      const findings = [
        ...rowFindings(plan, sources, targets, subset !== undefined),
        ...(await checkKeys(targetReader, targets, fks, unique)),
        ...leakFindings(plan, targets),
      ];
      const tables = plan.tables.map((t) => ({
        table: t.source.name,
        sourceRows: sources.get(t.source.name)!.rows,
        targetRows: targets.get(t.target.name)!.rows,
        sampledRows: sources.get(t.source.name)!.sampledRows,
      }));
      if (deepIndex) deepIndex.coverage.targetColumns = [...targets.values()].reduce((n, t) => n + t.deepColumns, 0);
      const coverage = deepIndex && { deep: deepIndex.coverage };
      return { findings, tables, sampleSize, notLeakChecked: leaks.unchecked, ...coverage };
    } finally {
      for (const reader of readers) await reader.close();
      subset?.close();
    }
  });
}

/** The columns of a table whose rules ask for unique outputs. */
const uniqueColumns = (table: TablePlan): string[] => table.columns.filter((c) => c.rule?.unique).map((c) => c.name);

function rowFindings(
  plan: Plan,
  sources: Map<string, SourceTable>,
  targets: Map<string, TargetTable>,
  subset: boolean,
): Finding[] {
  return plan.tables.flatMap((t) => {
    const expected = sources.get(t.source.name)!.rows;
    const actual = targets.get(t.target.name)!.rows;
    if (expected === actual) return [];
    const why = t.skip
      ? ' (skipped: the target should be empty)'
      : subset
        ? ' (rows the subset keeps)'
        : t.where
          ? ' (rows the `where` filter keeps)'
          : '';
    const message = `${actual} row(s) in the target, ${expected} expected${why}`;
    return [{ kind: 'rows' as const, subject: t.source.name, count: Math.abs(expected - actual), message }];
  });
}

const rowsOf = (hits: Hits): number => [...hits.values()].reduce((a, b) => a + b, 0);

function leakFindings(plan: Plan, targets: Map<string, TargetTable>): Finding[] {
  const findings: Finding[] = [];
  for (const table of plan.tables) {
    const scanned = targets.get(table.target.name)!;
    for (const [column, hits] of scanned.leaks) {
      if (!hits.size) continue;
      findings.push({
        kind: 'leak',
        subject: `${table.source.name}.${column}`,
        count: rowsOf(hits),
        message: `${rowsOf(hits)} row(s) hold ${hits.size} value(s) of the source's own column unmasked`,
      });
    }
    for (const [column, bySource] of scanned.deep) {
      for (const [from, hits] of bySource) {
        if (!hits.size) continue;
        // The words that matched in one row, as a shape: enough to find it, nothing of the value.
        const example = scanned.deepMatches.get(hits.keys().next().value!);
        findings.push({
          kind: 'deep-leak',
          subject: `${table.source.name}.${column}`,
          count: rowsOf(hits),
          message: `${rowsOf(hits)} row(s) contain values of the masked column ${from}${
            example ? ` (e.g. "${redact(example)}")` : ''
          }`,
        });
      }
    }
  }
  return findings;
}
