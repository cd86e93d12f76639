import type { z } from 'zod';
import type { Row, Value } from '../dialects/dialect.ts';
import type { ColumnInfo, TableInfo, TypeCategory } from '../dialects/schema.ts';
import type { KeyedHash } from './keyed-hash.ts';

/** Masks one value of one column; `row` holds the other values of the row (source values). */
export type Transform = (value: Value, row: Row) => Value;

export interface TransformContext {
  table: TableInfo;
  column: ColumnInfo;
  /** Faker locale from the rules, e.g. `en`, `de`. */
  locale: string;
  /** Deterministic randomness for a value: HMAC-SHA256(secret, domain + value). */
  keyed: KeyedHash;
  /** Index of a column in `row`, or -1. */
  columnIndex(name: string): number;
  /** What the definition's `prepare` resolved to for this rule (e.g. a user's loaded function). */
  prepared?: unknown;
}

/** What `prepare` may need from the rules file. */
export interface PrepareEnv {
  /** Absolute directory of the rules file: relative paths in parameters start here. */
  baseDir: string;
}

/**
 * A transformer as data: name, description, parameter schema (zod, so the same definition drives
 * validation, `masque transformers` and the JSON Schema) and a factory that builds the per-column
 * function once, before the first row moves.
 */
export interface TransformerDefinition<P extends z.ZodType = z.ZodType> {
  name: string;
  description: string;
  /** Parameters as a strict zod object: unknown parameters are errors. */
  params: P;
  /** Column categories this transformer can write; undefined means any. */
  columnTypes?: TypeCategory[];
  /** Builds the transform for one column. Throws ConfigError-free plain Errors for bad fits; the
   *  caller names table, column and rule. */
  create(params: z.infer<P>, context: TransformContext): Transform;
  /**
   * Asynchronous work `create` cannot do, because create is synchronous and ESM modules (and
   * TypeScript through tsx) only load with `import()`. The engine awaits it once per rule, after
   * the parameters validate and before `create`, and passes the result as `context.prepared`.
   * A rejection is a config error for that rule. Only `custom` (and `json`, for nested rules) need it.
   */
  prepare?(params: z.infer<P>, env: PrepareEnv): Promise<unknown>;
}

export function defineTransformer<P extends z.ZodType>(definition: TransformerDefinition<P>): TransformerDefinition<P> {
  return definition;
}
