/**
 * `masque run --create-schema` on SQLite (issue 17): from Chinook plus an AUTOINCREMENT audit
 * table, a view, a trigger and ANALYZE's statistics tables, into a file that does not exist yet.
 * `.schema` of source and target equal (every sqlite_schema row, in order), the data masked and
 * loaded with the new trigger silent, a second run changes no schema, a target holding some of
 * the tables is refused, an object whose name is taken rolls everything back; once through the CLI.
 */
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import Database from 'better-sqlite3';
import { parseRules, type RunEvent } from '@masque/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createSqliteDialect } from '../packages/core/src/dialects/sqlite/sqlite-dialect.ts';
import { createChinookSqlite, repoRoot, type TestFile } from './support/databases.ts';
import { runCollecting } from './support/run-refresh.ts';
import { runToEnd } from './support/spawn-cli.ts';

const chinookTables = [
  'Album',
  'Artist',
  'Customer',
  'Employee',
  'Genre',
  'Invoice',
  'InvoiceLine',
  'MediaType',
  'Playlist',
  'PlaylistTrack',
  'Track',
];
const tables = ['AuditLog', ...chinookTables];

/**
 * What an application adds to Chinook: a bigger page, incremental vacuum, statistics, an audit
 * table with AUTOINCREMENT (two rows deleted, so its counter is past the largest id), a view, and
 * an audit trigger, last, as a migration adds it. `user_version` is where migration tools keep
 * the schema's version.
 */
const extras = `
  PRAGMA page_size = 8192; PRAGMA auto_vacuum = INCREMENTAL; VACUUM;
  ANALYZE;
  CREATE TABLE AuditLog (
    AuditId INTEGER PRIMARY KEY AUTOINCREMENT,
    TableName TEXT NOT NULL,
    RowId INTEGER NOT NULL,
    Action TEXT NOT NULL
  );
  INSERT INTO AuditLog (TableName, RowId, Action) SELECT 'Invoice', InvoiceId, 'insert' FROM Invoice;
  DELETE FROM AuditLog WHERE AuditId > 410;
  CREATE VIEW CustomerTotal AS
    SELECT c.CustomerId, c.Country, sum(i.Total) AS Total
    FROM Customer c JOIN Invoice i ON i.CustomerId = c.CustomerId GROUP BY c.CustomerId;
  CREATE TRIGGER InvoiceAudit AFTER INSERT ON Invoice
  BEGIN
    INSERT INTO AuditLog (TableName, RowId, Action) VALUES ('Invoice', NEW.InvoiceId, 'insert');
  END;
  PRAGMA user_version = 42; PRAGMA application_id = 1296126293;`;

/** rules/chinook.yaml, which ends with its tables, and a rule for the audit table. */
const rulesText = `${readFileSync(join(repoRoot, 'rules/chinook.yaml'), 'utf8')}
  AuditLog: { columns: { AuditId: keep, TableName: keep, RowId: keep, Action: keep } }
`;
const env = (source: string, target: string) => ({
  MASQUE_SOURCE_URL: `sqlite:${source}`,
  MASQUE_TARGET_URL: `sqlite:${target}`,
  MASQUE_SECRET: 'create-schema-secret',
});

function withDb<T>(path: string, use: (db: Database.Database) => T): T {
  const db = new Database(path, { fileMustExist: true });
  try {
    return use(db);
  } finally {
    db.close();
  }
}

/** What `.schema` prints, row by row and in its order (rowid), without the page numbers. */
const schemaOf = (path: string) =>
  withDb(path, (db) => db.prepare('SELECT type, name, tbl_name, sql FROM sqlite_schema ORDER BY rowid').all());

/** Every sqlite_schema row as it is stored, page numbers and rowids included. */
const storedSchema = (path: string) =>
  withDb(path, (db) => db.prepare('SELECT rowid, * FROM sqlite_schema ORDER BY rowid').all());

/** `.schema` of the sqlite3 shell, where it is installed (the comparison above does not need it). */
const hasShell = spawnSync('sqlite3', ['-version']).status === 0;
const shellSchema = (path: string) => spawnSync('sqlite3', ['-readonly', path, '.schema'], { encoding: 'utf8' }).stdout;

const pragmas = (path: string) =>
  withDb(path, (db) =>
    ['page_size', 'auto_vacuum', 'encoding', 'user_version', 'application_id'].map((p) =>
      db.pragma(p, { simple: true }),
    ),
  );

