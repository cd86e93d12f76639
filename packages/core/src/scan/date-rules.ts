import type { DatabaseSchema, TableInfo } from '../dialects/schema.ts';
import type { TableDraft } from './suggest-rules.ts';
import type { TableContext } from './table-context.ts';

/** How far the dates of people and of what they did move, either way. */
export const EVENT_DAYS = 30;

/**
 * The column whose value sets the shift of a table's dates (`dateShift by:`), so that the dates of
 * a row move together and their order and intervals survive. In a table of people it is their
 * one-column primary key; in a table that records what a person did (rental → customer), the
 * person's key, so all of one person's dates move alike in every table (a customer's rentals stay
 * after their sign-up); otherwise the table's own one-column primary key. Undefined when there is
 * none of these: each date then moves on its own.
 */
export function byColumn(table: TableInfo, context: TableContext | undefined, rootOf: (t: string) => string) {
  if (context?.activityOf && !context.people) {
    const key = table.foreignKeys.find((fk) => rootOf(fk.referencedTable) === context.activityOf);
    if (key?.columns.length === 1) return key.columns[0]!;
  }
  return table.primaryKey.length === 1 ? table.primaryKey[0] : undefined;
}

/** The rule that shifts a date by `by` (or on its own value, without one). */
export function eventDateRule(by: string | undefined): string {
  return `{ transform: dateShift, days: ${EVENT_DAYS}${by ? `, by: ${by}` : ''} }`;
}

/**
 * Once a table shifts dates by a column, its other dates move with them (`last_update` too): a
 * date kept while the one beside it moves could end up before it (Pagila's customers signed up a
 * day before their last update). Key columns stay as they are, and so do dates with a rule of
 * their own (a date of birth moves on its own, by up to a year).
 */
export function moveDatesTogether(schema: DatabaseSchema, drafts: TableDraft[]): void {
  for (const draft of drafts) {
    const table = schema.tables.find((t) => t.name === draft.table);
    const shifted = draft.columns.find((c) => c.by !== undefined);
    if (!table || !shifted) continue;
    for (const column of draft.columns) {
      const info = table.columns.find((c) => c.name === column.column);
      const isDate = info?.category === 'date' || info?.category === 'timestamp';
      if (!isDate || column.rule !== 'keep' || column.generated || isKey(table, column.column)) continue;
      if (isReferenced(schema, table, column.column)) continue;
      Object.assign(column, {
        rule: eventDateRule(shifted.by),
        by: shifted.by,
        reason: `moves with ${shifted.column} (by ${shifted.by}), so the row's dates keep their order`,
      });
    }
  }
}

/** Primary-key and foreign-key columns: kept by the draft, never moved along. */
export function isKey(table: TableInfo, column: string): boolean {
  return table.primaryKey.includes(column) || table.foreignKeys.some((fk) => fk.columns.includes(column));
}

/**
 * True when a foreign key references the column. A foreign key takes its key's rule, called with
 * its own row, so a key's rule must not read other columns of the row (`by:`, a group, a template).
 */
export function isReferenced(schema: DatabaseSchema, table: TableInfo, column: string): boolean {
  const names = new Set([table.name, ...schema.tables.filter((t) => t.partitionOf === table.name).map((t) => t.name)]);
  return schema.tables.some((t) =>
    t.foreignKeys.some((fk) => names.has(fk.referencedTable) && fk.referencedColumns.includes(column)),
  );
}
