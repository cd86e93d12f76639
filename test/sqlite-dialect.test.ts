/**
 * The SQLite dialect against real files: Chinook's SQLite database and small files made here.
 */
import { createHash } from 'node:crypto';
import { copyFileSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, relative } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { Batch, Dialect } from '../packages/core/src/dialects/dialect.ts';
import type { TableInfo } from '../packages/core/src/dialects/schema.ts';
import { createSqliteDialect } from '../packages/core/src/dialects/sqlite/sqlite-dialect.ts';
import { openDatabase, type SqliteDatabase } from '../packages/core/src/dialects/sqlite/sqlite-driver.ts';
import { sqliteTypeInfo } from '../packages/core/src/dialects/sqlite/sqlite-types.ts';
import { ConfigError, DatabaseError } from '../packages/core/src/errors.ts';
import { createChinookSqlite } from './support/databases.ts';

const cleanup: (() => unknown)[] = [];
afterEach(async () => {
  for (const step of cleanup.splice(0).reverse()) await step();
});

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

function withDb<T>(path: string, use: (db: SqliteDatabase) => T): T {
  const db = openDatabase(path, { readonly: false, create: true });
  // better-sqlite3 enforces foreign keys by default; fixtures must be free to break them.
  db.exec('PRAGMA foreign_keys = OFF');
  try {
    return use(db);
  } finally {
    db.close();
  }
}

function tableNames(db: SqliteDatabase): string[] {
  const rows = db
    .prepare(`SELECT name FROM sqlite_schema WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name`)
    .all();
  return (rows as { name: string }[]).map((r) => r.name);
}

/** A Chinook copy; `empty` deletes every row, as freshly migrated staging would be. */
function chinook(name: string, options: { empty?: boolean } = {}): string {
  const file = createChinookSqlite(name);
  cleanup.push(file.drop);
  if (options.empty) {
    withDb(file.path, (db) => {
      for (const t of tableNames(db)) db.exec(`DELETE FROM "${t}"`);
    });
  }
  return file.path;
}

/** A new file in its own temporary folder, made by `ddl`. */
function scratch(name: string, ddl: string): string {
  const folder = mkdtempSync(join(tmpdir(), 'masque-'));
  cleanup.push(() => rmSync(folder, { recursive: true, force: true }));
  const path = join(folder, `${name}.sqlite`);
  withDb(path, (db) => db.exec(ddl));
  return path;
}

/** A dialect for a path or a `sqlite:` URL, closed after the test. */
async function open(pathOrUrl: string): Promise<Dialect> {
  const dialect = await createSqliteDialect(pathOrUrl.startsWith('sqlite:') ? pathOrUrl : `sqlite:${pathOrUrl}`);
  cleanup.push(() => dialect.close());
  return dialect;
}

/** Per table: row count and a hash of every row (exact SQL literals, so types count), in a fixed order. */
function contents(path: string): Record<string, string> {
  return withDb(path, (db) => {
    const out: Record<string, string> = {};
    for (const table of tableNames(db)) {
      const columns = (db.prepare('SELECT name FROM pragma_table_info(?)').all(table) as { name: string }[]).map(
        (c) => `"${c.name.replaceAll('"', '""')}"`,
      );
      const rows = db
        .prepare(
          `SELECT ${columns.map((c) => `quote(${c})`).join(` || '|' || `)} FROM "${table.replaceAll('"', '""')}" ORDER BY ${columns.join(', ')}`,
        )
        .raw(true)
        .all() as string[][];
      const hash = createHash('sha256');
      for (const [row] of rows) hash.update(`${row}\n`);
      out[table] = `${rows.length} ${hash.digest('hex').slice(0, 16)}`;
    }
    return out;
  });
}

