import { DatabaseError } from '../errors.ts';

/**
 * The foreign-key check of a cut-over, written once: a child row whose key columns are all set
 * (MATCH SIMPLE, as every engine checks it) must find its parent row. Each dialect supplies only
 * its quoting, where a table's new rows are read from (the table, or its staged shadow) and an
 * optional index hint for the child.
 */
export interface KeyToCheck {
  /** The constraint's name. */
  name: string;
  /** The tables, as messages name them. */
  child: string;
  parent: string;
  /** The relations to read, quoted: the tables themselves or their shadows. */
  childRelation: string;
  parentRelation: string;
  columns: string[];
  referencedColumns: string[];
}

/**
 * Counts the orphans of one key with an anti-join. A LEFT JOIN rather than NOT EXISTS: MariaDB
 * materialises a NOT EXISTS subquery by scanning any index of the parent, while the join looks each
 * key up in the referenced index; PostgreSQL plans both as the same anti-join. A row that found
 * its parent has the parent's first key column set, since it equals the child's non-NULL value.
 * `childHint` follows the child relation (MariaDB's `FORCE INDEX (PRIMARY)`).
 */
export function orphanCountSql(key: KeyToCheck, quote: (name: string) => string, childHint = ''): string {
  const present = key.columns.map((c) => `c.${quote(c)} IS NOT NULL`);
  const match = key.columns.map((c, i) => `p.${quote(key.referencedColumns[i]!)} = c.${quote(c)}`);
  const parent = `LEFT JOIN ${key.parentRelation} p ON ${match.join(' AND ')}`;
  return (
    `SELECT COUNT(*) FROM ${key.childRelation} c${childHint} ${parent} ` +
    `WHERE ${present.join(' AND ')} AND p.${quote(key.referencedColumns[0]!)} IS NULL`
  );
}

/** One broken key, as every dialect reports it: names and a count, never a value. */
export function brokenKeyMessage(key: Pick<KeyToCheck, 'name' | 'child' | 'parent'>, orphans: number): string {
  return `${key.name} (${key.child} → ${key.parent}): ${orphans} row(s) without a parent`;
}

/** The error that stops a cut-over on broken keys; nothing was committed. */
export function brokenKeysError(broken: string[]): DatabaseError {
  return new DatabaseError(`broken foreign key(s), nothing was committed: ${broken.join('; ')}`);
}
