/**
 * The cut-over of a staged load by renaming: every shadow becomes its table in one multi-table
 * `RENAME TABLE t TO _masque_old_t, _masque_new_t TO t, …`, atomic in MariaDB 10.6+ and MySQL 8
 * (crash-safe: after a crash the server has done all of it or none). Each row is written once,
 * into its shadow, instead of once more by `INSERT … SELECT` (mysql-cut-over.ts, the move).
 *
 * What follows a table's identity rather than its name is put right:
 * - Shadows are made by `CREATE TABLE … LIKE` (options, partitions, comments, checks, indexes),
 *   load without their B-tree secondary indexes and build them at the end (`completeIndexes`);
 *   before the RENAME each shadow's definition must equal its table's, keys and counter aside,
 *   or the swap stops: a table that changed during the load (a migration) is not rolled back.
 * - Foreign keys: LIKE copies none, and a key's name is unique in its database, so the old
 *   table's keys must be gone before the new one can have them. They are recorded, then added
 *   again after the RENAME (`repairTarget`), with the checks off: the rows were checked on the
 *   shadows. A key of a table not loaded into a loaded one would follow the old table on the
 *   RENAME (InnoDB keys follow their parent), so such a load does not swap (`swapRefusal`).
 * - Triggers go with the old table; they are recorded before the RENAME and recreated after it,
 *   once the old tables are dropped (a trigger's name is unique in its database).
 * - AUTO_INCREMENT: a shadow's counter is past the copied maximum (InnoDB moves it on each
 *   insert); it is raised to the old table's, read just before the RENAME, when that is higher.
 * - Views, grants and routines name tables, and find the new ones by name.
 * From the RENAME until `repairTarget` ends, the new tables lack their foreign keys and triggers:
 * that is the window, recorded, and a killed run's is closed by the next run before anything else.
 */
import { DatabaseError } from '../../errors.ts';
import { statementError } from '../driver-error.ts';
import type { TableInfo } from '../schema.ts';
import { stagingNames } from '../staging.ts';
import type { MysqlSession } from './mysql-driver.ts';
import { readForeignKeys } from './mysql-foreign-keys.ts';
import { quoteIdentifier } from './mysql-sql.ts';
import { indexColumns, shadowName } from './mysql-staging.ts';
import {
  definitionIsPlain,
  definitionShape,
  readTableDefinition,
  type TableDefinition,
} from './mysql-table-definition.ts';
import { keyProbe, oldName, type RecordedKey, recordForeignKeys, swappedProgress } from './mysql-target-repair.ts';
import { checkCanRecreate, readTriggers, recordTriggers } from './mysql-triggers.ts';

/**
 * Why `tables` cannot be swapped in (`refused`), if they cannot: a key of a table not loaded
 * references one of them (it would follow the old table), one is system-versioned (its history
 * would be lost, where the move adds to it), or a definition cannot be taken apart without doubt.
 * The load then moves its rows instead. Either way, the definitions read without doubt.
 */
export async function swapRefusal(
  session: MysqlSession,
  tables: TableInfo[],
): Promise<{ refused?: string; definitions: Map<string, TableDefinition> }> {
  const keys = await readForeignKeys(session);
  const definitions = new Map<string, TableDefinition>();
  let refused: string | undefined;
  for (const table of tables) {
    const definition = await readTableDefinition(session, table.table);
    const catalogue = {
      indexes: [...(await indexColumns(session, table.table)).keys()],
      foreignKeys: keys.filter((k) => k.table === table.table).map((k) => k.name),
    };
    if (!definitionIsPlain(definition, catalogue)) {
      refused ??= `the definition of table ${quoteIdentifier(table.table)} was not read without doubt`;
      continue;
    }
    definitions.set(table.table, definition);
    if (!refused && !(await keysCanBeAdded(session, table.table, definition))) {
      refused = `the foreign keys of table ${quoteIdentifier(table.table)} cannot be added by ALTER TABLE`;
    }
  }
  const loaded = new Set(tables.map((t) => t.table));
  const into = await session.rows(
    `SELECT TABLE_SCHEMA = DATABASE(), TABLE_NAME, CONSTRAINT_NAME, REFERENCED_TABLE_NAME
     FROM information_schema.KEY_COLUMN_USAGE
     WHERE REFERENCED_TABLE_SCHEMA = DATABASE() AND REFERENCED_TABLE_NAME IS NOT NULL`,
  );
  for (const [here, table, name, parent] of into) {
    if (loaded.has(String(parent)) && !(Number(here) === 1 && loaded.has(String(table)))) {
      const child = quoteIdentifier(String(table));
      refused ??= `foreign key ${quoteIdentifier(String(name))} of table ${child} (not loaded)`;
    }
  }
  const versioned = await session.rows(
    `SELECT TABLE_NAME FROM information_schema.TABLES
     WHERE TABLE_SCHEMA = DATABASE() AND TABLE_TYPE = 'SYSTEM VERSIONED'`,
  );
  const history = versioned.map(([name]) => String(name)).find((name) => loaded.has(name));
  if (history) refused ??= `table ${quoteIdentifier(history)} is system-versioned`;
  return { ...(refused && { refused }), definitions };
}

