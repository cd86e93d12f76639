import { previewTable, type Preview, type Value } from '@masque/core';
import { loadCommandRules, type CommonOptions } from '../options.ts';

export interface PreviewOptions extends Pick<CommonOptions, 'config' | 'source' | 'target'> {
  rows: number;
  json?: boolean;
}

/**
 * `masque preview TABLE`: rows before and after masking, side by side. Writes nothing, so the
 * target and the production guard's `protect` are never read: neither need be set.
 */
export async function previewCommand(
  table: string,
  options: PreviewOptions,
  out: NodeJS.WritableStream = process.stdout,
): Promise<void> {
  const preview = await previewTable(loadCommandRules(options, ['target', 'protect']), table, options.rows);
  out.write(options.json ? `${JSON.stringify(preview, jsonValue, 2)}\n` : renderPreview(preview));
}

function jsonValue(_key: string, value: unknown): unknown {
  return typeof value === 'bigint' ? value.toString() : value;
}

function show(value: Value): string {
  if (value === null) return 'NULL';
  if (Buffer.isBuffer(value)) return `<${value.length} bytes>`;
  const text = String(value).replace(/\s+/g, ' ');
  return text.length > 48 ? `${text.slice(0, 47)}…` : text;
}

/** One block per row: every column, with `→ masked` beside the ones a rule changes. */
export function renderPreview({ table, columns, masked, rows }: Preview): string {
  const width = Math.max(...columns.map((c) => c.length));
  const blocks = rows.map(({ before, after }, r) => {
    const lines = columns.map((column, i) => {
      const name = column.padEnd(width);
      if (!masked.includes(column)) return `  ${name}  ${show(before[i]!)}`;
      return `  ${name}  ${show(before[i]!).padEnd(30)}  →  ${show(after[i]!)}`;
    });
    return [`row ${r + 1}`, ...lines].join('\n');
  });
  const heading = `${table}: ${rows.length} row(s), ${masked.length} masked column(s): ${masked.join(', ') || 'none'}`;
  return `${heading}\n\n${blocks.join('\n\n')}\n`;
}
