/**
 * Regenerates packages/core/masque-rules.schema.json from the zod rules schema
 * (`pnpm schema`). A test fails when the committed file differs from what this would write.
 */
import { writeFileSync } from 'node:fs';
import { RULES_JSON_SCHEMA_FILE, renderRulesJsonSchema } from '../src/config/json-schema.ts';

writeFileSync(RULES_JSON_SCHEMA_FILE, renderRulesJsonSchema());
