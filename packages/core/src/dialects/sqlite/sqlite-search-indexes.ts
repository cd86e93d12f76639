import type { TableInfo } from '../schema.ts';
import type { SqliteDatabase } from './sqlite-driver.ts';
import { quoteIdentifier } from './sqlite-sql.ts';

/** `CREATE VIRTUAL TABLE … USING fts4|fts5(…, content='table', …)`: the table its index reads. */
const externalContent = /\bUSING\s+fts[45]\s*\(.*\bcontent\s*=\s*(?:'((?:[^']|'')+)'|"((?:[^"]|"")+)"|([\w$]+))/is;

/**
 * Rebuilds every full-text index (FTS4/FTS5) whose external content is a loaded table, in the
 * load's transaction. Applications keep such an index in step with triggers on the content
 * table; those triggers stay silent during a load, so the index is rebuilt from the new rows
 * instead, and never answers a search with the old ones.
 */
export function rebuildSearchIndexes(db: SqliteDatabase, tables: TableInfo[]): void {
  const loaded = new Set(tables.map((t) => t.table.toLowerCase()));
  const virtual = db
    .prepare(`SELECT name, sql FROM main.sqlite_schema WHERE type = 'table' AND sql LIKE 'CREATE VIRTUAL TABLE%'`)
    .all() as { name: string; sql: string }[];
  for (const { name, sql } of virtual) {
    const match = externalContent.exec(sql);
    const content = match?.[1]?.replaceAll("''", "'") ?? match?.[2]?.replaceAll('""', '"') ?? match?.[3];
    if (!content || !loaded.has(content.toLowerCase())) continue;
    const index = `main.${quoteIdentifier(name)}`;
    db.exec(`INSERT INTO ${index} (${quoteIdentifier(name)}) VALUES ('rebuild')`);
  }
}
