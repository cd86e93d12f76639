import type { Batch, Value } from '../dialects/dialect.ts';

/**
 * The size of a batch's values as masque hands them to the target: strings in UTF-8, binary as
 * its bytes, numbers, bigints and booleans as their decimal text, NULL as nothing. It leaves out
 * what each engine adds (delimiters, escapes, page and index overhead), so the same rows count the
 * same on every engine; it is the "bytes" of progress, the summary, `--report` and `--metrics`.
 */
export function batchBytes(batch: Batch): number {
  let bytes = 0;
  for (const row of batch) for (const value of row) bytes += valueBytes(value);
  return bytes;
}

function valueBytes(value: Value): number {
  if (value === null) return 0;
  if (typeof value === 'string') return Buffer.byteLength(value, 'utf8');
  if (typeof value === 'object') return value.byteLength;
  return String(value).length;
}
