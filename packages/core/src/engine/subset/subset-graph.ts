import type { SubsetRoot, SubsetRule } from '../../config/rules.ts';
import type { ForeignKey } from '../../dialects/schema.ts';
import type { Problem } from '../../errors.ts';
import type { TablePlan } from '../plan.ts';
import { matchesTable, suggestTable } from '../table-match.ts';
import { didYouMean } from '../../did-you-mean.ts';
import { formatName, parseTableName } from '../../names.ts';

/**
 * What a table is to the subset. `root`: named under `roots:`; `child`: references a root's
 * table, or a child's, through keys (with `children: all`); `other`: the rest. A table is copied
 * `whole` (an other under `others: all`), `keyed` (only the rows the subset keeps, found by key),
 * or not at all (`skip`, as its rule says).
 */
export interface SubsetTable {
  plan: TablePlan;
  role: 'root' | 'child' | 'other';
  mode: 'whole' | 'keyed' | 'skip';
  /** Its root rule, for a root. */
  root?: SubsetRoot;
  /** The columns that tell its rows apart (primary key, or a unique key of NOT NULL columns). */
  identity?: string[];
  /** The columns the walk reads: the identity and both sides' columns of every key it takes part in. */
  link: string[];
  /** Keys this table holds, to tables with rows (its rows' parents). */
  parents: SubsetKey[];
  /** Keys into this table from tables with rows (its rows' children). */
  children: SubsetKey[];
}

/** A foreign key between two tables of the subset. */
export interface SubsetKey {
  key: ForeignKey;
  child: SubsetTable;
  parent: SubsetTable;
}

export interface SubsetGraph {
  /** By source table name, in load order. */
  tables: Map<string, SubsetTable>;
  problems: Problem[];
}

/**
 * The subset's tables and keys, from the planned tables and the keys between them (declared and
 * `relations:`), with every problem that stops it before a row is read: a root naming no table, a
 * table named by two roots, a table whose rows the subset must tell apart without a key to do it.
 */
export function subsetGraph(plans: readonly TablePlan[], keys: readonly ForeignKey[], rule: SubsetRule): SubsetGraph {
  const problems: Problem[] = [];
  const tables = new Map<string, SubsetTable>();
  for (const plan of plans) {
    tables.set(plan.source.name, { plan, role: 'other', mode: 'whole', link: [], parents: [], children: [] });
  }
  for (const root of rule.roots) {
    const named = plans.filter((p) => matchesTable(root.pattern, p.source));
    const place = { place: root.place };
    if (!named.length) {
      // A bare name is compared with bare names: `custmer` is close to `customer`, far from `public.customer`.
      const bare = parseTableName(root.pattern).length === 1;
      const names = plans.map((p) => p.source.table);
      const hint = bare
        ? didYouMean(root.pattern, names, (name) => formatName([name]))
        : suggestTable(
            root.pattern,
            plans.map((p) => p.source),
          );
      const message = `subset root: no such table among those the run copies${hint}`;
      problems.push({ severity: 'error', subject: root.pattern, message, ...place });
    }
    for (const plan of named) {
      const table = tables.get(plan.source.name)!;
      if (table.root) {
        const message = `subset root: also named by '${table.root.pattern}'; give each table one root`;
        problems.push({ severity: 'error', subject: plan.source.name, message, ...place });
        continue;
      }
      table.role = 'root';
      table.root = root;
    }
  }
  const linked = keys.flatMap((key) => {
    const child = tables.get(key.table);
    const parent = tables.get(key.referencedTable);
    return child && parent && !child.plan.skip && !parent.plan.skip ? [{ key, child, parent }] : [];
  });
  for (const link of linked) {
    link.child.parents.push(link);
    link.parent.children.push(link);
  }
  if (rule.children === 'all') markChildren(tables);
  for (const table of tables.values()) {
    if (table.plan.skip) table.mode = 'skip';
    else if (table.role !== 'other' || rule.others === 'none') table.mode = 'keyed';
  }
  for (const table of tables.values()) {
    table.link = linkColumns(table);
    if (table.mode !== 'keyed') continue;
    table.identity = identityOf(table.plan);
    // An other table no key points into can never hold a kept row: it needs nothing to tell them apart.
    if (!table.identity && table.role === 'other' && !table.children.length) table.identity = [];
    if (!table.identity) {
      const message =
        'the subset keeps some of its rows, but it has no primary key nor a unique key of NOT NULL columns ' +
        'to tell them apart: give it one';
      problems.push({
        severity: 'error',
        subject: table.plan.source.name,
        message,
        place: table.root?.place ?? rule.place,
      });
    } else table.link = [...new Set([...table.identity, ...table.link])];
  }
  return { tables, problems };
}

/** Tables whose rows reference a root's or a child's, down from the roots. */
function markChildren(tables: Map<string, SubsetTable>): void {
  const queue = [...tables.values()].filter((t) => t.role === 'root');
  for (let table = queue.shift(); table; table = queue.shift()) {
    for (const { child } of table.children) {
      if (child.role !== 'other') continue;
      child.role = 'child';
      queue.push(child);
    }
  }
}

/** The key columns a table's rows are followed by, in the order of the table's columns. */
function linkColumns(table: SubsetTable): string[] {
  const used = new Set([
    ...table.parents.flatMap((k) => k.key.columns),
    ...table.children.flatMap((k) => k.key.referencedColumns),
  ]);
  return table.plan.columns.map((c) => c.name).filter((name) => used.has(name));
}

/** The primary key, or the first unique key whose columns are all NOT NULL. */
function identityOf(plan: TablePlan): string[] | undefined {
  const { primaryKey, uniqueKeys, columns } = plan.source;
  if (primaryKey.length) return primaryKey;
  const notNull = (name: string) => columns.some((c) => c.name === name && !c.nullable);
  return uniqueKeys.find((key) => key.every(notNull));
}
