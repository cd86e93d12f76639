/**
 * PostgreSQL COPY text format: fields separated by tab, rows by newline, NULL as `\N`, and
 * backslash escapes for backslash, tab, newline and carriage return (plus `\b \f \v`, octal and
 * hex escapes on input). Raw newlines never occur inside a row, so a newline byte always ends one.
 */
import type { Row, Value } from '../dialect.ts';

const NULL_FIELD = '\\N';

const decodeEscapes: Record<string, string> = { b: '\b', f: '\f', n: '\n', r: '\r', t: '\t', v: '\v' };

/** One field of COPY text to its value (a string, or null). */
export function decodeField(field: string): string | null {
  if (field === NULL_FIELD) return null;
  if (!field.includes('\\')) return field;
  return field.replace(/\\(x[0-9a-fA-F]{1,2}|[0-7]{1,3}|.)/g, (_, sequence: string) => {
    if (sequence[0] === 'x' && sequence.length > 1) return String.fromCharCode(parseInt(sequence.slice(1), 16));
    if (/^[0-7]/.test(sequence)) return String.fromCharCode(parseInt(sequence, 8));
    return decodeEscapes[sequence] ?? sequence;
  });
}

export function decodeLine(line: string): Row {
  const fields = line.split('\t');
  for (let i = 0; i < fields.length; i++) fields[i] = decodeField(fields[i]!) as string;
  return fields as Row;
}

const needsEscape = /[\\\t\n\r]/;
const escapes: Record<string, string> = { '\\': '\\\\', '\t': '\\t', '\n': '\\n', '\r': '\\r' };

/** One value to a COPY text field. Buffers become bytea hex (`\\x…` once escaped). */
export function encodeField(value: Value): string {
  if (value === null || value === undefined) return NULL_FIELD;
  if (typeof value === 'string') {
    return needsEscape.test(value) ? value.replace(/[\\\t\n\r]/g, (c) => escapes[c]!) : value;
  }
  if (Buffer.isBuffer(value)) return `\\\\x${value.toString('hex')}`;
  if (typeof value === 'boolean') return value ? 't' : 'f';
  return String(value);
}

export function encodeRows(rows: Row[]): string {
  let out = '';
  for (const row of rows) {
    for (let i = 0; i < row.length; i++) out += (i ? '\t' : '') + encodeField(row[i]!);
    out += '\n';
  }
  return out;
}

/**
 * Splits a stream of COPY chunks into rows. Keeps the bytes after the last newline for the next
 * chunk, so rows (and multi-byte characters) that span chunk boundaries come out whole.
 */
export class CopyTextParser {
  private rest: Buffer = Buffer.alloc(0);

  push(chunk: Buffer): Row[] {
    const data = this.rest.length ? Buffer.concat([this.rest, chunk]) : chunk;
    const end = data.lastIndexOf(10);
    if (end < 0) {
      this.rest = data;
      return [];
    }
    // A copy of the partial row: a slice would keep the whole chunk alive until the next one,
    // through the masking of this chunk's rows.
    this.rest = Buffer.from(data.subarray(end + 1));
    const lines = data.toString('utf8', 0, end).split('\n');
    return lines.map(decodeLine);
  }

  /** Call at the end of the stream: a non-empty remainder means a truncated row. */
  end(): void {
    if (this.rest.length) throw new Error('COPY stream ended in the middle of a row');
  }
}
