import type { z } from 'zod';
import type { Row, Value } from '../dialects/dialect.ts';
import type { ColumnInfo, TableInfo, TypeCategory } from '../dialects/schema.ts';
import type { KeyedHash } from './keyed-hash.ts';

/**
 * Masks one value of one column. `row` holds the row's source values; `masked` (set by the engine
 * for a transform that declared dependencies with `maskedIndex`) holds, at those columns' indexes,
 * their masked values: the engine masks a table's columns in dependency order and reuses one
 * array for every row, so reading it costs no allocation.
 */
export type Transform = (value: Value, row: Row, masked?: Row) => Value;

export interface TransformContext {
  table: TableInfo;
  column: ColumnInfo;
  /** Faker locale from the rules, e.g. `en`, `de`. */
  locale: string;
  /** Deterministic randomness for a value: HMAC-SHA256(secret, domain + value). */
  keyed: KeyedHash;
  /** Index of a column in `row`, or -1. */
  columnIndex(name: string): number;
  /**
   * Index of a column in `masked`, or -1, declaring that this transform reads that column's masked
   * value: the engine masks that column first (a cycle is a config error). Absent where no masked
   * row exists (e.g. outside a table's columns).
   */
  maskedIndex?(name: string): number;
  /**
   * 0 for a column's transform; k ≥ 1 for its k-th variant, which repairs a collision of a unique
   * column (its keyed hash is under the domain `domain#k`). A transform whose output draws nothing
   * from its keyed hash uses it to vary in another way.
   */
  attempt?: number;
  /** What the definition's `prepare` resolved to for this rule (e.g. a user's loaded function). */
  prepared?: unknown;
}

/** What `prepare` may need from the rules file. */
export interface PrepareEnv {
  /** Absolute directory of the rules file: relative paths in parameters start here. */
  baseDir: string;
  /**
   * The values of a source column (`table.column`, as a rule names them), read in a snapshot of
   * its own before the run; absent where no source is open. Only `mentions` needs it.
   */
  readColumn?(name: string): AsyncIterable<Value>;
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
