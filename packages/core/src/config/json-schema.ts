import { fileURLToPath } from 'node:url';
import { z } from 'zod';
import { RulesFileSchema } from './rules-schema.ts';

/** Where the generated JSON Schema is committed, for editors (`yaml-language-server: $schema=`). */
export const RULES_JSON_SCHEMA_FILE = fileURLToPath(new URL('../../masque-rules.schema.json', import.meta.url));

/**
 * The rules file's JSON Schema, generated from the zod schema so the two cannot disagree.
 * Draft-07 because it is what most editors' YAML and JSON language servers read. `io: 'input'`
 * describes what a user writes: keys with defaults are optional.
 */
export function rulesJsonSchema(): Record<string, unknown> {
  return z.toJSONSchema(RulesFileSchema, { target: 'draft-7', io: 'input' }) as Record<string, unknown>;
}

/** The file's exact text: stable key order and a final newline, so regenerating is a no-op diff. */
export function renderRulesJsonSchema(): string {
  return `${JSON.stringify(rulesJsonSchema(), null, 2)}\n`;
}
