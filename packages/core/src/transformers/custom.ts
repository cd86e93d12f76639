import { isAbsolute, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { z } from 'zod';
import type { Row, Value } from '../dialects/dialect.ts';
import type { ColumnInfo, TableInfo } from '../dialects/schema.ts';
import { defineTransformer } from './define-transformer.ts';
import { charLength } from './fit.ts';

/** What a custom function gets as `ctx`. */
export interface CustomContext {
  table: TableInfo;
  column: ColumnInfo;
  /** Faker locale of the rules. */
  locale: string;
  /** HMAC-SHA256(secret, domain + value): 32 bytes to derive a deterministic fake from. */
  digest(value: Value): Buffer;
  /** Index of a column in `row`, or -1. */
  columnIndex(name: string): number;
}

/** A user's masking function: the same input should give the same output (derive it from `ctx.digest`). */
export type CustomFunction = (value: Exclude<Value, null>, row: Row, ctx: CustomContext) => Value;

/** What the function returned, checked: a wrong type would fail far away, in the loader. */
function checked(out: unknown, column: ColumnInfo): Value {
  const type = out === null ? 'null' : Buffer.isBuffer(out) ? 'Buffer' : typeof out;
  if (out instanceof Promise) throw new Error('custom: the function returned a Promise; it must be synchronous');
  if (!['string', 'number', 'bigint', 'boolean', 'Buffer', 'null'].includes(type)) {
    throw new Error(
      `custom: the function returned ${type === 'object' ? 'an object' : type}; ` +
        'expected a string, number, bigint, boolean, Buffer or null',
    );
  }
  if (typeof out === 'string' && column.maxLength !== undefined && charLength(out) > column.maxLength) {
    throw new Error(
      `custom: the function returned ${charLength(out)} characters, ` +
        `more than the column's maximum length ${column.maxLength}`,
    );
  }
  return out as Value;
}

/**
 * A function from the user's module. Loading is asynchronous (`import()`: ESM, CommonJS, and
 * TypeScript under tsx, which the CLI runs on), so it happens in `prepare`, which the engine
 * awaits before `create`; `create` receives the loaded function as `context.prepared`.
 */
export const custom = defineTransformer({
  name: 'custom',
  description:
    'Your own function `(value, row, ctx) => value` from a JavaScript or TypeScript module, ' +
    'loaded once before any row moves.',
  params: z.strictObject({
    module: z
      .string()
      .min(1)
      .describe('Path of the module (.js, .mjs, .cjs, .ts), relative to the rules file or absolute.'),
    export: z.string().min(1).default('default').describe('Name of the exported function.'),
  }),
  async prepare({ module, export: name }, { baseDir }) {
    const path = isAbsolute(module) ? module : resolve(baseDir, module);
    let exports: Record<string, unknown>;
    try {
      exports = (await import(pathToFileURL(path).href)) as Record<string, unknown>;
    } catch (error) {
      throw new Error(`cannot load ${path}: ${(error as Error).message.split('\n')[0]}`);
    }
    const fn = exports[name];
    if (typeof fn !== 'function') {
      const names = Object.keys(exports).filter((k) => typeof exports[k] === 'function');
      throw new Error(`${path} exports no function "${name}" (functions: ${names.join(', ') || 'none'})`);
    }
    return fn;
  },
  create({ module }, { table, column, locale, keyed, columnIndex, prepared }) {
    if (typeof prepared !== 'function')
      throw new Error(`${module} was not loaded (the engine must await prepare before create)`);
    const fn = prepared as CustomFunction;
    const ctx: CustomContext = Object.freeze({
      table,
      column,
      locale,
      digest: (value: Value) => keyed.digest(value),
      columnIndex,
    });
    return (value, row) => (value === null ? null : checked(fn(value, row, ctx), column));
  },
});