/** What `masque run` does, minus masking: every table from one snapshot into one load. */
async function copyAll(from: string, to: string): Promise<Record<string, number>> {
  const [source, target] = [await open(from), await open(to)];
  const { tables } = await source.introspect();
  const reader = await source.openSnapshot();
  const loader = await target.beginLoad(tables);
  const written: Record<string, number> = {};
  try {
    for (const table of tables) {
      const columns = table.columns.filter((c) => !c.generated).map((c) => c.name);
      written[table.name] = await loader.write({ table, columns }, reader.read({ table, columns }));
    }
  } catch (error) {
    await loader.rollback();
    throw error;
  }
  await loader.commit();
  await reader.close();
  return written;
}

async function readAll(dialect: Dialect, name: string, where?: string): Promise<Batch[]> {
  const table = (await dialect.introspect()).tables.find((t) => t.name === name) as TableInfo;
  const reader = await dialect.openSnapshot();
  const batches: Batch[] = [];
  for await (const batch of reader.read({ table, columns: table.columns.map((c) => c.name), ...(where && { where }) }))
    batches.push(batch);
  await reader.close();
  return batches;
}

describe('sqlite introspection', () => {
  it('finds Chinook tables, lengths, keys and identities', async () => {
    const { tables } = await (await open(chinook('intro'))).introspect();
    expect(tables.map((t) => t.name)).toEqual(chinookTables);
    const table = (name: string) => tables.find((t) => t.name === name) as TableInfo;
    const lastName = table('Customer').columns.find((c) => c.name === 'LastName');
    expect(lastName).toMatchObject({ dataType: 'NVARCHAR(20)', category: 'text', maxLength: 20, nullable: false });
    expect(table('Customer').columns.find((c) => c.name === 'CustomerId')).toMatchObject({
      category: 'integer',
      identity: true,
      nullable: false,
    });
    expect(table('Employee').foreignKeys).toEqual([
      {
        name: 'Employee_ReportsTo_fkey',
        table: 'Employee',
        columns: ['ReportsTo'],
        referencedTable: 'Employee',
        referencedColumns: ['EmployeeId'],
      },
    ]);
    expect(table('PlaylistTrack').primaryKey).toEqual(['PlaylistId', 'TrackId']);
    expect(table('PlaylistTrack').columns.some((c) => c.identity)).toBe(false);
    expect(table('InvoiceLine').foreignKeys.map((f) => f.referencedTable)).toEqual(['Invoice', 'Track']);
    expect(table('Invoice').columns.find((c) => c.name === 'Total')).toMatchObject({
      category: 'decimal',
      precision: 10,
      scale: 2,
    });
    expect(table('Employee').columns.find((c) => c.name === 'BirthDate')?.category).toBe('timestamp');
    expect(table('Track').estimatedRows).toBe(3503);
  });

  it('reads generated columns, unique keys, implicit references and skips views and virtual tables', async () => {
    const path = scratch(
      'shapes',
      `
      CREATE TABLE parent (id INTEGER PRIMARY KEY AUTOINCREMENT, code TEXT NOT NULL UNIQUE, "we""ird" VARCHAR(12));
      CREATE TABLE child (id INT PRIMARY KEY, parent_id INTEGER REFERENCES PARENT, parent_code TEXT REFERENCES parent (code),
        a INTEGER, b TEXT, twice INTEGER GENERATED ALWAYS AS (a * 2) STORED, flag BOOLEAN, price DECIMAL(8), data JSON, untyped,
        UNIQUE (a, b));
      CREATE UNIQUE INDEX child_lower_b ON child (lower(b));
      CREATE TABLE pair (x TEXT, y TEXT, PRIMARY KEY (x, y)) WITHOUT ROWID;
      CREATE VIEW parent_codes AS SELECT code FROM parent;
      CREATE VIRTUAL TABLE docs USING fts5(body);`,
    );
    const { tables } = await (await open(path)).introspect();
    expect(tables.map((t) => t.name)).toEqual(['child', 'pair', 'parent']);
    const [child, pair, parent] = tables as [TableInfo, TableInfo, TableInfo];
    const column = (t: TableInfo, name: string) => t.columns.find((c) => c.name === name);
    expect(column(parent, 'id')).toMatchObject({ identity: true, nullable: false });
    expect(column(parent, 'we"ird')).toMatchObject({ category: 'text', maxLength: 12 });
    expect(parent.uniqueKeys).toEqual([['code']]);
    expect(column(child, 'id')).toMatchObject({ identity: false, nullable: true });
    expect(column(child, 'twice')?.generated).toBe(true);
    expect(child.uniqueKeys).toEqual([['a', 'b']]);
    expect(child.foreignKeys.map((f) => [f.columns, f.referencedTable, f.referencedColumns])).toEqual([
      [['parent_id'], 'parent', ['id']],
      [['parent_code'], 'parent', ['code']],
    ]);
    expect(['flag', 'price', 'data', 'untyped'].map((n) => column(child, n)?.category)).toEqual([
      'boolean',
      'decimal',
      'json',
      'other',
    ]);
    expect(column(child, 'price')).toMatchObject({ precision: 8, scale: 0 });
    expect(pair.primaryKey).toEqual(['x', 'y']);
    expect(column(pair, 'x')?.nullable).toBe(false);
  });

  it.each([
    ['VARCHAR(255)', { category: 'text', maxLength: 255 }],
    ['character varying ( 30 )', { category: 'text', maxLength: 30 }],
    ['CLOB', { category: 'text' }],
    ['UNSIGNED BIG INT', { category: 'integer' }],
    ['DOUBLE PRECISION', { category: 'float' }],
    ['BLOB', { category: 'binary' }],
    ['DATE', { category: 'date' }],
    ['TIMESTAMP WITH TIME ZONE', { category: 'timestamp' }],
    ['TIME', { category: 'time' }],
    ['', { category: 'other' }],
  ])('maps %j', (declared, expected) => {
    expect(sqliteTypeInfo(declared)).toEqual(expected);
  });
});

