import { quoteWith } from '../quote.ts';

/** A double-quoted identifier, each `"` inside it doubled. */
export function quoteIdentifier(name: string): string {
  return quoteWith('"', name);
}

/** A table's relation, quoted: `schema.table` quoted part by part. */
export function quoteTable(table: { schema?: string; table: string }): string {
  const name = quoteIdentifier(table.table);
  return table.schema ? `${quoteIdentifier(table.schema)}.${name}` : name;
}

/** A string literal, each `'` inside it doubled. */
export function quoteLiteral(text: string): string {
  return `'${text.replaceAll("'", "''")}'`;
}
