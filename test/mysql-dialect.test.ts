/**
 * The MySQL dialect against the real local MariaDB: Chinook as source and target, plus a small
 * throwaway database for the values that LOAD DATA's text format must escape.
 */
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Batch, Dialect, Loader, Row } from '../packages/core/src/dialects/dialect.ts';
import { findTable, type DatabaseSchema, type TableInfo } from '../packages/core/src/dialects/schema.ts';
import { createMysqlDialect } from '../packages/core/src/dialects/mysql/mysql-dialect.ts';
import type { MysqlLoadMethod } from '../packages/core/src/dialects/mysql/mysql-loader.ts';
import { batchRows } from '../packages/core/src/dialects/mysql/mysql-reader.ts';
import { ConfigError, DatabaseError } from '../packages/core/src/errors.ts';
import { createChinookMysql, mysql, mysqlUrl, type TestDatabase } from './support/databases.ts';

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
const methods: MysqlLoadMethod[] = ['load-data', 'insert'];

let src: TestDatabase;
let dst: TestDatabase;
let dstInsert: TestDatabase;
let odd: TestDatabase;
let source: Dialect;
let schema: DatabaseSchema;
const opened: Dialect[] = [];

async function open(url: string, loadMethod: MysqlLoadMethod = 'auto'): Promise<Dialect> {
  const dialect = await createMysqlDialect(url, { loadMethod });
  opened.push(dialect);
  return dialect;
}

async function* batchesOf(rows: Row[], size = 2): AsyncIterable<Batch> {
  for (let i = 0; i < rows.length; i += size) yield rows.slice(i, i + size);
}

async function readAll(dialect: Dialect, table: TableInfo, columns: string[]): Promise<Row[]> {
  const reader = await dialect.openSnapshot();
  const rows: Row[] = [];
  for await (const batch of reader.read({ table, columns })) rows.push(...batch);
  await reader.close();
  return rows;
}

/** Runs `body` with a load open, and never leaves it open: a rollback after commit does nothing. */
async function withLoad<T>(dialect: Dialect, tables: TableInfo[], body: (loader: Loader) => Promise<T>): Promise<T> {
  const loader = await dialect.beginLoad(tables);
  try {
    return await body(loader);
  } finally {
    await loader.rollback();
  }
}

const writable = (table: TableInfo): string[] => table.columns.filter((c) => !c.generated).map((c) => c.name);

/** Copies every table from one snapshot into one load, in schema order (FK checks are off). */
async function copyAll(from: Dialect, to: Dialect, tables: TableInfo[]): Promise<number> {
  const reader = await from.openSnapshot();
  try {
    return await withLoad(to, tables, async (loader) => {
      let rows = 0;
      for (const table of tables) {
        const request = { table, columns: writable(table) };
        rows += await loader.write(request, reader.read(request));
      }
      await loader.commit();
      return rows;
    });
  } finally {
    await reader.close();
  }
}

function count(db: string, table: string): number {
  return Number(mysql(db, ['-e', `SELECT COUNT(*) FROM \`${table}\``]).trim());
}