/**
 * Whether ALTER TABLE can give `table`'s foreign keys back, tried on an empty copy under names of
 * its own: some keys a CREATE TABLE accepts, ALTER TABLE refuses (InnoDB: a CASCADE or SET NULL
 * key on a base column of a stored generated column). After the RENAME that would leave the
 * table without its keys until someone adds them by hand; found now, the load moves instead.
 */
async function keysCanBeAdded(session: MysqlSession, table: string, definition: TableDefinition): Promise<boolean> {
  if (definition.foreignKeys.length === 0) return true;
  const probe = quoteIdentifier(keyProbe);
  await session.exec(`DROP TABLE IF EXISTS ${probe}`);
  await session.exec(`CREATE TABLE ${probe} LIKE ${quoteIdentifier(table)}`);
  try {
    const adds = definition.foreignKeys.map(
      (key, i) =>
        `ADD ${key.clause.replace(/^CONSTRAINT `(?:[^`]|``)*`/, `CONSTRAINT ${quoteIdentifier(`${keyProbe}_${i}`)}`)}`,
    );
    await session.exec(`ALTER TABLE ${probe} ${adds.join(', ')}`);
    return true;
  } catch {
    return false;
  } finally {
    await session.exec(`DROP TABLE IF EXISTS ${probe}`);
  }
}

/** Builds the secondary indexes of `table` that its shadow lacks, all in one ALTER TABLE. */
export async function completeIndexes(session: MysqlSession, table: TableInfo): Promise<void> {
  const shadow = shadowName(table);
  const definition = await readTableDefinition(session, table.table);
  const present = await indexColumns(session, shadow);
  const missing = definition.indexes.filter((index) => !present.has(index.name));
  if (missing.length === 0) return;
  const adds = missing.map((index) => `ADD ${index.clause}`).join(', ');
  await session.exec(`ALTER TABLE ${quoteIdentifier(shadow)} ${adds}`).catch((err: unknown) => {
    throw statementError(`building the indexes of table ${quoteIdentifier(table.table)}`, err);
  });
}

/**
 * Swaps every shadow in for its table: checks that each shadow is still an exact copy of its
 * table, records the tables' foreign keys and triggers, raises the shadows' counters to the old
 * tables', then renames, the progress table with them (once the swap has happened, nothing is
 * left to resume). The caller finishes with `repairTarget`. Readers of the tables wait only for
 * the RENAME's metadata locks: from when it asks for them (it waits for transactions that read
 * the tables, up to lock_wait_timeout) until it ends.
 */
export async function swapIn(session: MysqlSession, tables: TableInfo[]): Promise<void> {
  const keys: RecordedKey[] = [];
  for (const table of tables) {
    const target = await readTableDefinition(session, table.table);
    const shadow = await readTableDefinition(session, shadowName(table));
    if (definitionShape(target) !== definitionShape(shadow)) {
      throw new DatabaseError(
        `table ${quoteIdentifier(table.table)} changed while masque loaded it (its definition is no longer the one ` +
          'its staged copy was made from): nothing was switched; run masque again',
      );
    }
    keys.push(...target.foreignKeys.map((key) => ({ ...key, table: table.table })));
  }
  const triggers = await readTriggers(session, tables);
  await checkCanRecreate(session, triggers);
  await recordForeignKeys(session, keys);
  await recordTriggers(session, triggers);
  await raiseCounters(session, tables);
  const renames = tables.flatMap((t) => [
    `${quoteIdentifier(t.table)} TO ${quoteIdentifier(oldName(t.table))}`,
    `${quoteIdentifier(shadowName(t))} TO ${quoteIdentifier(t.table)}`,
  ]);
  renames.push(`${quoteIdentifier(stagingNames.progress)} TO ${quoteIdentifier(swappedProgress)}`);
  await session.exec(`RENAME TABLE ${renames.join(', ')}`).catch((err: unknown) => {
    throw statementError('swapping the loaded tables in', err);
  });
}

/**
 * Raises each shadow's AUTO_INCREMENT to its table's when that is higher: the application never
 * gets an id the old table had handed out. Read just before the RENAME; an id handed out in
 * between belongs to a row the swap replaces anyway.
 */
async function raiseCounters(session: MysqlSession, tables: TableInfo[]): Promise<void> {
  // MySQL 8 caches information_schema's table statistics; MariaDB has no such variable.
  await session.exec('SET SESSION information_schema_stats_expiry = 0').catch(() => {});
  for (const table of tables.filter((t) => t.columns.some((c) => c.identity))) {
    const shadow = shadowName(table);
    const rows = await session.rows(
      `SELECT TABLE_NAME, AUTO_INCREMENT FROM information_schema.TABLES
       WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME IN (?, ?)`,
      [table.table, shadow],
    );
    const counter = (name: string) => BigInt(String(rows.find(([n]) => n === name)?.[1] ?? 0));
    if (counter(table.table) > counter(shadow)) {
      await session.exec(`ALTER TABLE ${quoteIdentifier(shadow)} AUTO_INCREMENT = ${counter(table.table)}`);
    }
  }
}
