import type { ScanCategory, TableDraft } from './suggest-rules.ts';

/** The report's sections, in the order a reviewer reads them. */
const SECTIONS: [ScanCategory, string][] = [
  ['personal', 'personal, masked'],
  ['copy', 'copies of personal columns, masked alike'],
  ['mentions', 'free text naming people (mentions)'],
  ['quasi', 'quasi-identifiers (dates and amounts of a person)'],
  ['follows', 'keys following a masked key'],
  ['along', 'dates moving with a masked one'],
];

/** Screen width the lists wrap at. */
const WIDTH = 100;

/**
 * One screen for the reviewer at the end of `scan`: per category the columns, `table.column`,
 * then how many are kept (free text kept is named: it was looked at and left alone).
 */
export function scanReport(tables: TableDraft[]): string {
  const columns = tables.flatMap((t) =>
    t.columns.filter((c) => !c.generated).map((c) => ({ name: `${t.table}.${c.column}`, column: c })),
  );
  const lines = ['masque scan report'];
  for (const [category, title] of SECTIONS) {
    const names = columns.filter((c) => c.column.category === category).map((c) => c.name);
    if (names.length) lines.push(`  ${title} (${names.length}):`, ...wrap(names));
  }
  const kept = columns.filter((c) => c.column.category === 'kept');
  const prose = kept.filter((c) => c.column.freeText).map((c) => c.name);
  if (prose.length)
    lines.push(`  free text with no person named in the sample, kept (${prose.length}):`, ...wrap(prose));
  lines.push(`  kept: ${kept.length - prose.length} other column(s)`);
  return `${lines.join('\n')}\n`;
}

function wrap(names: string[]): string[] {
  const lines: string[] = [];
  let line = '    ';
  for (const name of names) {
    const next = line.trim() ? `${line}, ${name}` : `${line}${name}`;
    if (next.length > WIDTH && line.trim()) {
      lines.push(`${line},`);
      line = `    ${name}`;
    } else line = next;
  }
  if (line.trim()) lines.push(line);
  return lines;
}
