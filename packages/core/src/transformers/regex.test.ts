import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { regex } from './regex.ts';
import { build } from './test-context.ts';

describe('regex', () => {
  it('replaces every match by default, with groups', () => {
    expect(build(regex, { pattern: '\\d', replacement: '#' })('a1b22', [])).toBe('a#b##');
    expect(build(regex, { pattern: '(\\w+)@(\\w+)', replacement: '$2 at $1' })('jo@corp', [])).toBe('corp at jo');
    expect(build(regex, { pattern: '\\d', replacement: '#', flags: '' })('a1b22', [])).toBe('a#b22');
    expect(build(regex, { pattern: 'x', flags: 'gi' })('XaxX', [])).toBe('a');
  });

  it('starts a sticky expression at the start of every value', () => {
    const t = build(regex, { pattern: '\\d', replacement: '#', flags: 'y' });
    expect(t('12', [])).toBe('#2');
    expect(t('12', [])).toBe('#2');
  });

  it('is deterministic and leaves no match behind (global)', () => {
    const t = build(regex, { pattern: '[0-9]', replacement: '' });
    fc.assert(
      fc.property(fc.string(), (v) => {
        const out = t(v, []) as string;
        expect(out).not.toMatch(/[0-9]/);
        expect(t(v, [])).toBe(out);
      }),
    );
  });

  it('keeps NULL and Buffers stay Buffers', () => {
    expect(build(regex, { pattern: '.' })(null, [])).toBeNull();
    expect(build(regex, { pattern: 'b', replacement: 'c' })(Buffer.from('abc'), [])).toEqual(Buffer.from('acc'));
  });

  it('cuts the result to the column', () => {
    fc.assert(
      fc.property(fc.string(), fc.integer({ min: 1, max: 10 }), (v, maxLength) => {
        const out = build(
          regex,
          { pattern: '.', replacement: '$&$&' },
          { maxLength },
        )(v.slice(0, maxLength), []) as string;
        expect([...out].length).toBeLessThanOrEqual(maxLength);
      }),
    );
  });

  it('refuses an invalid expression or flags with the parameters, naming them', () => {
    const bad = regex.params.safeParse({ pattern: '(unclosed' });
    expect(bad.success).toBe(false);
    expect(bad.error?.issues[0]?.path).toEqual(['pattern']);
    expect(bad.error?.issues[0]?.message).toMatch(/^not a valid regular expression: .*unclosed/i);
    expect(regex.params.safeParse({ pattern: 'a', flags: 'gg' }).success).toBe(false);
    expect(regex.params.safeParse({ pattern: 'a', flags: 'x' }).success).toBe(false);
    expect(regex.params.safeParse({ pattern: 'a', flags: 'uv' }).success).toBe(false);
    expect(regex.params.safeParse({ replacement: 'x' }).success).toBe(false);
  });
});
