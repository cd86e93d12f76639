/**
 * The foreign-key check of PostgreSQL's cut-over, on the real server: keys read from the catalogue
 * with their columns in order, orphans counted as MATCH SIMPLE, and counted in the relations a
 * staged load names (its shadows) instead of the tables when asked.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connectPostgres } from '../packages/core/src/dialects/postgres/postgres-driver.ts';
import { brokenKeys, foreignKeysOf } from '../packages/core/src/dialects/postgres/postgres-foreign-keys.ts';
import type { TableInfo } from '../packages/core/src/dialects/schema.ts';
import { createPgDatabase, psql, type TestDatabase } from './support/databases.ts';

const table = (name: string): TableInfo => ({
  name: `public.${name}`,
  schema: 'public',
  table: name,
  columns: [],
  primaryKey: [],
  uniqueKeys: [],
  foreignKeys: [],
});

let db: TestDatabase;
let client: Awaited<ReturnType<typeof connectPostgres>>;
beforeAll(async () => {
  db = await createPgDatabase('fk_check');
  psql(
    db.name,
    [],
    `
    CREATE TABLE pair (a int, b int, PRIMARY KEY (b, a));
    CREATE TABLE pair_ref (id int PRIMARY KEY, x int, y int, FOREIGN KEY (y, x) REFERENCES pair (b, a));
    INSERT INTO pair VALUES (1, 1), (1, 2);
    INSERT INTO pair_ref VALUES (1, 1, 1), (2, 1, 2), (3, 9, NULL), (4, NULL, NULL);
    -- Stand-ins for shadows: same columns, other rows, no constraints.
    CREATE SCHEMA stage;
    CREATE TABLE stage.pair (a int, b int);
    CREATE TABLE stage.pair_ref (id int, x int, y int);
    INSERT INTO stage.pair VALUES (1, 1);
    INSERT INTO stage.pair_ref VALUES (1, 1, 1), (2, 1, 2), (3, 2, 1), (4, 5, NULL);`,
  );
  client = await connectPostgres(db.url);
});
afterAll(async () => {
  await client?.end();
  await db?.drop();
});

describe('PostgreSQL foreign-key check', () => {
  it('reads a composite key with its columns paired in declaration order', async () => {
    const keys = await foreignKeysOf(client, [table('pair')]);
    expect(
      keys.map(({ name, child, parent, columns, referencedColumns }) => ({
        name,
        child,
        parent,
        columns,
        referencedColumns,
      })),
    ).toEqual([
      {
        name: 'pair_ref_y_x_fkey',
        child: 'public.pair_ref',
        parent: 'public.pair',
        columns: ['y', 'x'],
        referencedColumns: ['b', 'a'],
      },
    ]);
  });

  it('finds nothing broken in the tables, and counts the orphans of the relations named instead', async () => {
    const keys = await foreignKeysOf(client, [table('pair_ref')]);
    expect(await brokenKeys(client, keys)).toEqual([]);
    // (1, 2) lost its parent and (2, 1) never had one; a NULL part matches anything.
    const onStage = await brokenKeys(client, keys, (name) => `stage.${name.split('.')[1]}`);
    expect(onStage).toEqual(['pair_ref_y_x_fkey (public.pair_ref → public.pair): 2 row(s) without a parent']);
  });
});