/** CHECKSUM TABLE per table, keyed by bare table name. */
function checksums(db: string, tables: string[]): Record<string, string> {
  const out = mysql(db, ['-e', `CHECKSUM TABLE ${tables.map((t) => `\`${t}\``).join(', ')}`]);
  return Object.fromEntries(
    out
      .trim()
      .split('\n')
      .map((line) => {
        const [name, sum] = line.split('\t');
        return [name!.split('.').pop()!, sum!];
      }),
  );
}

beforeAll(async () => {
  [src, dst, dstInsert] = await Promise.all([
    createChinookMysql('src'),
    createChinookMysql('dst', { empty: true }),
    createChinookMysql('dsti', { empty: true }),
  ]);
  // A view is not a table to copy.
  mysql(src.name, ['-e', 'CREATE VIEW ArtistNames AS SELECT Name FROM Artist']);
  const name = `masque_odd_${randomBytes(4).toString('hex')}`;
  mysql(undefined, ['-e', `CREATE DATABASE \`${name}\``]);
  odd = {
    name,
    url: mysqlUrl(name),
    drop: async () => void mysql(undefined, ['-e', `DROP DATABASE IF EXISTS \`${name}\``]),
  };
  const ddl = (table: string): string => `CREATE TABLE ${table} (
    id INT AUTO_INCREMENT PRIMARY KEY, txt VARCHAR(100) NULL, note TEXT NULL, bin BLOB NULL, vb VARBINARY(16) NULL,
    flag BIT(3) NULL, doc JSON NULL, amount DECIMAL(12,4) NULL, big BIGINT UNSIGNED NULL, ratio DOUBLE NULL,
    stamp TIMESTAMP(6) NULL, day DATE NULL, mood ENUM('happy','it''s','back\\\\slash') NULL, active TINYINT(1) NULL,
    short VARCHAR(5) NULL, twice INT AS (id * 2) VIRTUAL, UNIQUE KEY uq_short_txt (short, txt))`;
  mysql(
    name,
    [],
    `${ddl('odd_load_data')};\n${ddl('odd_insert')};\nCREATE TABLE snap (id INT PRIMARY KEY);
    CREATE TABLE shapes (id INT PRIMARY KEY, spot POINT NULL, shape GEOMETRY NULL, label VARCHAR(20) NULL);
    CREATE TABLE shapes_copy LIKE shapes;
    INSERT INTO shapes VALUES (1, ST_GeomFromText('POINT(1.5 -2.25)'), ST_GeomFromText('POLYGON((0 0, 4 0, 4 3, 0 0))'), 'a'),
      (2, NULL, ST_GeomFromText('LINESTRING(0 0, 1 1, 2 0)', 4326), NULL), (3, ST_GeomFromText('POINT(0 0)'), NULL, 'c');
    CREATE TABLE pair (a INT, b INT, PRIMARY KEY (a, b));
    CREATE TABLE pair_ref (id INT PRIMARY KEY, a INT NULL, b INT NULL, KEY (b), CONSTRAINT pair_ref_fk FOREIGN KEY (a, b) REFERENCES pair (a, b));
    CREATE TABLE coded (id INT PRIMARY KEY, code VARCHAR(10) NOT NULL, email VARCHAR(50) NOT NULL,
      UNIQUE KEY code_key (code), UNIQUE KEY email_key (email), KEY email_id (email, id));
    CREATE TABLE coded_ref (id INT PRIMARY KEY, code VARCHAR(10) NULL, CONSTRAINT coded_ref_fk FOREIGN KEY (code) REFERENCES coded (code));
    INSERT INTO coded VALUES (9, 'z', 'old@example.com');`,
  );
  source = await open(src.url);
  schema = await source.introspect();
});

afterAll(async () => {
  await Promise.all(opened.map((d) => d.close()));
  await Promise.all([src, dst, dstInsert, odd].filter(Boolean).map((db) => db.drop()));
});

describe('introspect', () => {
  it('finds the 11 Chinook tables, without the view', () => {
    expect(schema.tables.map((t) => t.name).sort()).toEqual(chinookTables);
    expect(schema.tables.every((t) => t.schema === undefined && t.table === t.name)).toBe(true);
  });

  it('reads columns, keys and foreign keys', () => {
    const lastName = findTable(schema, 'Customer')!.columns.find((c) => c.name === 'LastName')!;
    expect(lastName).toMatchObject({
      dataType: 'varchar(20)',
      category: 'text',
      maxLength: 20,
      nullable: false,
      generated: false,
      identity: false,
    });
    expect(
      findTable(schema, 'Customer')!
        .columns.map((c) => c.name)
        .slice(0, 3),
    ).toEqual(['CustomerId', 'FirstName', 'LastName']);
    expect(findTable(schema, 'Invoice')!.columns.find((c) => c.name === 'Total')).toMatchObject({
      category: 'decimal',
      precision: 10,
      scale: 2,
    });
    expect(findTable(schema, 'Employee')!.foreignKeys).toEqual([
      {
        name: 'FK_EmployeeReportsTo',
        table: 'Employee',
        columns: ['ReportsTo'],
        referencedTable: 'Employee',
        referencedColumns: ['EmployeeId'],
      },
    ]);
    expect(findTable(schema, 'PlaylistTrack')!.primaryKey).toEqual(['PlaylistId', 'TrackId']);
    expect(schema.tables.reduce((n, t) => n + t.foreignKeys.length, 0)).toBe(11);
    expect(
      findTable(schema, 'Track')!
        .foreignKeys.map((fk) => fk.name)
        .sort(),
    ).toEqual(['FK_TrackAlbumId', 'FK_TrackGenreId', 'FK_TrackMediaTypeId']);
    expect(findTable(schema, 'Track')!.estimatedRows).toBeGreaterThan(0);
  });

  it('maps types, enums, generated and auto-increment columns', async () => {
    const table = findTable(await (await open(odd.url)).introspect(), 'odd_load_data')!;
    const column = (name: string) => table.columns.find((c) => c.name === name)!;
    expect(column('id')).toMatchObject({ category: 'integer', identity: true, generated: false });
    expect(column('twice')).toMatchObject({ generated: true, identity: false });
    expect(column('mood')).toMatchObject({ category: 'enum', enumValues: ['happy', "it's", 'back\\slash'] });
    expect([
      column('doc').category,
      column('bin').category,
      column('flag').category,
      column('active').category,
    ]).toEqual(['json', 'binary', 'binary', 'boolean']);
    expect([column('stamp').category, column('day').category, column('ratio').category]).toEqual([
      'timestamp',
      'date',
      'float',
    ]);
    expect(table.primaryKey).toEqual(['id']);
    expect(table.uniqueKeys).toEqual([['short', 'txt']]);
  });
});

