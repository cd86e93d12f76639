/**
 * `--create-schema` on MariaDB/MySQL: every object of the source database, as the server's own
 * `SHOW CREATE …` writes it, created in the empty target in an order that needs no dependency
 * graph: sequences and tables (foreign-key checks off, so tables may come in any order), then
 * functions and procedures (their bodies are not resolved until they run), then views (a view
 * over a view waits for it), then triggers, table by table in their firing order. Events are not
 * copied: a staging copy should not run production's scheduled jobs.
 *
 * DDL commits at once here, so a failure drops what this copy created, leaving the target as
 * empty as it was; a process killed half-way leaves what it had created (the next
 * `--create-schema` then names the tables missing).
 *
 * Views, routines and triggers are created without their DEFINER clause: they are defined by the
 * user masque connects to the target as. Naming another definer needs SUPER (or SET USER), which
 * managed servers do not give, and the source's definers rarely exist on a staging or CI server,
 * where such an object would fail each time it is used. `SQL SECURITY` stays as the source has it.
 */
import { DatabaseError } from '../../errors.ts';
import type { Value } from '../dialect.ts';
import { statementError } from '../driver-error.ts';
import type { MysqlSession } from './mysql-driver.ts';
import { stagingNames } from '../staging.ts';
import { quoteIdentifier, startingWith } from './mysql-sql.ts';

/** One object created in the target, to drop again if a later one fails. */
interface Created {
  kind: 'TABLE' | 'FUNCTION' | 'PROCEDURE' | 'VIEW' | 'TRIGGER';
  name: string;
}

/** How the server read an object's text when it was created (SHOW CREATE gives them beside it). */
interface Context {
  sqlMode: string;
  charset: string;
  collation: string;
}

/** Tables and views are read and created in the plain mode, where `SHOW CREATE` writes backticks. */
const plain: Context = { sqlMode: '', charset: 'utf8mb4', collation: 'utf8mb4_general_ci' };

/**
 * Creates the schema of the database `source` is connected to (named `sourceDatabase`) in the one
 * `target` is connected to. Both sessions are masque's own: their settings are changed.
 */
export async function copyMysqlSchema(source: MysqlSession, sourceDatabase: string, target: MysqlSession) {
  await source.exec("SET SESSION sql_mode = ''");
  await target.exec('SET SESSION foreign_key_checks = 0');
  const created: Created[] = [];
  const create = async (object: Created, sql: string, context: Context): Promise<void> => {
    await target.exec('SET SESSION sql_mode = ?, character_set_client = ?, collation_connection = ?', {
      params: [context.sqlMode, clientCharset(context.charset, sql), context.collation],
    });
    await target.exec(sql).catch((error: unknown) => {
      throw statementError(
        `--create-schema: creating ${object.kind.toLowerCase()} ${object.name} in the target`,
        error,
      );
    });
    created.push(object);
  };
  try {
    await copyTables(source, create, target);
    await copyRoutines(source, create);
    await copyViews(source, sourceDatabase, create);
    await copyTriggers(source, create);
  } catch (error) {
    await dropCreated(target, created);
    throw error;
  }
}

type Create = (object: Created, sql: string, context: Context) => Promise<void>;

/**
 * `[name, type]` of every table, sequence and view of the source, but masque's own: a source that
 * is itself a masque target (a masked staging copy) may hold a dead run's shadows.
 */
async function tablesOf(source: MysqlSession): Promise<string[][]> {
  const rows = await source.rows(
    `SELECT TABLE_NAME, TABLE_TYPE FROM information_schema.TABLES
      WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME NOT LIKE ${startingWith(stagingNames.prefix)} ORDER BY TABLE_NAME`,
  );
  return rows.map((row) => row.map(String));
}

/** Tables without their next AUTO_INCREMENT value (the load moves it past the copied rows); sequences with theirs. */
async function copyTables(source: MysqlSession, create: Create, target: MysqlSession): Promise<void> {
  for (const [name = '', type] of await tablesOf(source)) {
    if (type === 'VIEW') continue;
    const table = quoteIdentifier(name);
    if (type === 'SEQUENCE') {
      const sql = await showCreate(source, `SEQUENCE ${table}`, 1);
      await create({ kind: 'TABLE', name }, sql, plain);
      // Where the sequence stands, as mysqldump copies it: the next value it hands out.
      const [[next] = []] = await source.rows(`SELECT next_not_cached_value FROM ${table}`);
      if (/^-?\d+$/.test(String(next))) await target.exec(`DO SETVAL(${table}, ${String(next)}, 0)`);
      continue;
    }
    // The table options are on the line that closes the column list, the only one starting with `)`.
    const sql = (await showCreate(source, `TABLE ${table}`, 1)).replace(/^(\).*?) AUTO_INCREMENT=\d+/m, '$1');
    await create({ kind: 'TABLE', name }, sql, plain);
  }
}

async function copyRoutines(source: MysqlSession, create: Create): Promise<void> {
  const routines = await source.rows(
    `SELECT ROUTINE_TYPE, ROUTINE_NAME FROM information_schema.ROUTINES
      WHERE ROUTINE_SCHEMA = DATABASE() AND ROUTINE_TYPE IN ('FUNCTION', 'PROCEDURE') ORDER BY 1, 2`,
  );
  for (const [type, name] of routines.map((row) => row.map(String))) {
    const kind = type as 'FUNCTION' | 'PROCEDURE';
    const [, sqlMode, sql, charset, collation] = await showCreateRow(source, `${kind} ${quoteIdentifier(name!)}`);
    const text = definition(sql, `${kind.toLowerCase()} ${name}`, 'needs to be its definer or hold SHOW_ROUTINE');
    await create({ kind, name: name! }, withoutDefiner(text), context(sqlMode, charset, collation));
  }
}

