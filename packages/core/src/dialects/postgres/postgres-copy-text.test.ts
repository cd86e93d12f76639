import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { CopyTextParser, decodeField, encodeField, encodeRows } from './postgres-copy-text.ts';

const text = fc.oneof(fc.string({ unit: 'grapheme' }), fc.constantFrom('\\N', '\\', '\t', '\n', '\r\n', 'a\\tb'));
const rows = fc.array(fc.array(fc.option(text, { nil: null }), { minLength: 1, maxLength: 5 }), { maxLength: 20 });

describe('COPY text format', () => {
  it('decodes what it encodes, for any text and NULL', () => {
    fc.assert(
      fc.property(fc.option(text, { nil: null }), (value) => {
        expect(decodeField(encodeField(value))).toBe(value);
      }),
    );
  });

  it('tells the text \\N from NULL', () => {
    expect(encodeField('\\N')).toBe('\\\\N');
    expect(encodeField(null)).toBe('\\N');
  });

  it('decodes the escapes PostgreSQL may send', () => {
    expect(decodeField('a\\tb\\nc\\\\d\\101\\x42')).toBe('a\tb\nc\\dAB');
  });

  it('writes Buffers as bytea hex, booleans as t/f', () => {
    expect(encodeField(Buffer.from([0, 255]))).toBe('\\\\x00ff');
    expect(encodeField(true)).toBe('t');
  });

  it('parses rows split at any byte, multi-byte characters too', () => {
    fc.assert(
      fc.property(
        rows.filter((r) => r.every((row) => row.length === r[0]?.length)),
        fc.array(fc.nat(), { maxLength: 6 }),
        (input, cuts) => {
          const bytes = Buffer.from(encodeRows(input));
          const points = [...new Set(cuts.map((c) => c % (bytes.length + 1)))].sort((a, b) => a - b);
          const parser = new CopyTextParser();
          const out = [];
          let start = 0;
          for (const point of [...points, bytes.length]) {
            out.push(...parser.push(bytes.subarray(start, point)));
            start = point;
          }
          parser.end();
          expect(out).toEqual(input);
        },
      ),
    );
  });

  it('refuses a stream that ends inside a row', () => {
    const parser = new CopyTextParser();
    parser.push(Buffer.from('1\tab'));
    expect(() => parser.end()).toThrow('middle of a row');
  });
});