describe('identity', () => {
  it('names the database, not the URL spelling', async () => {
    const viaIp = await source.identity();
    const viaName = await (await open(`mysql://root@localhost:3306/${src.name}`)).identity();
    const other = await (await open(dst.url)).identity();
    expect(viaName).toBe(viaIp);
    expect(viaIp.endsWith(`:${src.name}`)).toBe(true);
    expect(other).not.toBe(viaIp);
  });
});

describe('connection errors', () => {
  it('names the URL without its password when the server is unreachable', async () => {
    const error = await createMysqlDialect('mysql://root:s3cretPass@127.0.0.1:3399/x').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(DatabaseError);
    expect((error as Error).message).toContain('cannot connect to mysql://root:***@127.0.0.1:3399/x');
    expect((error as Error).message).toContain('ECONNREFUSED');
    expect((error as Error).message).not.toContain('s3cretPass');
  });

  it('rejects a URL without a database as a config error, without its password', async () => {
    const error = await createMysqlDialect('mysql://root:s3cretPass@127.0.0.1:3306').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as Error).message).toContain('mysql://root:***@127.0.0.1:3306: the URL must name one database');
    expect((error as Error).message).not.toContain('s3cretPass');
  });

  it('hides the password when the server refuses the login', async () => {
    const error = await createMysqlDialect(`mariadb://nobody_here:s3cretPass@127.0.0.1:3306/${src.name}`).catch(
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(DatabaseError);
    expect((error as Error).message).toMatch(/Access denied/);
    expect((error as Error).message).not.toContain('s3cretPass');
  });
});

