import { describe, expect, it } from 'vitest';
import { LoadDataBuffer } from './mysql-load-data-buffer.ts';

describe('LoadDataBuffer', () => {
  it('writes ASCII as it is, escapes what LOAD DATA reads specially, and encodes the rest as UTF-8', () => {
    const out = new LoadDataBuffer(64);
    out.text('plain text 123');
    out.byte(9);
    out.text('tab\there, back\\slash, new\nline, cr\r, nul\0');
    out.byte(9);
    out.text('Zoë 🚀 \t après');
    out.byte(9);
    out.ascii('\\N');
    out.byte(10);
    expect(out.take().toString('utf8')).toBe(
      'plain text 123\ttab\\there, back\\\\slash, new\\nline, cr\\r, nul\\0\tZoë 🚀 \\t après\t\\N\n',
    );
    expect(out.empty).toBe(true);
  });

  it('is full at its chunk size, and grows for a value larger than what is left', () => {
    const out = new LoadDataBuffer(16);
    out.text('0123456789');
    expect(out.full).toBe(false);
    const big = `${'x'.repeat(10_000)}é\n`;
    out.text(big);
    expect(out.full).toBe(true);
    expect(out.take().toString('utf8')).toBe(`0123456789${'x'.repeat(10_000)}é\\n`);
    out.text('next');
    expect(out.take().toString('utf8')).toBe('next');
  });
});
