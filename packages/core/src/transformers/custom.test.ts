import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { builtinTransformers } from './builtins.ts';
import { custom } from './custom.ts';
import { build, buildPrepared, testColumn } from './test-context.ts';

let dir: string;

/** User modules as users write them: ESM, CommonJS and TypeScript, deterministic via ctx.digest. */
const modules: Record<string, string> = {
  'mask.mjs': `export default (value, row, ctx) => 'u' + ctx.digest(value).toString('hex').slice(0, 8);
export const withRow = (value, row, ctx) => value + '/' + row[ctx.columnIndex('id')] + '/' + ctx.column.name;
export const wrong = () => ({ an: 'object' });
export const later = async (value) => value;
export const long = (value) => String(value).repeat(3);`,
  'mask.cjs': `module.exports = (value) => String(value).toUpperCase();`,
  'mask.ts': `import type { Value } from '${join(process.cwd(), 'packages/core/src/index.ts').replaceAll('\\', '/')}';
export function initials(value: Value): string { return String(value).split(' ').map((w) => w[0]).join(''); }`,
  'broken.mjs': 'export default (value) => {',
};

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'masque-custom-'));
  for (const [name, text] of Object.entries(modules)) writeFileSync(join(dir, name), text);
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('custom', () => {
  it('loads the default export of an ESM module relative to the rules file, deterministic per secret', async () => {
    const a = await buildPrepared(custom, { module: 'mask.mjs' }, dir, {}, { secret: 'one' });
    const a2 = await buildPrepared(custom, { module: './mask.mjs' }, dir, {}, { secret: 'one' });
    const b = await buildPrepared(custom, { module: join(dir, 'mask.mjs') }, '/elsewhere', {}, { secret: 'two' });
    fc.assert(
      fc.property(fc.string(), (v) => {
        const out = a(v, []) as string;
        expect(out).toMatch(/^u[0-9a-f]{8}$/);
        expect(a2(v, [])).toBe(out);
        expect(b(v, [])).not.toBe(out);
      }),
    );
  });

  it('passes the row and the column, and loads CommonJS and TypeScript', async () => {
    const withRow = await buildPrepared(
      custom,
      { module: 'mask.mjs', export: 'withRow' },
      dir,
      {},
      { otherColumns: [testColumn({ name: 'id' })] },
    );
    expect(withRow('x', ['x', 7])).toBe('x/7/c');
    expect((await buildPrepared(custom, { module: 'mask.cjs' }, dir))('abc', [])).toBe('ABC');
    expect((await buildPrepared(custom, { module: 'mask.ts', export: 'initials' }, dir))('Ada Lovelace', [])).toBe(
      'AL',
    );
  });

  it('keeps NULL without calling the function', async () => {
    expect((await buildPrepared(custom, { module: 'mask.mjs', export: 'wrong' }, dir))(null, [])).toBeNull();
  });

  it('checks what the function returns', async () => {
    const load = (name: string, column = {}) =>
      buildPrepared(custom, { module: 'mask.mjs', export: name }, dir, column);
    await expect(load('wrong').then((t) => t('x', []))).rejects.toThrow('returned an object; expected a string');
    await expect(load('later').then((t) => t('x', []))).rejects.toThrow('returned a Promise');
    const long = await load('long', { maxLength: 6 });
    expect(long('ab', [])).toBe('ababab');
    expect(() => long('abc', [])).toThrow("returned 9 characters, more than the column's maximum length 6");
  });

  it('fails to load with a message naming the module and the export', async () => {
    await expect(buildPrepared(custom, { module: 'missing.mjs' }, dir)).rejects.toThrow(
      `cannot load ${join(dir, 'missing.mjs')}`,
    );
    await expect(buildPrepared(custom, { module: 'broken.mjs' }, dir)).rejects.toThrow(
      `cannot load ${join(dir, 'broken.mjs')}`,
    );
    await expect(buildPrepared(custom, { module: 'mask.mjs', export: 'nope' }, dir)).rejects.toThrow(
      'exports no function "nope" (functions: default, withRow, wrong, later, long)',
    );
  });

  it('refuses to build before prepare ran', () => {
    expect(() => build(custom, { module: 'mask.mjs' })).toThrow('mask.mjs was not loaded');
  });

  it('works inside json, prepared through it', async () => {
    const json = builtinTransformers.find((d) => d.name === 'json')!;
    const t = await buildPrepared(json, { paths: { '$.name': { transform: 'custom', module: 'mask.cjs' } } }, dir, {
      category: 'json',
    });
    expect(t('{"name": "ada", "n": 1}', [])).toBe('{"name": "ADA", "n": 1}');
  });
});