describe('full copy of Chinook', () => {
  it.each(methods)('copies every row exactly with %s', async (method) => {
    const target = method === 'load-data' ? dst : dstInsert;
    const rows = await copyAll(source, await open(target.url, method), schema.tables);
    const expected = chinookTables.reduce((n, t) => n + count(src.name, t), 0);
    expect(rows).toBe(expected);
    for (const table of chinookTables) expect(count(target.name, table)).toBe(count(src.name, table));
    expect(checksums(target.name, chinookTables)).toEqual(checksums(src.name, chinookTables));
    // Unicode survives: names with multi-byte characters are there, byte for byte (checksums).
    const multibyte = 'SELECT COUNT(*) FROM Artist WHERE LENGTH(Name) <> CHAR_LENGTH(Name)';
    expect(Number(mysql(target.name, ['-e', multibyte]))).toBeGreaterThan(0);
    expect(mysql(target.name, ['-e', multibyte])).toBe(mysql(src.name, ['-e', multibyte]));
  });

  it('refuses to commit a broken foreign key and leaves the target as it was', async () => {
    const before = checksums(dst.name, chinookTables);
    const lines = findTable(schema, 'InvoiceLine')!;
    const error = await withLoad(await open(dst.url), [lines], async (loader) => {
      await loader.write({ table: lines, columns: writable(lines) }, batchesOf([[1, 999_999, 1, '0.99', 1]]));
      return loader.commit().catch((e: unknown) => e);
    });
    expect(error).toBeInstanceOf(DatabaseError);
    expect((error as Error).message).toMatch(
      /FK_InvoiceLineInvoiceId \(InvoiceLine → Invoice\): 1 row\(s\) without a parent/,
    );
    expect(count(dst.name, 'InvoiceLine')).toBe(count(src.name, 'InvoiceLine'));
    expect(checksums(dst.name, chinookTables)).toEqual(before);
  });

  it.each(['staged', 'direct'] as const)(
    'checks a composite foreign key as InnoDB does (a NULL part matches anything) when %s',
    async (mode) => {
      const dialect = await open(odd.url);
      const schema = await dialect.introspect();
      const tables = [findTable(schema, 'pair')!, findTable(schema, 'pair_ref')!];
      const load = async (refs: Row[]): Promise<void> => {
        const loader = await dialect.beginLoad(tables, { mode });
        try {
          await loader.write(
            { table: tables[0]!, columns: ['a', 'b'] },
            batchesOf([
              [1, 1],
              [1, 2],
            ]),
          );
          await loader.write({ table: tables[1]!, columns: ['id', 'a', 'b'] }, batchesOf(refs));
          await loader.commit();
        } finally {
          await loader.rollback();
        }
      };
      const fine: Row[] = [
        [1, 1, 1],
        [2, 1, 2],
        [3, 9, null],
        [4, null, null],
      ];
      const before = checksums(odd.name, ['pair', 'pair_ref']);
      await expect(load([...fine, [5, 2, 1], [6, 1, 3]])).rejects.toThrow(
        /pair_ref_fk \(pair_ref → pair\): 2 row\(s\) without a parent/,
      );
      expect(checksums(odd.name, ['pair', 'pair_ref'])).toEqual(before);
      await load(fine);
      expect(count(odd.name, 'pair_ref')).toBe(4);
    },
  );

  it('also checks keys into an emptied table from tables not loaded', async () => {
    const artists = findTable(schema, 'Artist')!;
    await withLoad(await open(dst.url), [artists], async (loader) => {
      await loader.write({ table: artists, columns: writable(artists) }, batchesOf([[1, 'Only one']]));
      await expect(loader.commit()).rejects.toThrow(
        /FK_AlbumArtistId \(Album → Artist\): \d+ row\(s\) without a parent/,
      );
    });
    expect(count(dst.name, 'Artist')).toBe(count(src.name, 'Artist'));
  });

  it('stops at a table the target refuses when it moves in during the load, and leaves the target as it was', async () => {
    const before = checksums(dst.name, chinookTables);
    const genres = findTable(schema, 'Genre')!;
    // Shadows keep no index that no foreign key reads: this one refuses the rows only as they move in.
    mysql(dst.name, ['-e', 'CREATE UNIQUE INDEX genre_name ON Genre (Name)']);
    try {
      await withLoad(await open(dst.url), [genres], async (loader) => {
        const rows = [
          [1, 'Rock'],
          [2, 'Rock'],
        ];
        await loader.write({ table: genres, columns: writable(genres) }, batchesOf(rows));
        await expect(loader.commit()).rejects.toThrow(
          /^moving table `Genre` into place: .*Duplicate entry '…' for key 'genre_name'/,
        );
      });
      expect(checksums(dst.name, chinookTables)).toEqual(before);
    } finally {
      mysql(dst.name, ['-e', 'DROP INDEX genre_name ON Genre']);
    }
  });

  it('keeps the old rows visible during a load and after a rollback', async () => {
    const before = checksums(dst.name, chinookTables);
    const artists = findTable(schema, 'Artist')!;
    await withLoad(await open(dst.url), schema.tables, async (loader) => {
      expect(await loader.write({ table: artists, columns: writable(artists) }, batchesOf([[1, 'Only one']]))).toBe(1);
      expect(count(dst.name, 'Artist')).toBe(count(src.name, 'Artist')); // another session still sees the old rows
      await loader.rollback();
    });
    expect(checksums(dst.name, chinookTables)).toEqual(before);
  });

  it('stops reading cleanly when the consumer stops early', async () => {
    const reader = await source.openSnapshot();
    const tracks = findTable(schema, 'Track')!;
    for await (const batch of reader.read({ table: tracks, columns: writable(tracks) })) {
      expect(batch.length).toBe(batchRows);
      break;
    }
    const next = reader
      .read({ table: tracks, columns: ['TrackId'] })
      [Symbol.asyncIterator]()
      .next();
    await expect(next).rejects.toThrow(/snapshot is closed/);
    await reader.close();
  });
});

