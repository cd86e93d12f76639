import { statSync } from 'node:fs';
import type { Dialect, DialectOptions, Loader, SnapshotReader } from '../dialect.ts';
import { ConfigError, DatabaseError } from '../../errors.ts';
import { errorMessage, openDatabase, sqlitePath } from './sqlite-driver.ts';
import { introspectSqlite } from './sqlite-introspector.ts';
import { beginSqliteLoad } from './sqlite-loader.ts';
import { tryLockSqlite } from './sqlite-lock.ts';
import { openSqliteSnapshot } from './sqlite-reader.ts';
import { copySqliteSchema } from './sqlite-schema-copy.ts';
import { beginSqliteStagedLoad } from './sqlite-staged-loader.ts';

/**
 * The SQLite dialect for `sqlite:path/to/file.db` (or `sqlite:///absolute/path.db`). The file
 * must exist, unless `options.create` (`--create-schema`) says to make it: then a missing file is
 * created empty (its folder must exist), and stays, empty, if the run stops before the schema.
 * Introspection uses a read-only connection; each snapshot and each load opens its own
 * connection, and `close()` ends any still open (an unfinished load is rolled back).
 * The other options do not apply: a SQLite file has no connection to lose, and its statements
 * wait for another connection's lock as long as the driver's busy timeout.
 */
export async function createSqliteDialect(url: string, options: DialectOptions = {}): Promise<Dialect> {
  const path = sqlitePath(url);
  if (options.create) openDatabase(path, { readonly: false, create: true }).close();
  const db = openDatabase(path, { readonly: true });
  const readers = new Set<SnapshotReader>();
  const loaders = new Set<Loader>();

  return {
    engine: 'sqlite',
    async introspect() {
      return introspectSqlite(db);
    },
    async identity() {
      // Device and inode name the file itself, whatever the spelling: relative or absolute
      // path, `./`, a symlink or a hard link. A copy is a different database.
      try {
        const stat = statSync(path, { bigint: true });
        return `sqlite:${stat.dev}:${stat.ino}`;
      } catch (error) {
        throw new DatabaseError(`cannot stat SQLite database ${path}: ${errorMessage(error)}`, { cause: error });
      }
    },
    async openSnapshot() {
      const reader = openSqliteSnapshot(path);
      readers.add(reader);
      return reader;
    },
    async tryLock() {
      return tryLockSqlite(path);
    },
    async beginLoad(tables, options = {}) {
      const loader =
        options.mode === 'direct' ? beginSqliteLoad(path, tables) : beginSqliteStagedLoad(path, tables, options);
      loaders.add(loader);
      return loader;
    },
    async copySchemaFrom(source, sourceUrl) {
      if (source.engine !== 'sqlite') throw new ConfigError(`cannot copy a ${source.engine} schema into SQLite`);
      copySqliteSchema(sqlitePath(sourceUrl), path);
    },
    // SQLite has no boolean type: a condition that holds reads as the integer 1.
    readsTrue(value) {
      return value === 1 || value === 1n;
    },
    async close() {
      // Both are no-ops on a reader or loader that already finished.
      for (const loader of loaders) await loader.rollback();
      for (const reader of readers) await reader.close();
      if (db.open) db.close();
    },
  };
}