/** Row count and a digest of `columns` (every one by default) as SQL literals, in rowid order. */
function digest(path: string, table: string, columns?: string[]): string {
  return withDb(path, (db) => {
    const names =
      columns ??
      (db.prepare('SELECT name FROM pragma_table_info(?)').all(table) as { name: string }[]).map((c) => c.name);
    const rows = db
      .prepare(`SELECT ${names.map((c) => `quote("${c}")`).join(` || '|' || `)} FROM "${table}" ORDER BY rowid`)
      .pluck()
      .all() as string[];
    return `${rows.length} ${createHash('sha256').update(rows.join('\n')).digest('hex').slice(0, 16)}`;
  });
}

const fileDigest = (path: string) => createHash('sha256').update(readFileSync(path)).digest('hex');

let source: TestFile;
let folder: string;
/** A path in the test's folder that does not exist yet. */
const newPath = (name: string) => join(folder, `${name}.sqlite`);

beforeAll(() => {
  source = createChinookSqlite('create_src');
  folder = dirname(source.path);
  withDb(source.path, (db) => db.exec(extras));
});
afterAll(async () => {
  await source?.drop();
});

describe('SQLite --create-schema', () => {
  const run = (target: string, mode: 'staged' | 'direct' = 'staged') =>
    runCollecting({
      rules: parseRules(rulesText, 'create-schema.yaml', env(source.path, target)),
      createSchema: true,
      mode,
    });
  const created = (events: RunEvent[]) => events.filter((e) => e.type === 'schema-created');
  let target: string;

  it("creates a missing file with the source's schema, in order, then loads the masked rows", async () => {
    target = newPath('created');
    expect(existsSync(target)).toBe(false);
    const { summary, events } = await run(target);
    expect(created(events)).toEqual([{ type: 'schema-created', tables: 12 }]);

    expect(schemaOf(target)).toEqual(schemaOf(source.path));
    const names = schemaOf(target).map((r) => (r as { name: string }).name);
    expect(names.slice(-6)).toEqual([
      'sqlite_stat1',
      'sqlite_stat4',
      'AuditLog',
      'sqlite_sequence',
      'CustomerTotal',
      'InvoiceAudit',
    ]);
    if (hasShell) expect(shellSchema(target)).toBe(shellSchema(source.path));
    expect(pragmas(target)).toEqual([8192, 2, 'UTF-8', 42, 1296126293]);
    expect(pragmas(target)).toEqual(pragmas(source.path));
    // Production's statistics are not copied.
    expect(withDb(target, (db) => db.prepare('SELECT count(*) FROM sqlite_stat1').pluck().get())).toBe(0);

    expect(Object.fromEntries(summary.tables.map((t) => [t.table, t.rows]))).toMatchObject({
      Track: 3503,
      Invoice: 412,
      // Loading Invoice did not audit 412 more rows.
      AuditLog: 410,
    });
    for (const table of ['Track', 'InvoiceLine', 'PlaylistTrack', 'AuditLog', 'Album', 'Artist']) {
      expect(digest(target, table), table).toBe(digest(source.path, table));
    }
    expect(digest(target, 'Customer', ['CustomerId', 'SupportRepId'])).toBe(
      digest(source.path, 'Customer', ['CustomerId', 'SupportRepId']),
    );
    const sameEmails = withDb(target, (db) => {
      db.prepare('ATTACH DATABASE ? AS source').run(source.path);
      return db
        .prepare('SELECT count(*) FROM Customer t JOIN source.Customer s USING (CustomerId) WHERE t.Email = s.Email')
        .pluck()
        .get();
    });
    expect(sameEmails).toBe(0);

    // AUTOINCREMENT's counter is past the copied maximum (410), like every engine's counters;
    // the source's own (412, two rows deleted) is not copied.
    const counter = (path: string) =>
      withDb(path, (db) => db.prepare('SELECT name, seq FROM sqlite_sequence').raw(true).all());
    expect(counter(target)).toEqual([['AuditLog', 410]]);
    expect(counter(source.path)).toEqual([['AuditLog', 412]]);
    // The view reads the loaded tables.
    const totals = (path: string) =>
      withDb(path, (db) => db.prepare('SELECT count(*), round(sum(Total), 2) FROM CustomerTotal').raw(true).get());
    expect(totals(target)).toEqual(totals(source.path));
    expect(totals(target)).toEqual([59, 2328.6]);
    // The trigger, silent during the load, works.
    withDb(target, (db) => {
      db.exec(`INSERT INTO Invoice (InvoiceId, CustomerId, InvoiceDate, Total) VALUES (1000, 1, '2026-01-01', 1.98)`);
      expect(db.prepare('SELECT AuditId, RowId FROM AuditLog WHERE RowId = 1000').raw(true).all()).toEqual([
        [411, 1000],
      ]);
      db.exec('DELETE FROM AuditLog WHERE AuditId = 411; DELETE FROM Invoice WHERE InvoiceId = 1000');
    });
  });

  it('a second run with the flag changes no schema', async () => {
    const [schema, data] = [storedSchema(target), digest(target, 'Customer')];
    const { events } = await run(target, 'direct');
    expect(created(events)).toEqual([]);
    // The trigger, the last row, was dropped and recreated in the load: same rowid, same SQL.
    expect(storedSchema(target)).toEqual(schema);
    expect(schemaOf(target)).toEqual(schemaOf(source.path));
    // Masking is deterministic: the same secret gives the same rows.
    expect(digest(target, 'Customer')).toBe(data);
  });

  it('refuses a target holding some of the tables, naming the missing ones, and changes nothing', async () => {
    const partial = newPath('partial');
    withDb(source.path, (db) => {
      const definitions = db
        .prepare(`SELECT sql FROM sqlite_schema WHERE name IN ('Artist', 'Album') ORDER BY rowid`)
        .pluck()
        .all() as string[];
      const made = new Database(partial);
      made.exec(definitions.join(';\n'));
      made.exec(`INSERT INTO Artist VALUES (1, 'Kept')`);
      made.close();
    });
    const before = fileDigest(partial);
    const missing = tables.filter((t) => t !== 'Artist' && t !== 'Album');
    const error = await run(partial).then(
      () => new Error('the run succeeded'),
      (failure: Error) => failure,
    );
    expect(error.message).toBe(
      `--create-schema: the target holds some of the source's tables but not ${missing.join(', ')}; ` +
        'masque creates a schema only in a target that holds none of them, and never alters one that exists',
    );
    expect(fileDigest(partial)).toBe(before);
    expect(existsSync(`${partial}.masque-new`)).toBe(false);
  });

  it('rolls back every object when one cannot be made: all or nothing', async () => {
    // None of the source's tables, but a table with the view's name.
    const taken = newPath('taken');
    const made = new Database(taken);
    made.exec('CREATE TABLE CustomerTotal (id INTEGER PRIMARY KEY); INSERT INTO CustomerTotal VALUES (7)');
    made.close();
    const before = fileDigest(taken);
    await expect(run(taken)).rejects.toThrow(
      new RegExp(
        `^cannot create view "CustomerTotal" of .* in ${taken} \\(--create-schema\\), nothing was created: .*already exists`,
      ),
    );
    expect(fileDigest(taken)).toBe(before);
    expect(schemaOf(taken)).toEqual([
      {
        type: 'table',
        name: 'CustomerTotal',
        tbl_name: 'CustomerTotal',
        sql: 'CREATE TABLE CustomerTotal (id INTEGER PRIMARY KEY)',
      },
    ]);
  });

  it('opens a missing target only when asked to create it, and never in a missing folder', async () => {
    const missing = newPath('missing');
    await expect(createSqliteDialect(`sqlite:${missing}`)).rejects.toThrow(
      `SQLite database file not found: ${missing}`,
    );
    expect(existsSync(missing)).toBe(false);
    const dialect = await createSqliteDialect(`sqlite:${missing}`, { create: true });
    expect((await dialect.introspect()).tables).toEqual([]);
    await dialect.close();
    expect(existsSync(missing)).toBe(true);
    const nowhere = join(folder, 'no-such-folder', 'x.sqlite');
    await expect(createSqliteDialect(`sqlite:${nowhere}`, { create: true })).rejects.toThrow(nowhere);
  });

  it('works through the CLI: masque run --create-schema --direct', async () => {
    const target = newPath('cli');
    const config = join(folder, 'create-schema.yaml');
    writeFileSync(config, rulesText);
    const result = await runToEnd(
      ['run', '--config', config, '--log', 'json', '--create-schema', '--direct'],
      env(source.path, target),
    );
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    expect(result.events.filter((e) => e.type === 'schema-created').map((e) => e.tables)).toEqual([12]);
    expect(result.events.at(-1)?.type).toBe('done');
    expect(schemaOf(target)).toEqual(schemaOf(source.path));
    for (const table of tables) {
      expect(digest(target, table).split(' ')[0], table).toBe(digest(source.path, table).split(' ')[0]);
    }
    expect(digest(target, 'AuditLog')).toBe(digest(source.path, 'AuditLog'));
  });
});
