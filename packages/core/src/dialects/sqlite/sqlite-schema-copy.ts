/**
 * `--create-schema` on SQLite: the source's `sqlite_schema` statements run in the target, in the
 * source's order, in one transaction, so that `.schema` prints the same in both files.
 */
import { DatabaseError } from '../../errors.ts';
import { errorMessage, openDatabase, type SqliteDatabase } from './sqlite-driver.ts';

/** One row of `sqlite_schema`; `sql` is NULL for the indexes SQLite makes for PRIMARY KEY and UNIQUE. */
interface SchemaObject {
  type: string;
  name: string;
  sql: string | null;
}

/** What the source file says about itself beyond its objects: header fields an application may read. */
interface FileSettings {
  encoding: string;
  page_size: number;
  auto_vacuum: number;
  user_version: number;
  application_id: number;
}

interface SourceSchema {
  objects: SchemaObject[];
  /** The tables a virtual table keeps its rows in (an FTS5 index's `_data`, …): it makes them itself. */
  shadows: Set<string>;
  settings: FileSettings;
}

/** The statistics tables of ANALYZE: reserved names that only `ANALYZE` may create. */
const isStatistics = (name: string): boolean => /^sqlite_stat\d$/i.test(name);

/**
 * Creates in `target`, which holds none of the source's tables, every table, index, view and
 * trigger of `source`, with the exact SQL `sqlite_schema` holds, in `sqlite_schema`'s order.
 * What SQLite makes itself is left to it, in the place it makes it: the automatic indexes of keys
 * (NULL sql) come with their table, `sqlite_sequence` with the first AUTOINCREMENT table, a
 * virtual table's shadow tables with it. The statistics tables are made empty by `ANALYZE
 * sqlite_schema` (production's statistics are not copied: an `ANALYZE` of the loaded copy makes
 * its own). A new file also takes the source's encoding, page size and auto-vacuum mode, and any
 * target its `user_version` and `application_id` (where the target's are 0). One transaction: an
 * object that cannot be created (a name already taken) leaves the target as it was.
 */
export function copySqliteSchema(source: string, target: string): void {
  const schema = readSourceSchema(source);
  const db = openDatabase(target, { readonly: false });
  let creating = 'the schema';
  try {
    setNewFile(db, schema.settings);
    db.exec('BEGIN IMMEDIATE');
    let analyzed = false;
    for (const object of schema.objects) {
      creating = `${object.type} "${object.name}"`;
      if (object.sql === null || schema.shadows.has(object.name)) continue;
      if (isStatistics(object.name)) {
        if (!analyzed) db.exec('ANALYZE sqlite_schema');
        analyzed = true;
      } else if (!object.name.toLowerCase().startsWith('sqlite_')) {
        db.exec(object.sql);
      }
    }
    creating = 'the statistics tables';
    // ANALYZE makes every statistics table this build of SQLite has; the source may have fewer.
    const made = new Set(schema.objects.map((o) => o.name));
    for (const name of ['sqlite_stat1', 'sqlite_stat4']) {
      if (analyzed && !made.has(name) && exists(db, name)) db.exec(`DROP TABLE main.${name}`);
    }
    creating = 'the header fields';
    for (const field of ['user_version', 'application_id'] as const) {
      const value = schema.settings[field];
      if (value !== 0 && pragmaValue(db, field) === 0) db.exec(`PRAGMA ${field} = ${value}`);
    }
    db.exec('COMMIT');
  } catch (error) {
    const message = `cannot create ${creating} of ${source} in ${target} (--create-schema), nothing was created`;
    throw new DatabaseError(`${message}: ${errorMessage(error)}`, { cause: error });
  } finally {
    // Closing with the transaction open rolls it back.
    db.close();
  }
}

/** The source's objects in `sqlite_schema` order (the order they were made in), from one read transaction. */
function readSourceSchema(path: string): SourceSchema {
  const db = openDatabase(path, { readonly: true });
  try {
    db.exec('BEGIN');
    const objects = db.prepare('SELECT type, name, sql FROM main.sqlite_schema ORDER BY rowid').all() as SchemaObject[];
    const shadows = db.prepare(`SELECT name FROM pragma_table_list WHERE schema = 'main' AND type = 'shadow'`).all();
    const setting = <K extends keyof FileSettings>(name: K) => pragmaValue(db, name) as FileSettings[K];
    const settings: FileSettings = {
      encoding: setting('encoding'),
      page_size: setting('page_size'),
      auto_vacuum: setting('auto_vacuum'),
      user_version: setting('user_version'),
      application_id: setting('application_id'),
    };
    return { objects, shadows: new Set((shadows as { name: string }[]).map((s) => s.name)), settings };
  } catch (error) {
    throw new DatabaseError(`cannot read the schema of ${path}: ${errorMessage(error)}`, { cause: error });
  } finally {
    db.close();
  }
}

/**
 * Encoding, page size and auto-vacuum can only be chosen before the file's first table: set on a
 * file with nothing in it yet (the one `--create-schema` has just made), left alone otherwise.
 */
function setNewFile(db: SqliteDatabase, settings: FileSettings): void {
  if (pragmaValue(db, 'page_count') !== 0) return;
  db.exec(`PRAGMA encoding = '${settings.encoding}'`);
  db.exec(`PRAGMA page_size = ${settings.page_size}`);
  db.exec(`PRAGMA auto_vacuum = ${settings.auto_vacuum}`);
}

/** The one value a pragma without argument returns (`PRAGMA user_version` → 7). */
function pragmaValue(db: SqliteDatabase, name: string): unknown {
  return (db.prepare(`PRAGMA ${name}`).raw(true).get() as unknown[])[0];
}

function exists(db: SqliteDatabase, name: string): boolean {
  return db.prepare('SELECT 1 FROM main.sqlite_schema WHERE name = ?').get(name) !== undefined;
}