describe('shadows', () => {
  it.each(methods)(
    "stage without the indexes no foreign key reads, while the table's own unique index still refuses a duplicate (%s)",
    async (method) => {
      const dialect = await open(odd.url, method);
      const coded = findTable(await dialect.introspect(), 'coded')!;
      const before = checksums(odd.name, ['coded']);
      await withLoad(dialect, [coded], async (loader) => {
        // code_key stays: coded_ref's key references it, and the key check looks parents up in it.
        const indexes = mysql(odd.name, [
          '-e',
          `SELECT DISTINCT INDEX_NAME FROM information_schema.STATISTICS
        WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = '_masque_new_coded' ORDER BY INDEX_NAME`,
        ]);
        expect(indexes.trim().split('\n')).toEqual(['code_key', 'PRIMARY']);
        const rows = [
          [1, 'a', 'same@example.com'],
          [2, 'b', 'same@example.com'],
        ];
        expect(await loader.write({ table: coded, columns: ['id', 'code', 'email'] }, batchesOf(rows))).toBe(2);
        const commit = loader.commit();
        await expect(commit).rejects.toThrow(/Duplicate entry '…' for key 'email_key'/);
        await expect(commit).rejects.not.toThrow(/same@/);
      });
      expect(checksums(odd.name, ['coded'])).toEqual(before);
      expect(mysql(odd.name, ['-e', 'SELECT id, code, email FROM coded'])).toBe('9\tz\told@example.com\n');
    },
  );
});

