import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { RULES_JSON_SCHEMA_FILE, renderRulesJsonSchema, rulesJsonSchema } from './json-schema.ts';

describe('rules JSON Schema', () => {
  it('is committed exactly as the zod schema generates it (run `pnpm schema` to refresh)', () => {
    expect(readFileSync(RULES_JSON_SCHEMA_FILE, 'utf8')).toBe(renderRulesJsonSchema());
  });

  it('is draft-07, rejects unknown top-level keys and requires only tables', () => {
    const schema = rulesJsonSchema();
    expect(schema.$schema).toBe('http://json-schema.org/draft-07/schema#');
    expect(schema.additionalProperties).toBe(false);
    expect(schema.required).toEqual(['tables']);
  });

  it('describes every top-level key for editors', () => {
    const properties = rulesJsonSchema().properties as Record<string, { description?: string }>;
    const undescribed = Object.entries(properties).filter(([, p]) => !p.description);
    expect(undescribed).toEqual([]);
  });
});
