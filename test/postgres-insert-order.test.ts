/**
 * The order rows move into a PostgreSQL table in (`insertOrder`): its first plain B-tree
 * secondary index, unique ones first, read from the real catalogue.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connectPostgres } from '../packages/core/src/dialects/postgres/postgres-driver.ts';
import { insertOrder } from '../packages/core/src/dialects/postgres/postgres-insert-order.ts';
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

describe('insertOrder', () => {
  let db: TestDatabase;
  let client: Awaited<ReturnType<typeof connectPostgres>>;

  beforeAll(async () => {
    db = await createPgDatabase('insert_order');
    psql(db.name, [
      '-c',
      `
      CREATE TABLE person (id int PRIMARY KEY, "Last name" text, email text, code text, born date);
      CREATE INDEX person_born ON person (born);
      CREATE UNIQUE INDEX person_lower_email ON person (lower(email));
      CREATE UNIQUE INDEX person_code_live ON person (code) WHERE born IS NOT NULL;
      CREATE UNIQUE INDEX person_name_email ON person ("Last name", email);
      CREATE TABLE tag (id int PRIMARY KEY, label text);
      CREATE INDEX tag_label_hash ON tag USING hash (label);`,
    ]);
    client = await connectPostgres(db.url);
  });

  afterAll(async () => {
    await client?.end();
    await db?.drop();
  });

  it('takes a unique index before a plain one, and skips expression and partial indexes', async () => {
    expect(await insertOrder(client, table('person'), ['id', 'Last name', 'email', 'code', 'born'])).toBe(
      ' ORDER BY "Last name", "email"',
    );
  });

  it('takes the next index when the moved columns do not cover the first', async () => {
    expect(await insertOrder(client, table('person'), ['id', 'email', 'born'])).toBe(' ORDER BY "born"');
  });

  it('gives no order for a table with no B-tree secondary index', async () => {
    expect(await insertOrder(client, table('tag'), ['id', 'label'])).toBe('');
  });
});