describe('values that need escaping', () => {
  const everyByte = Buffer.from(Array.from({ length: 256 }, (_, i) => i));
  const columns = [
    'id',
    'txt',
    'note',
    'bin',
    'vb',
    'flag',
    'doc',
    'amount',
    'big',
    'ratio',
    'stamp',
    'day',
    'mood',
    'active',
    'short',
  ];
  const rows: Row[] = [
    [
      0,
      'tab\there',
      'line1\nline2\r\nend',
      everyByte,
      Buffer.from([0, 0x5c, 9, 10, 13]),
      Buffer.from([5]),
      '{"a": [1, "ü"], "b": null}',
      '12345678.1234',
      '18446744073709551615',
      0.1,
      '2024-03-31 02:30:00.123456',
      '2024-02-29',
      "it's",
      1,
      'a',
    ],
    [
      1,
      '\\N',
      'back\\slash \\t not a tab\\',
      Buffer.from('\\N'),
      null,
      null,
      null,
      '-0.0001',
      '0',
      -1.5e300,
      null,
      null,
      'back\\slash',
      0,
      'b',
    ],
    [
      2,
      'NULL',
      '',
      Buffer.alloc(0),
      Buffer.from('\\'),
      Buffer.from([0]),
      '[]',
      null,
      null,
      null,
      null,
      null,
      null,
      null,
      'c',
    ],
    [
      3,
      '😀 emoji ünïcödé 中文',
      'nul \0 char',
      null,
      null,
      null,
      null,
      null,
      null,
      null,
      null,
      null,
      'happy',
      null,
      'd',
    ],
    [41, null, null, null, null, null, null, null, null, null, null, null, null, null, null],
  ];

  it.each(methods)('round-trip exactly with %s, and auto-increment continues after the maximum', async (method) => {
    const dialect = await open(odd.url, method);
    const table = findTable(await dialect.introspect(), `odd_${method.replace('-', '_')}`)!;
    await withLoad(dialect, [table], async (loader) => {
      expect(await loader.write({ table, columns }, batchesOf(rows))).toBe(rows.length);
      await loader.commit();
    });
    expect(await readAll(dialect, table, columns)).toEqual(rows);
    const next = mysql(odd.name, ['-e', `INSERT INTO ${table.name} (txt) VALUES ('next'); SELECT LAST_INSERT_ID();`]);
    expect(Number(next)).toBe(42);
  });

  it.each(methods)('moves spatial values as their exact bytes with %s', async (method) => {
    const dialect = await open(odd.url, method);
    const schema = await dialect.introspect();
    const [shapes, copy] = [findTable(schema, 'shapes')!, findTable(schema, 'shapes_copy')!];
    const columns = ['id', 'spot', 'shape', 'label'];
    const rows = await readAll(dialect, shapes, columns);
    expect(rows.map((r) => [Buffer.isBuffer(r[1]) || r[1], Buffer.isBuffer(r[2]) || r[2], r[3]])).toEqual([
      [true, true, 'a'],
      [null, true, null],
      [true, null, 'c'],
    ]);
    await withLoad(dialect, [copy], async (loader) => {
      expect(await loader.write({ table: copy, columns }, batchesOf(rows))).toBe(3);
      await loader.commit();
    });
    const dump = (table: string): string =>
      mysql(odd.name, [
        '-e',
        `SELECT id, HEX(spot), HEX(shape), ST_AsText(shape), ST_SRID(shape), label FROM ${table} ORDER BY id`,
      ]);
    expect(dump('shapes_copy')).toBe(dump('shapes'));
    expect(dump('shapes_copy')).toContain('LINESTRING(0 0,1 1,2 0)\t4326');
  });

  it.each(methods)('loads an empty input as zero rows with %s', async (method) => {
    const dialect = await open(odd.url, method);
    const snap = findTable(await dialect.introspect(), 'snap')!;
    await withLoad(dialect, [snap], async (loader) => {
      expect(await loader.write({ table: snap, columns: ['id'] }, batchesOf([]))).toBe(0);
    });
  });

  it.each(methods)('rejects a value too long for its column with %s, without echoing it', async (method) => {
    const dialect = await open(odd.url, method);
    const table = findTable(await dialect.introspect(), 'odd_load_data')!;
    const before = checksums(odd.name, ['odd_load_data']);
    const error = await withLoad(dialect, [table], (loader) =>
      loader
        .write(
          { table, columns: ['id', 'short'] },
          batchesOf([
            [100, 'ok'],
            [101, 'far-too-long'],
          ]),
        )
        .catch((e: unknown) => e),
    );
    expect(error).toBeInstanceOf(DatabaseError);
    expect((error as Error).message).toMatch(/odd_load_data.*short/);
    expect((error as Error).message).not.toContain('far-too-long');
    expect(checksums(odd.name, ['odd_load_data'])).toEqual(before);
  });

  it.each(methods)('rejects a duplicate key with %s instead of skipping the row', async (method) => {
    const dialect = await open(odd.url, method);
    const table = findTable(await dialect.introspect(), 'odd_load_data')!;
    await withLoad(dialect, [table], async (loader) => {
      const write = loader.write(
        { table, columns: ['id', 'txt'] },
        batchesOf([
          [7, 'secret-a'],
          [7, 'secret-b'],
        ]),
      );
      // INSERTs into the empty shadow are bulk-loaded: MariaDB finds the duplicate at COMMIT.
      const expected =
        method === 'insert'
          ? /`odd_load_data`: a primary or unique key is duplicated/
          : /Duplicate entry '…' for key 'PRIMARY'/;
      await expect(write).rejects.toThrow(expected);
      await expect(write).rejects.not.toThrow(/secret-/);
    });
  });

  it.each(methods)('passes a failure upstream through with %s and keeps the old rows', async (method) => {
    const dialect = await open(odd.url, method);
    const table = findTable(await dialect.introspect(), 'odd_load_data')!;
    const before = checksums(odd.name, ['odd_load_data']);
    const failing = async function* (): AsyncIterable<Batch> {
      yield [[200, 'x']];
      throw new Error('masking failed');
    };
    await withLoad(dialect, [table], async (loader) => {
      await expect(loader.write({ table, columns: ['id', 'txt'] }, failing())).rejects.toThrow('masking failed');
    });
    expect(checksums(odd.name, ['odd_load_data'])).toEqual(before);
  });

  it('reads from one point in time', async () => {
    const dialect = await open(odd.url);
    const snap = findTable(await dialect.introspect(), 'snap')!;
    const reader = await dialect.openSnapshot();
    mysql(odd.name, ['-e', 'INSERT INTO snap VALUES (1), (2)']);
    const seen: Row[] = [];
    for await (const batch of reader.read({ table: snap, columns: ['id'] })) seen.push(...batch);
    await reader.close();
    expect(seen).toEqual([]);
    expect(await readAll(dialect, snap, ['id'])).toEqual([[1], [2]]);
  });
});
