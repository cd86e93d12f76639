import type { Dialect } from '../dialects/dialect.ts';
import { ConfigError } from '../errors.ts';

/** What `--create-schema` did: created the source's schema in an empty target, or nothing. */
export type SchemaCreation = { created: true; tables: number } | { created: false };

/**
 * `--create-schema`: a target that holds none of the source's tables gets the source's whole
 * schema first; one that holds all of them is left as it is. Nothing that exists is ever dropped
 * or altered, so a target holding only some of them is an error naming the missing ones.
 */
export async function createTargetSchema(source: Dialect, target: Dialect, sourceUrl: string): Promise<SchemaCreation> {
  const [from, to] = await Promise.all([source.introspect(), target.introspect()]);
  const present = new Set(to.tables.map((t) => t.name));
  const missing = from.tables.filter((t) => !present.has(t.name)).map((t) => t.name);
  if (!missing.length) return { created: false };
  if (missing.length < from.tables.length) {
    const shown = missing.slice(0, 10).join(', ') + (missing.length > 10 ? `, and ${missing.length - 10} more` : '');
    throw new ConfigError(
      `--create-schema: the target holds some of the source's tables but not ${shown}; ` +
        'masque creates a schema only in a target that holds none of them, and never alters one that exists',
    );
  }
  if (!target.copySchemaFrom) throw new ConfigError(`--create-schema is not available on ${target.engine}`);
  await target.copySchemaFrom(source, sourceUrl);
  return { created: true, tables: from.tables.length };
}
