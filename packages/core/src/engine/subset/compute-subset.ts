import type { SubsetRule } from '../../config/rules.ts';
import type { SnapshotReader } from '../../dialects/dialect.ts';
import { CheckError, ConfigError } from '../../errors.ts';
import type { RunListener } from '../events.ts';
import type { Plan, TablePlan } from '../plan.ts';
import { KeptRows } from './kept-rows.ts';
import { defaultSetMemory, MemoryBudget } from './key-set.ts';
import { keepRoots } from './root-choice.ts';
import { subsetGraph, type SubsetTable } from './subset-graph.ts';
import { subsetReader } from './subset-reader.ts';
import { walkDown, walkUp } from './walk.ts';

/** Above this estimate a table's source rows are the engine's estimate, not a `count(*)` that would scan it. */
export const countedRows = 10_000_000;

/** What a subset chose, for one table. */
export interface SubsetCount {
  /** Rows kept: for a whole table, undefined (all of them). */
  kept?: number;
  /** Rows of the table in the source snapshot. */
  sourceRows?: number;
  /** `sourceRows` is the engine's estimate: counting would have read a big table whole. */
  estimated?: boolean;
}

/** The rows a subset keeps, table by table, for as long as the run reads them. */
export interface Subset {
  /** By source table name; every planned table. */
  tables: ReadonlyMap<string, SubsetTable & SubsetCount>;
  /** Rows kept in the tables the subset keeps some rows of. */
  rows: number;
  seconds: number;
  /** `reader` reading only the kept rows of those tables (subset-reader.ts). */
  reader(reader: SnapshotReader): SnapshotReader;
  /** The plans with what the subset chose: kept rows as the row estimate, and the source's rows. */
  annotate(plans: readonly TablePlan[]): TablePlan[];
  /** Whether some table's kept keys went to disk. */
  spilled: boolean;
  /** Frees the kept rows' memory and files. */
  close(): void;
}

/**
 * Chooses the subset `rule` asks for, in the snapshot `reader` reads: the roots' rows, their
 * children, and every row a kept row references, following the plan's keys (declared and
 * `relations:`), by key lookups in batches; then counts each table's source rows. The source is
 * only read. `secret` keys the roots' choice (root-choice.ts).
 */
export async function computeSubset(
  plan: Plan,
  rule: SubsetRule,
  secret: string | undefined,
  reader: SnapshotReader,
  onEvent: RunListener = () => {},
  /** Bytes of memory the kept keys' fingerprint sets may hold before they go to disk (key-set.ts). */
  setMemory = defaultSetMemory,
): Promise<Subset> {
  const started = Date.now();
  const graph = subsetGraph(plan.tables, plan.keys, rule);
  if (graph.problems.length) throw new CheckError(graph.problems);
  if (!reader.readByKeys) throw new ConfigError('subset: this source cannot look rows up by key');
  const budget = new MemoryBudget(setMemory);
  const kept = new Map<SubsetTable, KeptRows>();
  const byName = new Map<string, KeptRows>();
  const tables = [...graph.tables.values()];
  try {
    for (const table of tables) {
      if (table.mode !== 'keyed') continue;
      const rows = new KeptRows(table.plan.source, table.identity!, table.link, budget);
      kept.set(table, rows);
      byName.set(table.plan.source.name, rows);
    }
    // A root read without a `where` was read whole: its rows are counted already.
    const read = new Map<SubsetTable, number>();
    for (const table of tables) {
      if (!table.root || table.mode !== 'keyed') continue;
      const rows = await keepRoots(table, kept.get(table)!, reader, secret);
      if (table.root.where === undefined && table.plan.where === undefined) read.set(table, rows);
    }
    const walk = { tables, kept, reader, budget };
    await walkDown(walk);
    await walkUp(walk);
    const counted = new Map<string, SubsetTable & SubsetCount>();
    for (const table of tables) {
      const count = read.has(table)
        ? { kept: kept.get(table)!.count, sourceRows: read.get(table)! }
        : await countOf(table, kept, reader);
      counted.set(table.plan.source.name, { ...table, ...count });
    }
    const rows = [...kept.values()].reduce((n, k) => n + k.count, 0);
    const seconds = (Date.now() - started) / 1000;
    onEvent({ type: 'subset', tables: kept.size, rows, seconds });
    return {
      tables: counted,
      rows,
      seconds,
      reader: (r) => subsetReader(r, byName),
      annotate: (plans) => plans.map((p) => annotated(p, counted.get(p.source.name))),
      spilled: [...kept.values()].some((k) => k.spilled),
      close: () => closeAll(kept.values()),
    };
  } catch (error) {
    closeAll(kept.values());
    throw error;
  }
}

/** The table's kept rows and source rows: counted, unless the estimate says that would read a big table. */
async function countOf(
  table: SubsetTable,
  kept: ReadonlyMap<SubsetTable, KeptRows>,
  reader: SnapshotReader,
): Promise<SubsetCount> {
  const rows = kept.get(table);
  if (!rows) return {};
  const estimate = table.plan.source.estimatedRows;
  if (reader.countRows && (estimate === undefined || estimate <= countedRows)) {
    return { kept: rows.count, sourceRows: await reader.countRows(table.plan.source) };
  }
  return { kept: rows.count, ...(estimate !== undefined && { sourceRows: Math.round(estimate), estimated: true }) };
}

/** A copy of the plan saying what the subset chose; the plan's objects themselves are shared. */
function annotated(plan: TablePlan, count: SubsetCount | undefined): TablePlan {
  if (!count) return plan;
  const subset: NonNullable<TablePlan['subset']> = {};
  if (count.sourceRows !== undefined) subset.sourceRows = count.sourceRows;
  if (count.estimated) subset.estimated = true;
  if (count.kept === undefined) return { ...plan, subset };
  return { ...plan, subset, source: { ...plan.source, estimatedRows: count.kept } };
}

function closeAll(kept: Iterable<KeptRows>): void {
  for (const rows of kept) rows.close();
}

/**
 * What a table's summary says of the subset: its rows in the source (a whole table's are the rows
 * copied). Nothing outside a subset run.
 */
export function keptOf(plan: TablePlan, rows: number): { sourceRows?: number; sourceRowsEstimated?: boolean } {
  if (!plan.subset || plan.skip) return {};
  return {
    sourceRows: plan.subset.sourceRows ?? rows,
    ...(plan.subset.estimated && { sourceRowsEstimated: true }),
  };
}
