import { previewTable, type Rules, type Value } from '@masque/core';

/** Masked example values per table, then column. */
export type Examples = Map<string, Map<string, string[]>>;

/**
 * `--examples`: what `masque preview` shows of the masked columns, their masked side only. A
 * value equal to a source value of its column among the rows read (a `when:` rule's `otherwise:
 * keep`, a date shifted by 0 days, NULL kept NULL) is left out: the page shows no source value.
 */
export async function maskedExamples(rules: Rules, tables: { table: string; columns: string[] }[], rows: number) {
  const examples: Examples = new Map();
  for (const { table, columns } of tables) {
    let preview: Awaited<ReturnType<typeof previewTable>>;
    try {
      preview = await previewTable(rules, table, rows);
    } catch {
      // The rules do not plan for this table (the page lists why); it simply has no examples.
      continue;
    }
    const byColumn = new Map<string, string[]>();
    for (const column of columns) {
      const i = preview.columns.indexOf(column);
      if (i < 0 || !preview.masked.includes(column)) continue;
      const sources = new Set(preview.rows.map((r) => key(r.before[i]!)));
      const shown = preview.rows
        .map((r) => r.after[i]!)
        .filter((value) => value !== null && !sources.has(key(value)))
        .map(show);
      if (shown.length) byColumn.set(column, [...new Set(shown)]);
    }
    examples.set(table, byColumn);
  }
  return examples;
}

/** A value compared as text, whatever its type: a number and its text are the same value. */
const key = (value: Value): string =>
  value === null ? '\0null' : Buffer.isBuffer(value) ? `\0bytes:${value.toString('hex')}` : String(value);

function show(value: Value): string {
  if (Buffer.isBuffer(value)) return `<${value.length} bytes>`;
  const text = String(value).replace(/\s+/g, ' ');
  return text.length > 48 ? `${text.slice(0, 47)}…` : text;
}
