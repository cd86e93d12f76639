/**
 * `SnapshotReader.readByKeys` and `countRows` on PostgreSQL, MariaDB and SQLite (the subset's
 * lookups, dialects/<engine>/<engine>-key-lookup.ts): keys with quotes, backslashes, braces,
 * commas, empty strings and non-ASCII text, composite keys of text and integer, keys read back
 * exactly as the reader gave them; the table's `where` and `when:` conditions apply; the rows come
 * from the snapshot, not from later writes.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDialect, type Row, type SnapshotReader, type TableInfo } from '@masque/core';
import { createScratchDb, type EngineName, type ScratchDb } from './support/scratch-db.ts';

const nasty = ["o'brien", 'back\\slash', 'say "hi"', '{a,b}', 'comma, space', '', 'Zoë €', 'NULL', ' lead'];
const ddl = `
  CREATE TABLE person (name VARCHAR(40) PRIMARY KEY, n INT NOT NULL);
  CREATE TABLE visit (name VARCHAR(40) NOT NULL, day INT NOT NULL, note VARCHAR(40), PRIMARY KEY (name, day));`;
const quote = (text: string) => `'${text.replaceAll("'", "''")}'`;
const fill = (backslash: (text: string) => string) => `
  INSERT INTO person (name, n) VALUES ${nasty.map((name, i) => `(${backslash(quote(name))}, ${i})`).join(', ')};
  INSERT INTO visit (name, day, note) VALUES ${nasty
    .flatMap((name, i) => [1, 2, 3].map((day) => `(${backslash(quote(name))}, ${day}, 'note ${i}.${day}')`))
    .join(', ')};`;

describe.each(['postgres', 'mysql', 'sqlite'] as EngineName[])('key lookups on %s', (engine) => {
  let db: ScratchDb;
  let reader: SnapshotReader;
  let close: () => Promise<void>;
  let person: TableInfo;
  let visit: TableInfo;
  const rows = async (batches: AsyncIterable<Row[]>) => {
    const all: Row[] = [];
    for await (const batch of batches) all.push(...batch);
    return all
      .map((r) => r.map((v) => (v === null ? null : String(v))))
      .sort((a, b) => (String(a) < String(b) ? -1 : 1));
  };

  beforeAll(async () => {
    db = await createScratchDb(engine, 'lookup', ddl);
    // MariaDB reads a backslash in a literal as an escape: double it there.
    await db.exec(fill(engine === 'mysql' ? (text) => text.replaceAll('\\', '\\\\') : (text) => text));
    const dialect = await openDialect(db.url);
    const schema = await dialect.introspect();
    person = schema.tables.find((t) => t.table === 'person')!;
    visit = schema.tables.find((t) => t.table === 'visit')!;
    reader = await dialect.openSnapshot();
    close = async () => {
      await reader.close();
      await dialect.close();
    };
  });
  afterAll(async () => {
    await close?.();
    await db?.drop();
  });

  it('finds every key, however odd its text, and only those', async () => {
    const all = await rows(reader.read({ table: person, columns: ['name', 'n'] }));
    expect(all.map((r) => r[0]).sort()).toEqual([...nasty].sort());
    // Keys as the reader gave them: the subset looks rows up by what it read.
    const keys = all.filter((_, i) => i % 2 === 0).map((r) => [r[0]] as Row);
    const found = await rows(reader.readByKeys!({ table: person, columns: ['name', 'n'], keyColumns: ['name'], keys }));
    expect(found).toEqual(all.filter((_, i) => i % 2 === 0));
  });

  it('finds composite keys, with the where and the conditions of a read', async () => {
    const keys: Row[] = [
      ["o'brien", 2],
      ['{a,b}', 3],
      ['', 1],
      ['Zoë €', 2],
      ['nobody', 1],
    ];
    const found = await rows(
      reader.readByKeys!({
        table: visit,
        columns: ['name', 'day', 'note'],
        keyColumns: ['name', 'day'],
        keys,
        where: 'day > 1',
        conditions: ['day = 3'],
      }),
    );
    const holds = engine === 'postgres' ? ['t', 'f'] : ['1', '0'];
    expect(found).toEqual(
      [
        ["o'brien", '2', 'note 0.2', holds[1]],
        ['Zoë €', '2', 'note 6.2', holds[1]],
        ['{a,b}', '3', 'note 3.3', holds[0]],
      ].sort((a, b) => (String(a) < String(b) ? -1 : 1)),
    );
  });

  it('reads the snapshot: rows written since are neither found nor counted', async () => {
    await db.exec(`INSERT INTO person (name, n) VALUES ('later', 99)`);
    const found = await rows(
      reader.readByKeys!({ table: person, columns: ['n'], keyColumns: ['name'], keys: [['later'], ['NULL']] }),
    );
    expect(found).toEqual([['7']]);
    expect(await reader.countRows!(person)).toBe(nasty.length);
    expect(await reader.countRows!(visit)).toBe(3 * nasty.length);
  });
});
