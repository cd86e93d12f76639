import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { redact } from './redact.ts';
import { build } from './test-context.ts';

describe('redact', () => {
  it('writes [redacted] by default and keeps NULL', () => {
    const t = build(redact);
    fc.assert(
      fc.property(fc.string(), (v) => {
        expect(t(v, [])).toBe('[redacted]');
      }),
    );
    expect(t(null, [])).toBeNull();
  });

  it('writes a custom marker, cut to the column length', () => {
    expect(build(redact, { value: 'XXX' })('secret', [])).toBe('XXX');
    expect(build(redact, {}, { maxLength: 4 })('secret', [])).toBe('[red');
  });

  it('writes an empty marker, which fits any column', () => {
    const t = build(redact, { value: '' }, { maxLength: 3, nullable: false });
    expect(t('secret', [])).toBe('');
    expect(t('', [])).toBe('');
    expect(t(null, [])).toBeNull();
  });
});
