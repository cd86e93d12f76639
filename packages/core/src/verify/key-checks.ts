import type { SnapshotReader } from '../dialects/dialect.ts';
import type { DatabaseSchema, ForeignKey, TableInfo } from '../dialects/schema.ts';
import type { Plan } from '../engine/plan.ts';
import { tupleKey } from './reservoir.ts';
import { forEachRow } from './source-values.ts';
import type { KeySample, TargetTable } from './target-scan.ts';

/** A foreign key between two loaded tables, with partitions mapped to their parents. */
export interface LoadedForeignKey extends ForeignKey {
  /** The referencing table as loaded (a partition's parent). */
  table: string;
  referencedTable: string;
}

/** Foreign keys of the target between tables the plan loads, once each (partitions repeat them). */
export function loadedForeignKeys(plan: Plan, target: DatabaseSchema): LoadedForeignKey[] {
  const rootOf = (name: string): string => target.tables.find((t) => t.name === name)?.partitionOf ?? name;
  const loaded = new Set(plan.tables.map((t) => t.target.name));
  const seen = new Map<string, LoadedForeignKey>();
  for (const table of target.tables) {
    for (const fk of table.foreignKeys) {
      const key = { ...fk, table: rootOf(table.name), referencedTable: rootOf(fk.referencedTable) };
      if (!loaded.has(key.table) || !loaded.has(key.referencedTable)) continue;
      seen.set(JSON.stringify([key.table, key.columns, key.referencedTable, key.referencedColumns]), key);
    }
  }
  return [...seen.values()];
}

/** Unique keys whose uniqueness the target must show: primary key, unique keys, `unique: true` rules. */
export function uniqueKeysOf(table: TableInfo, ruleUnique: string[]): string[][] {
  const keys = [
    ...(table.primaryKey.length ? [table.primaryKey] : []),
    ...table.uniqueKeys,
    ...ruleUnique.map((c) => [c]),
  ];
  return [...new Map(keys.map((k) => [k.join('\0'), k])).values()];
}

export interface KeyFinding {
  kind: 'foreign-key' | 'unique';
  subject: string;
  count: number;
  message: string;
}

const sampleOf = (table: TargetTable, columns: string[]): KeySample =>
  table.keys.find((k) => k.columns.join('\0') === columns.join('\0'))!;

/**
 * Foreign keys: every sampled referencing tuple must exist in the referenced table (read once per
 * referenced table). Unique keys: no sampled value may occur twice; a complete sample is judged
 * in memory, a partial one by counting its values over the whole table.
 */
export async function checkKeys(
  reader: SnapshotReader,
  tables: Map<string, TargetTable>,
  fks: LoadedForeignKey[],
  unique: Map<string, string[][]>,
): Promise<KeyFinding[]> {
  const findings: KeyFinding[] = [];
  const parents = new Set([...fks.map((fk) => fk.referencedTable), ...[...unique.keys()]]);
  for (const parentName of parents) {
    const parent = tables.get(parentName);
    if (!parent) continue;
    const lookups = fks
      .filter((fk) => fk.referencedTable === parentName)
      .map((fk) => {
        const child = sampleOf(tables.get(fk.table)!, fk.columns);
        return { fk, child, wanted: new Set(child.sample.items), found: new Set<string>() };
      });
    const counts = (unique.get(parentName) ?? []).map((key) => ({
      key,
      sample: sampleOf(parent, key).sample,
      seen: new Map<string, number>(),
    }));
    const partial = counts.filter((c) => !c.sample.complete);
    if (lookups.length || partial.length) {
      const columns = parent.info.columns.filter((c) => !c.generated).map((c) => c.name);
      const at = (names: string[]) => names.map((n) => columns.indexOf(n));
      const lookupIdx = lookups.map((l) => at(l.fk.referencedColumns));
      const partialIdx = partial.map((c) => at(c.key));
      for (const c of partial) for (const tuple of c.sample.items) c.seen.set(tuple, 0);
      await forEachRow(reader, { table: parent.info, columns }, (row) => {
        lookups.forEach((l, i) => {
          const tuple = tupleKey(lookupIdx[i]!.map((j) => row[j]!));
          if (tuple !== undefined && l.wanted.has(tuple)) l.found.add(tuple);
        });
        partial.forEach((c, i) => {
          const tuple = tupleKey(partialIdx[i]!.map((j) => row[j]!));
          if (tuple !== undefined && c.seen.has(tuple)) c.seen.set(tuple, c.seen.get(tuple)! + 1);
        });
      });
    }
    for (const { fk, child, found } of lookups) {
      const missing = child.sample.items.filter((t) => !found.has(t)).length;
      if (!missing) continue;
      const of = child.sample.complete ? '' : ` (of ${child.sample.items.length} sampled)`;
      const parent = `${fk.referencedTable} (${fk.referencedColumns.join(', ')})`;
      findings.push({
        kind: 'foreign-key',
        subject: `${fk.table}.${fk.columns.join(',')}`,
        count: missing,
        message: `${missing} row(s)${of} reference no row of ${parent}`,
      });
    }
    for (const c of counts) {
      const duplicates = c.sample.complete
        ? c.sample.items.length - new Set(c.sample.items).size
        : [...c.seen.values()].filter((n) => n > 1).length;
      if (!duplicates) continue;
      const what = c.sample.complete
        ? `${duplicates} row(s) repeat a value of another row`
        : `${duplicates} of ${c.sample.items.length} sampled value(s) occur more than once`;
      findings.push({
        kind: 'unique',
        subject: `${parentName}.${c.key.join(',')}`,
        count: duplicates,
        message: `must be unique: ${what}`,
      });
    }
  }
  return findings;
}
