import type { z } from 'zod';
import type { ColumnInfo, TableInfo } from '../dialects/schema.ts';
import type { Transform, TransformContext, TransformerDefinition } from './define-transformer.ts';
import { createKeyedHash } from './keyed-hash.ts';

/** Test helpers only: builds what the engine builds for a column, with a fixed secret. */

export const TEST_SECRET = 'test-secret-0123456789';

export function testColumn(column: Partial<ColumnInfo> = {}): ColumnInfo {
  return {
    name: 'c',
    dataType: 'text',
    category: 'text',
    nullable: true,
    generated: false,
    identity: false,
    ...column,
  };
}

export interface TestContextOptions {
  secret?: string;
  /** HMAC domain; the engine defaults it to the transformer's name. */
  domain?: string;
  locale?: string;
  /** Other columns of the table, for transformers that read the row. */
  otherColumns?: ColumnInfo[];
}

export function testContext(column: Partial<ColumnInfo> = {}, options: TestContextOptions = {}): TransformContext {
  const col = testColumn(column);
  const columns = [col, ...(options.otherColumns ?? [])];
  const table: TableInfo = {
    name: 'public.t',
    schema: 'public',
    table: 't',
    columns,
    primaryKey: [],
    uniqueKeys: [],
    foreignKeys: [],
  };
  return {
    table,
    column: col,
    locale: options.locale ?? 'en',
    keyed: createKeyedHash(options.secret ?? TEST_SECRET, options.domain ?? 'test'),
    columnIndex: (name) => columns.findIndex((c) => c.name === name),
  };
}

/** Parses raw params (so defaults apply, as in the engine) and builds the transform. */
export function build<P extends z.ZodType>(
  definition: TransformerDefinition<P>,
  params: unknown = {},
  column: Partial<ColumnInfo> = {},
  options: TestContextOptions = {},
): Transform {
  const context = testContext(column, { domain: definition.name, ...options });
  return definition.create(definition.params.parse(params), context);
}

/** As `build`, after awaiting the definition's `prepare` as the engine does (`custom`, `json`). */
export async function buildPrepared<P extends z.ZodType>(
  definition: TransformerDefinition<P>,
  params: unknown,
  baseDir: string,
  column: Partial<ColumnInfo> = {},
  options: TestContextOptions = {},
): Promise<Transform> {
  const parsed = definition.params.parse(params);
  const prepared = await definition.prepare?.(parsed, { baseDir });
  return definition.create(parsed, { ...testContext(column, { domain: definition.name, ...options }), prepared });
}