describe('sqlite identity and errors', () => {
  it('names the file, not its spelling', async () => {
    const path = chinook('ident');
    const link = join(dirname(path), 'link.sqlite');
    const copy = join(dirname(path), 'copy.sqlite');
    symlinkSync(path, link);
    copyFileSync(path, copy);
    const rel = relative(process.cwd(), path);
    const spellings = [`sqlite:${path}`, `sqlite://${path}`, `sqlite:${rel}`, `sqlite:./${rel}`, `sqlite:${link}`];
    const identities = await Promise.all(spellings.map(async (url) => (await open(url)).identity()));
    expect(identities[0]).toMatch(/^sqlite:\d+:\d+$/);
    expect(new Set(identities).size).toBe(1);
    expect(await (await open(copy)).identity()).not.toBe(identities[0]);
  });

  it('refuses missing files, bad URLs and files that are not databases', async () => {
    await expect(createSqliteDialect('sqlite:/nonexistent/masque/missing.db')).rejects.toThrow(DatabaseError);
    await expect(createSqliteDialect('sqlite:/nonexistent/masque/missing.db')).rejects.toThrow(
      '/nonexistent/masque/missing.db',
    );
    await expect(createSqliteDialect('sqlite://relative.db')).rejects.toThrow(ConfigError);
    await expect(createSqliteDialect('sqlite:')).rejects.toThrow(ConfigError);
    const text = join(dirname(chinook('junk')), 'notes.txt');
    writeFileSync(text, 'this is not a database, but long enough to have a header of its own\n'.repeat(20));
    await expect(createSqliteDialect(`sqlite:${text}`)).rejects.toThrow(/not a database/);
  });
});

