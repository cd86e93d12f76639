/**
 * PostgreSQL's staging area as an older release left it: its progress table (`rows`, no column
 * list) is not this release's, so nothing in it is reused, and a staged load starts afresh.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createPostgresDialect } from '../packages/core/src/dialects/postgres/postgres-dialect.ts';
import type { Dialect } from '../packages/core/src/dialects/dialect.ts';
import { createPgDatabase, psql, type TestDatabase } from './support/databases.ts';

let db: TestDatabase;
let dialect: Dialect;
beforeAll(async () => {
  db = await createPgDatabase('old_staging');
  psql(
    db.name,
    [],
    `
    CREATE TABLE item (id int PRIMARY KEY, name text);
    INSERT INTO item VALUES (1, 'old');
    CREATE SCHEMA masque_shadow;
    CREATE UNLOGGED TABLE masque_shadow."public.item" (id int, name text);
    INSERT INTO masque_shadow."public.item" VALUES (7, 'staged by an older release');
    CREATE UNLOGGED TABLE masque_shadow.progress (
      table_name text PRIMARY KEY, rows bigint NOT NULL, run_id text NOT NULL, rules_fingerprint text NOT NULL,
      source_fingerprint text NOT NULL, finished_at timestamptz NOT NULL DEFAULT clock_timestamp());
    INSERT INTO masque_shadow.progress (table_name, rows, run_id, rules_fingerprint, source_fingerprint)
      VALUES ('public.item', 1, 'old-run', 'rules', 'source');`,
  );
  dialect = await createPostgresDialect(db.url);
});
afterAll(async () => {
  await dialect?.close();
  await db?.drop();
});

describe('PostgreSQL staging area of an older release', () => {
  it('reuses nothing from it, and a staged load replaces it and commits', async () => {
    const tables = (await dialect.introspect()).tables;
    const offered: string[][] = [];
    const loader = await dialect.beginLoad(tables, {
      reuse: (staged) => {
        offered.push(staged.map((s) => s.table));
        return new Set(staged.map((s) => s.table));
      },
    });
    expect(offered).toEqual([[]]);
    expect([...loader.reused]).toEqual([]);
    const rows = await loader.write(
      { table: tables[0]!, columns: ['id', 'name'] },
      (async function* () {
        yield [['2', 'new']];
      })(),
    );
    expect(rows).toBe(1);
    await loader.commit();
    expect(psql(db.name, ['-c', 'SELECT id, name FROM item']).trim()).toBe('2|new');
    expect(psql(db.name, ['-c', "SELECT count(*) FROM pg_namespace WHERE nspname = 'masque_shadow'"]).trim()).toBe('0');
  });
});