/**
 * Views in rounds: a view over another view fails until that one exists, so each round creates
 * what it can, until a round creates none and the first error of it is the answer.
 */
async function copyViews(source: MysqlSession, sourceDatabase: string, create: Create): Promise<void> {
  let pending: { name: string; sql: string; context: Context }[] = [];
  for (const [name = '', type] of await tablesOf(source)) {
    if (type !== 'VIEW') continue;
    const [, sql, charset, collation] = await showCreateRow(source, `VIEW ${quoteIdentifier(name)}`);
    const text = withoutDatabase(withoutDefiner(definition(sql, `view ${name}`, 'needs SHOW VIEW')), sourceDatabase);
    pending.push({ name, sql: text, context: context('', charset, collation) });
  }
  while (pending.length) {
    const failed: typeof pending = [];
    let firstError: unknown;
    for (const view of pending) {
      await create({ kind: 'VIEW', name: view.name }, view.sql, view.context).catch((error: unknown) => {
        firstError ??= error;
        failed.push(view);
      });
    }
    if (failed.length === pending.length) throw firstError;
    pending = failed;
  }
}

/** Triggers table by table in their firing order: a trigger created last fires last among its kind. */
async function copyTriggers(source: MysqlSession, create: Create): Promise<void> {
  const triggers = await source.rows(
    `SELECT TRIGGER_NAME FROM information_schema.TRIGGERS WHERE TRIGGER_SCHEMA = DATABASE()
      ORDER BY EVENT_OBJECT_TABLE, ACTION_TIMING, EVENT_MANIPULATION, ACTION_ORDER`,
  );
  for (const [name] of triggers.map((row) => row.map(String))) {
    const [, sqlMode, sql, charset, collation] = await showCreateRow(source, `TRIGGER ${quoteIdentifier(name!)}`);
    const text = definition(sql, `trigger ${name}`, 'needs the TRIGGER privilege on its table');
    await create({ kind: 'TRIGGER', name: name! }, withoutDefiner(text), context(sqlMode, charset, collation));
  }
}

/** One row of `SHOW CREATE <what>` on the source. */
async function showCreateRow(source: MysqlSession, what: string): Promise<Value[]> {
  try {
    const [row] = await source.rows(`SHOW CREATE ${what}`);
    if (!row) throw new Error('no row');
    return row;
  } catch (error) {
    throw statementError(`--create-schema: reading the definition of ${what.toLowerCase()} in the source`, error);
  }
}

async function showCreate(source: MysqlSession, what: string, column: number): Promise<string> {
  return String((await showCreateRow(source, what))[column]);
}

/** The text SHOW CREATE gave, which is NULL when the user may see that the object exists but not its body. */
function definition(sql: Value | undefined, what: string, privilege: string): string {
  if (sql === null || sql === undefined) {
    throw new DatabaseError(
      `--create-schema: the source's user may not read the definition of ${what} (it ${privilege})`,
    );
  }
  return String(sql);
}

function context(sqlMode: Value | undefined, charset: Value | undefined, collation: Value | undefined): Context {
  return { sqlMode: String(sqlMode ?? ''), charset: String(charset), collation: String(collation) };
}

/**
 * The character set the server should read `sql` in. masque sends UTF-8: an object created from a
 * client of another character set gets it back when its text is plain ASCII (the same bytes);
 * otherwise it is read as the UTF-8 it is, so that no character changes.
 */
function clientCharset(charset: string, sql: string): string {
  return /^utf8(mb3|mb4)?$/i.test(charset) || /^[\x00-\x7f]*$/.test(sql) ? charset : 'utf8mb4';
}

/** A quoted name part: `x`, 'x' or a bare word. */
const namePart = String.raw`(?:\`(?:[^\`]|\`\`)*\`|'(?:[^']|'')*'|[\w$.%-]+)`;
const definer = new RegExp(
  String.raw`^(CREATE(?:\s+ALGORITHM\s*=\s*\w+)?)\s+DEFINER\s*=\s*${namePart}(?:@${namePart})?`,
  'i',
);

function withoutDefiner(sql: string): string {
  return sql.replace(definer, '$1');
}

/**
 * A view's text without the source database before its names: MySQL writes every name of a view
 * in full (`db`.`t`.`c`); MariaDB leaves the current database out already. Only a database part
 * is removed, never a table's name that happens to be the same (`db`.`db`.`c` → `db`.`c`).
 */
function withoutDatabase(sql: string, database: string): string {
  const quoted = quoteIdentifier(database).replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  return sql.replace(new RegExp(`(?<![\\w\`.])${quoted}\\.(?=\`)`, 'g'), '');
}

/** Drops, newest first, what this copy created before it failed; a drop that fails is left for the error to tell. */
async function dropCreated(target: MysqlSession, created: Created[]): Promise<void> {
  for (const { kind, name } of created.reverse()) {
    await target.exec(`DROP ${kind} IF EXISTS ${quoteIdentifier(name)}`).catch(() => {});
  }
}