describe('sqlite snapshot reads', () => {
  it('reads in batches, with a row filter', async () => {
    const dialect = await open(chinook('batches'));
    expect((await readAll(dialect, 'Track')).map((b) => b.length)).toEqual([1000, 1000, 1000, 503]);
    const artists = (await readAll(dialect, 'Artist', 'ArtistId <= 10')).flat();
    expect(artists.map((r) => r[0])).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
    expect(artists[0]).toEqual([1, 'AC/DC']);
    await expect(readAll(dialect, 'Artist', 'no_such_column = 1')).rejects.toThrow(/table "Artist".*no such column/);
  });

  it('closes with a read left half-way', async () => {
    const dialect = await open(chinook('halfway'));
    const table = (await dialect.introspect()).tables.find((t) => t.name === 'Track') as TableInfo;
    const reader = await dialect.openSnapshot();
    const batches = reader.read({ table, columns: ['TrackId'] })[Symbol.asyncIterator]();
    expect((await batches.next()).value).toHaveLength(1000);
    await expect(reader.close()).resolves.toBeUndefined();
    await expect(readAll(dialect, 'Genre')).resolves.toHaveLength(1);
  });

  it('reads every table from the snapshot taken when it opened', async () => {
    const path = chinook('snapshot');
    withDb(path, (db) => db.exec('PRAGMA journal_mode = WAL'));
    const dialect = await open(path);
    const table = (await dialect.introspect()).tables.find((t) => t.name === 'Artist') as TableInfo;
    const reader = await dialect.openSnapshot();
    withDb(path, (db) => db.exec(`INSERT INTO Artist (Name) VALUES ('Added After The Snapshot')`));
    let rows = 0;
    for await (const batch of reader.read({ table, columns: ['ArtistId'] })) rows += batch.length;
    await reader.close();
    expect(rows).toBe(275);
    expect((await readAll(dialect, 'Artist')).flat()).toHaveLength(276);
  });
});

