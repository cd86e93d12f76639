/**
 * The one transaction that replaces the target's rows, shared by both load modes: the staged
 * cut-over fills it from the shadow tables, the direct load with COPY.
 */
import type pg from 'pg';
import { DatabaseError } from '../../errors.ts';
import { statementError } from '../driver-error.ts';
import type { TableInfo } from '../schema.ts';
import { quoteIdent, quoteLiteral, quoteTable } from './postgres-driver.ts';
import { brokenKeys, foreignKeysOf, type PgForeignKey } from './postgres-foreign-keys.ts';

/**
 * BEGIN, then empty the tables with DELETE; resolves to whether foreign-key triggers are off
 * (then tables may be filled in any order). Not TRUNCATE: TRUNCATE takes an ACCESS EXCLUSIVE
 * lock that blocks every reader of the table until commit, while DELETE lets them go on reading
 * the old rows (MVCC) and switch to the new ones at commit. Partitions are emptied through their
 * parent; children go first, for a role that cannot switch foreign-key triggers off.
 */
export async function beginReplace(client: pg.Client, tables: TableInfo[]): Promise<boolean> {
  await client.query('BEGIN');
  // Keys declared DEFERRABLE are checked at commit even where triggers stay on.
  await client.query('SET CONSTRAINTS ALL DEFERRED');
  const skipping = await skipTriggers(client);
  for (const table of tables.filter((t) => !t.partitionOf).reverse()) {
    await client.query(`DELETE FROM ${quoteTable(table)}`).catch((error: unknown) => {
      throw statementError(`emptying ${table.name}`, error);
    });
  }
  return skipping;
}

/** A staged load's keys, split: those checked on its shadows, with what that found, and the rest. */
export interface ShadowKeyCheck {
  broken: string[];
  /** Keys to or from a table without a shadow, for the transaction to check. */
  rest: PgForeignKey[];
}

/**
 * Moves the sequences, checks every foreign key into or out of the tables (only `shadows.rest`
 * when the shadows were checked); throws when one is broken.
 */
export async function checkReplace(client: pg.Client, tables: TableInfo[], shadows?: ShadowKeyCheck): Promise<void> {
  for (const table of tables) await moveSequences(client, table);
  const keys = shadows?.rest ?? (await foreignKeysOf(client, tables));
  const broken = [...(shadows?.broken ?? []), ...(await brokenKeys(client, keys))];
  if (broken.length) throw new DatabaseError(`foreign keys broken in the target, nothing was changed: ${broken.join('; ')}`);
}

/**
 * `session_replication_role = replica` skips foreign-key and user triggers during the load, so
 * tables load in any order (cycles too) and kept columns stay byte-identical (no trigger rewrites
 * them). It needs superuser or a grant; without it the load relies on foreign-key order.
 * Returns whether the triggers are off.
 */
async function skipTriggers(client: pg.Client): Promise<boolean> {
  await client.query('SAVEPOINT masque_role');
  try {
    await client.query('SET LOCAL session_replication_role = replica');
    await client.query('RELEASE SAVEPOINT masque_role');
    return true;
  } catch {
    await client.query('ROLLBACK TO SAVEPOINT masque_role');
    return false;
  }
}

/** Sets each serial/identity sequence so the next value is past the copied maximum. */
async function moveSequences(client: pg.Client, table: TableInfo): Promise<void> {
  if (table.partitionOf) return;
  for (const column of table.columns.filter((c) => c.identity)) {
    const { rows } = await client.query('SELECT pg_get_serial_sequence($1, $2) AS seq', [quoteTable(table), column.name]);
    const sequence: string | undefined = rows[0]?.seq ?? /^nextval\('(.+)'::regclass\)$/.exec(column.defaultExpr ?? '')?.[1];
    if (!sequence) continue;
    const col = quoteIdent(column.name);
    await client.query(`SELECT setval(${quoteLiteral(sequence)}, coalesce(max(${col}), 1), max(${col}) IS NOT NULL) FROM ${quoteTable(table)}`);
  }
}