describe('sqlite loads', () => {
  it('copies every Chinook table exactly, and a second load replaces the first', async () => {
    const source = chinook('copy_src');
    const target = chinook('copy_dst', { empty: true });
    const written = await copyAll(source, target);
    expect(written).toMatchObject({ Track: 3503, PlaylistTrack: 8715, InvoiceLine: 2240 });
    expect(Object.keys(written).sort()).toEqual(chinookTables);
    expect(contents(target)).toEqual(contents(source));
    await copyAll(source, target);
    expect(contents(target)).toEqual(contents(source));
    // A rowid-alias key carries on after the copied maximum.
    withDb(target, (db) => db.exec(`INSERT INTO Artist (Name) VALUES ('New')`));
    expect(withDb(target, (db) => db.prepare('SELECT max(ArtistId) AS n FROM Artist').get())).toEqual({ n: 276 });
  });

  it('rolls back and names table, parent and count when a foreign key breaks', async () => {
    const source = chinook('broken_src');
    const target = chinook('broken_dst');
    // AC/DC has two albums.
    withDb(source, (db) => db.exec('DELETE FROM Artist WHERE ArtistId = 1'));
    const before = contents(target);
    await expect(copyAll(source, target)).rejects.toThrow(DatabaseError);
    await expect(copyAll(source, target)).rejects.toThrow(
      'Album_ArtistId_fkey (Album → Artist): 2 row(s) without a parent',
    );
    expect(contents(target)).toEqual(before);
  });

  it('shows readers the old rows until commit, and rollback keeps them', async () => {
    const source = chinook('visible_src');
    const target = chinook('visible_dst', { empty: true });
    withDb(target, (db) => db.exec(`PRAGMA journal_mode = WAL; INSERT INTO Genre VALUES (99, 'Old')`));
    const [from, to] = [await open(source), await open(target)];
    const genre = (await from.introspect()).tables.find((t) => t.name === 'Genre') as TableInfo;
    const reader = await from.openSnapshot();
    const count = () => withDb(target, (db) => db.prepare('SELECT count(*) AS n FROM Genre').get());
    for (const finish of ['rollback', 'commit'] as const) {
      const loader = await to.beginLoad([genre]);
      expect(
        await loader.write(
          { table: genre, columns: ['GenreId', 'Name'] },
          reader.read({ table: genre, columns: ['GenreId', 'Name'] }),
        ),
      ).toBe(25);
      expect(count()).toEqual({ n: 1 });
      await loader[finish]();
      expect(count()).toEqual({ n: finish === 'commit' ? 25 : 1 });
    }
    await reader.close();
  });

  it('moves an AUTOINCREMENT counter past the copied maximum', async () => {
    const ddl = 'CREATE TABLE ticket (id INTEGER PRIMARY KEY AUTOINCREMENT, title TEXT NOT NULL)';
    const source = scratch('seq_src', ddl);
    const target = scratch('seq_dst', ddl);
    withDb(source, (db) => {
      const insert = db.prepare('INSERT INTO ticket (id, title) VALUES (?, ?)');
      for (let id = 1; id <= 50; id++) insert.run(id * 3, `ticket ${id}`);
    });
    await copyAll(source, target);
    withDb(target, (db) => db.exec(`INSERT INTO ticket (title) VALUES ('after the load')`));
    expect(withDb(target, (db) => db.prepare('SELECT max(id) AS n FROM ticket').get())).toEqual({ n: 151 });
  });

  it('round-trips NULL, unicode, control characters, bytes, 64-bit integers and reals', async () => {
    const ddl = `CREATE TABLE "odd ""values""" (id INTEGER PRIMARY KEY, "te""xt" TEXT, b BLOB, i INTEGER, r REAL, n NUMERIC(10,2), u)`;
    const source = scratch('odd_src', ddl);
    const target = scratch('odd_dst', ddl);
    withDb(source, (db) => {
      const insert = db.prepare(`INSERT INTO "odd ""values""" VALUES (?, ?, ?, ?, ?, ?, ?)`);
      insert.run(1, null, null, null, null, null, null);
      insert.run(
        2,
        'Zoë 😀 𝄞 日本',
        Buffer.from([0, 1, 2, 254, 255]),
        2n ** 60n,
        0.1,
        12.34,
        'text in an untyped column',
      );
      insert.run(3, 'tab\there\nnewline\r\n\\N "quoted"', Buffer.alloc(0), -(2n ** 63n), 1e300, 10, 42n);
      insert.run(4, '', Buffer.from('x'), 2n ** 53n + 1n, -2.5, '7.50', Buffer.from([9]));
    });
    await copyAll(source, target);
    const typed = (path: string) =>
      withDb(path, (db) =>
        db
          .prepare(
            `SELECT typeof("te""xt"), quote("te""xt"), quote(b), typeof(i), i, typeof(r), quote(r), quote(n), typeof(u), quote(u) FROM "odd ""values""" ORDER BY id`,
          )
          .safeIntegers(true)
          .raw(true)
          .all(),
      );
    expect(typed(target)).toEqual(typed(source));
    expect(typed(target)[1]).toContain(2n ** 60n);
    // Integers a double holds exactly arrive as numbers; larger ones as exact bigints.
    const [, second] = (await readAll(await open(source), 'odd "values"')).flat();
    expect(second?.slice(0, 5)).toEqual([2, 'Zoë 😀 𝄞 日本', Buffer.from([0, 1, 2, 254, 255]), 2n ** 60n, 0.1]);
  });

  it('writes whole numbers as integers and booleans as 1/0, naming the table on failure', async () => {
    const path = scratch(
      'bind',
      'CREATE TABLE t (id INTEGER PRIMARY KEY, label TEXT, free, flag BOOLEAN, code TEXT UNIQUE)',
    );
    const dialect = await open(path);
    const table = (await dialect.introspect()).tables[0] as TableInfo;
    const loader = await dialect.beginLoad([table]);
    const rows = async function* () {
      yield [[1, 5, 7, true, 'a']] as Batch;
    };
    expect(await loader.write({ table, columns: ['id', 'label', 'free', 'flag', 'code'] }, rows())).toBe(1);
    // A write replaces the table's rows; a failed one leaves the earlier rows staged.
    const duplicate = async function* () {
      yield [
        [2, 'x', null, false, 'b'],
        [3, 'y', null, false, 'b'],
      ] as Batch;
    };
    await expect(
      loader.write({ table, columns: ['id', 'label', 'free', 'flag', 'code'] }, duplicate()),
    ).rejects.toThrow(/table "t".*UNIQUE constraint failed: t\.code/);
    await loader.commit();
    expect(withDb(path, (db) => db.prepare('SELECT label, typeof(free) AS free, flag FROM t').all())).toEqual([
      { label: '5', free: 'integer', flag: 1 },
    ]);
  });
});
