/**
 * MariaDB: a staged load swaps its shadows in with one RENAME TABLE, and the target ends as its
 * migrations made it. A schema with what follows a table's identity rather than its name — keys
 * between loaded tables (CASCADE, SET NULL, NO ACTION, a self-reference, a unique key as parent),
 * a key to a table of another database, a check, a stored generated column, prefix, descending,
 * ignored and full-text indexes, partitions, comments and options, an AUTO_INCREMENT counter
 * above the copied ids, a view, a table grant — is refreshed, and every `SHOW CREATE TABLE` (the
 * counters included), every key's parent, the view and the grant are as before. A table changed
 * while masque loaded it, a duplicate of a unique key built after the load and a broken key each
 * stop the swap with the target as it was.
 */
import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { parseRules } from '@masque/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Batch, Row } from '../packages/core/src/dialects/dialect.ts';
import { createMysqlDialect } from '../packages/core/src/dialects/mysql/mysql-dialect.ts';
import { findTable } from '../packages/core/src/dialects/schema.ts';
import { mysql, mysqlAsAdmin, mysqlUrl } from './support/databases.ts';
import { runCollecting } from './support/run-refresh.ts';

const suffix = randomBytes(4).toString('hex');
const names = {
  source: `masque_swps_${suffix}`,
  target: `masque_swpt_${suffix}`,
  /** Holds the parent of a key of `child`: a database not loaded. */
  other: `masque_swpo_${suffix}`,
};
/** A user granted SELECT on one loaded table only. */
const reader = `masque_swpr_${suffix}`;
const tables = ['parent', 'child', 'part'];

const schema = (other: string) => `
CREATE TABLE parent (
  id INT NOT NULL PRIMARY KEY,
  code VARCHAR(10) NOT NULL,
  label VARCHAR(40),
  UNIQUE KEY code_u (code)
) ENGINE=InnoDB COMMENT='the parents';
CREATE TABLE child (
  id INT NOT NULL AUTO_INCREMENT PRIMARY KEY,
  parent_id INT NOT NULL COMMENT 'owner',
  parent_code VARCHAR(10),
  up_id INT,
  region_id INT,
  title VARCHAR(100),
  body TEXT,
  title_length INT AS (CHAR_LENGTH(title)) STORED,
  KEY title_prefix (title(8)) COMMENT 'prefix',
  UNIQUE KEY parent_title (parent_id, title),
  KEY up_desc (up_id DESC),
  KEY length_ignored (title_length) IGNORED,
  FULLTEXT KEY body_text (body),
  CONSTRAINT child_parent FOREIGN KEY (parent_id) REFERENCES parent (id) ON DELETE CASCADE,
  CONSTRAINT child_code FOREIGN KEY (parent_code) REFERENCES parent (code) ON UPDATE SET NULL,
  CONSTRAINT child_up FOREIGN KEY (up_id) REFERENCES child (id) ON DELETE NO ACTION,
  CONSTRAINT child_region FOREIGN KEY (region_id) REFERENCES \`${other}\`.region (id),
  CONSTRAINT title_set CHECK (title <> '')
) ENGINE=InnoDB ROW_FORMAT=DYNAMIC COMMENT='the children';
CREATE TABLE part (
  id INT NOT NULL,
  day DATE NOT NULL,
  note VARCHAR(40),
  PRIMARY KEY (id, day),
  KEY day_key (day)
) PARTITION BY RANGE (YEAR(day)) (PARTITION p_old VALUES LESS THAN (2020), PARTITION p_new VALUES LESS THAN MAXVALUE);
CREATE VIEW child_view AS SELECT c.id, c.title, p.code FROM child c JOIN parent p ON p.id = c.parent_id;
`;

const sourceRows = `
INSERT INTO parent SELECT seq, CONCAT('C', seq), CONCAT('parent ', seq) FROM seq_1_to_50;
INSERT INTO child (id, parent_id, parent_code, up_id, region_id, title, body)
  SELECT seq, 1 + seq % 50, IF(seq % 3 = 0, NULL, CONCAT('C', 1 + seq % 50)), IF(seq > 1, seq - 1, NULL),
         IF(seq % 2 = 0, 1, NULL), CONCAT('title ', seq), CONCAT('a body of text number ', seq)
  FROM seq_1_to_400;
INSERT INTO part SELECT seq, '2018-01-01' + INTERVAL seq * 5 DAY, CONCAT('note ', seq) FROM seq_1_to_500;
`;

/** The old rows: fewer, and a counter (AUTO_INCREMENT=1000) above every id the source has. */
const targetRows = `
INSERT INTO parent VALUES (1, 'OLD', 'old parent');
INSERT INTO child (id, parent_id, title, body) VALUES (999, 1, 'old child', 'old');
INSERT INTO part VALUES (1, '2019-05-05', 'old');
`;

const rules = (source: string, target: string): string => `
source: ${source}
target: ${target}
secret: swap-secret
tables:
  parent: { columns: { id: keep, code: keep, label: scramble } }
  child:
    columns: { id: keep, parent_id: keep, parent_code: keep, up_id: keep, region_id: keep, title: keep, body: scramble }
  part: { columns: { id: keep, day: keep, note: scramble } }
`;

const one = (database: string, sql: string): string => mysql(database, ['-e', sql]).trim();

/** `SHOW CREATE TABLE` of every table, as the server prints it (newlines escaped by the client). */
const definitions = (database: string): Record<string, string> =>
  Object.fromEntries(tables.map((t) => [t, one(database, `SHOW CREATE TABLE ${t}`)]));

/** Every foreign key of the database with the table it references. */
const keyParents = (database: string): string =>
  one(
    database,
    `SELECT CONSTRAINT_NAME, TABLE_NAME, UNIQUE_CONSTRAINT_SCHEMA = DATABASE(), REFERENCED_TABLE_NAME,
            UPDATE_RULE, DELETE_RULE
     FROM information_schema.REFERENTIAL_CONSTRAINTS WHERE CONSTRAINT_SCHEMA = DATABASE() ORDER BY 1`,
  );

/** When each table was made: a swapped-in table is the shadow, made during the run. */
const created = (database: string): string =>
  one(
    database,
    `SELECT GROUP_CONCAT(CREATE_TIME ORDER BY TABLE_NAME) FROM information_schema.TABLES
    WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME IN (${tables.map((t) => `'${t}'`).join(', ')})`,
  );

const checksums = (database: string): string =>
  mysql(database, ['-e', `CHECKSUM TABLE ${tables.join(', ')}`]).replaceAll(database, 'db');

const masqueTables = (database: string): string =>
  one(
    database,
    `SELECT COUNT(*) FROM information_schema.TABLES WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME LIKE '\\_masque\\_%'`,
  );

async function* batchesOf(rows: Row[]): AsyncIterable<Batch> {
  yield rows;
}

describe('MariaDB: the staged load swaps its tables in, and the target keeps its definition', () => {
  const rulesFor = (source: string, target: string) =>
    parseRules(rules(mysqlUrl(source), mysqlUrl(target)), 'swap.yaml', {});
  let before: Record<string, string>;
  let parents: string;
  let made: string;

  beforeAll(() => {
    for (const db of Object.values(names)) mysql(undefined, ['-e', `CREATE DATABASE \`${db}\` CHARACTER SET utf8mb4`]);
    for (const db of [names.source, names.target]) {
      mysql(db, [], `CREATE TABLE IF NOT EXISTS \`${names.other}\`.region (id INT PRIMARY KEY);`);
      mysql(db, [], schema(names.other));
    }
    mysql(names.other, ['-e', 'INSERT INTO region VALUES (1)']);
    mysql(names.source, [], sourceRows);
    mysql(names.target, [], targetRows);
    mysql(names.target, ['-e', 'ALTER TABLE child AUTO_INCREMENT = 1000']);
    mysqlAsAdmin(undefined, [
      '-e',
      `CREATE USER '${reader}'@'%'; GRANT SELECT ON \`${names.target}\`.child TO '${reader}'@'%';`,
    ]);
    before = definitions(names.target);
    parents = keyParents(names.target);
    made = created(names.target);
  }, 60_000);

  afterAll(() => {
    mysqlAsAdmin(undefined, [
      '-e',
      `${Object.values(names)
        .map((db) => `DROP DATABASE IF EXISTS \`${db}\`;`)
        .join(' ')} DROP USER IF EXISTS '${reader}'@'%';`,
    ]);
  });

  it('the target starts with its own definition, old rows and a counter above the source ids', () => {
    expect(before.child).toContain('AUTO_INCREMENT=1000');
    expect(before.child).toContain('CONSTRAINT `child_region` FOREIGN KEY (`region_id`) REFERENCES');
    expect(before.part).toContain('PARTITION BY RANGE');
    expect(one(names.target, 'SELECT COUNT(*) FROM child')).toBe('1');
  });

  it('swaps: the rows are the masked copy, and every definition, key, view and grant is as before', async () => {
    // CREATE_TIME counts seconds: a table made during the run must show a later one.
    await new Promise((resolve) => setTimeout(resolve, 1100));
    const { summary } = await runCollecting({ rules: rulesFor(names.source, names.target) });
    expect(created(names.target)).not.toBe(made);
    expect(summary.rows).toBe(50 + 400 + 500);
    // Counters included: the old table's 1000 was above the copied maximum (400), and stays.
    expect(definitions(names.target)).toEqual(before);
    expect(keyParents(names.target)).toBe(parents);
    expect(masqueTables(names.target)).toBe('0');
    const kept = (db: string) =>
      one(db, 'SELECT COUNT(*), SUM(CRC32(CONCAT_WS(0x1f, id, parent_id, parent_code, up_id, title))) FROM child');
    expect(kept(names.target)).toBe(kept(names.source));
    expect(one(names.target, 'SELECT COUNT(*) FROM child c JOIN child s ON s.id = c.up_id')).toBe('399');
    expect(one(names.target, "SELECT COUNT(*) FROM child WHERE body LIKE 'a body of text%'")).toBe('0');
    // The view and the grant name the table: they see the new one.
    expect(one(names.target, 'SELECT COUNT(*), MAX(id) FROM child_view')).toBe('400\t400');
    const granted = mysqlAsAdmin(undefined, [
      '-e',
      `SELECT COUNT(*) FROM information_schema.TABLE_PRIVILEGES WHERE GRANTEE = "'${reader}'@'%'" AND TABLE_NAME = 'child'`,
    ]).trim();
    expect(granted).toBe('1');
    expect(runAs(reader, names.target, 'SELECT COUNT(*) FROM child')).toBe('400');
    // The keys work on the new tables: an update of the new parent reaches the new children.
    expect(one(names.target, "SELECT COUNT(*) FROM child WHERE parent_code = 'C2'")).not.toBe('0');
    mysql(names.target, ['-e', "UPDATE parent SET code = 'Z2' WHERE id = 2"]);
    expect(one(names.target, "SELECT COUNT(*) FROM child WHERE parent_code = 'C2'")).toBe('0');
    // The next id is the old table's counter, not the copied maximum's next.
    expect(one(names.target, 'INSERT INTO child (parent_id, title) VALUES (1, "new"); SELECT LAST_INSERT_ID()')).toBe(
      '1000',
    );
    expect(() => mysql(names.target, ['-e', 'INSERT INTO child (parent_id, title) VALUES (999, "x")'])).toThrow(
      /foreign key constraint fails/,
    );
  }, 60_000);

  it('the counter follows the copied maximum when that is above the old table’s', async () => {
    mysql(names.source, ['-e', 'UPDATE child SET id = id + 5000 WHERE id = 400']);
    await runCollecting({ rules: rulesFor(names.source, names.target) });
    const counter = `SELECT AUTO_INCREMENT FROM information_schema.TABLES
      WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = 'child'`;
    expect(one(names.target, counter)).toBe('5401');
    expect(keyParents(names.target)).toBe(parents);
  }, 60_000);

  describe('stops the swap, leaving the target as it was', () => {
    async function staged(prepare: (write: (table: string, rows: Row[]) => Promise<number>) => Promise<void>) {
      const dialect = await createMysqlDialect(mysqlUrl(names.target));
      try {
        const schemaInfo = await dialect.introspect();
        const loaded = tables.map((t) => findTable(schemaInfo, t)!);
        const loader = await dialect.beginLoad(loaded);
        const write = (table: string, rows: Row[]) => {
          const info = findTable(schemaInfo, table)!;
          const columns = info.columns.filter((c) => !c.generated).map((c) => c.name);
          return loader.write({ table: info, columns }, batchesOf(rows));
        };
        try {
          await prepare(write);
          return await loader.commit().then(
            () => 'committed',
            (error: Error) => error.message,
          );
        } finally {
          await loader.rollback();
        }
      } finally {
        await dialect.close();
      }
    }
    const parentRows = (codes: string[]): Row[] => codes.map((code, i) => [i + 1, code, null]);
    const childRow: Row = [1, 1, null, null, null, 'only', 'text'];

    it('when a table changed while masque loaded it (a migration): nothing is switched', async () => {
      const rowsBefore = checksums(names.target);
      const message = await staged(async (write) => {
        await write('parent', parentRows(['A', 'B']));
        await write('child', [childRow]);
        await write('part', [[1, '2021-01-01', 'x']]);
        mysql(names.target, ['-e', 'ALTER TABLE part ADD COLUMN added INT']);
      });
      try {
        expect(message).toMatch(/^table `part` changed while masque loaded it/);
        expect(checksums(names.target)).toBe(rowsBefore);
        expect(one(names.target, 'SHOW CREATE TABLE part')).toContain('`added` int(11)');
      } finally {
        mysql(names.target, ['-e', 'ALTER TABLE part DROP COLUMN added']);
      }
      expect(definitions(names.target).part).toBe(before.part);
      expect(keyParents(names.target)).toBe(parents);
    }, 60_000);

    it('on a duplicate of a unique key the shadow builds after its load, naming the key, never the value', async () => {
      const rowsBefore = checksums(names.target);
      const message = await staged(async (write) => {
        await write('parent', parentRows(['SAME', 'SAME']));
      });
      expect(message).toMatch(/Duplicate entry '…' for key 'code_u'/);
      expect(message).not.toMatch(/SAME/);
      expect(checksums(names.target)).toBe(rowsBefore);
      expect(keyParents(names.target)).toBe(parents);
    }, 60_000);

    it('on a broken key: nothing is switched', async () => {
      const rowsBefore = checksums(names.target);
      const message = await staged(async (write) => {
        await write('parent', parentRows(['A']));
        await write('child', [[1, 7, null, null, null, 'orphan', 'text']]);
      });
      expect(message).toMatch(/broken foreign key\(s\), nothing was committed: child_parent/);
      expect(checksums(names.target)).toBe(rowsBefore);
      expect(masqueTables(names.target)).not.toBe('0');
    }, 60_000);
  });
});

describe('MariaDB: a table whose keys ALTER TABLE could not add back is moved, not swapped', () => {
  const pair = { source: `masque_swfs_${suffix}`, target: `masque_swft_${suffix}` };
  // InnoDB takes this key in CREATE TABLE but refuses it in ALTER TABLE (a CASCADE key on a base
  // column of a stored generated column): after a RENAME the table would stay without it.
  const ddl = `
    CREATE TABLE owner (id INT PRIMARY KEY);
    CREATE TABLE pet (id INT PRIMARY KEY, owner_id INT NOT NULL, twice INT AS (owner_id * 2) STORED,
      CONSTRAINT pet_owner FOREIGN KEY (owner_id) REFERENCES owner (id) ON DELETE CASCADE);`;

  beforeAll(() => {
    for (const db of Object.values(pair)) {
      mysql(undefined, ['-e', `CREATE DATABASE \`${db}\``]);
      mysql(db, [], ddl);
    }
    mysql(pair.source, [
      '-e',
      'INSERT INTO owner SELECT seq FROM seq_1_to_20; INSERT INTO pet (id, owner_id) SELECT seq, 1 + seq % 20 FROM seq_1_to_60;',
    ]);
  });

  afterAll(() => {
    mysql(undefined, [
      '-e',
      Object.values(pair)
        .map((db) => `DROP DATABASE IF EXISTS \`${db}\`;`)
        .join(' '),
    ]);
  });

  it('copies the rows and keeps the table, its key and its definition', async () => {
    const shown = one(pair.target, 'SHOW CREATE TABLE pet');
    const made = one(
      pair.target,
      "SELECT CREATE_TIME FROM information_schema.TABLES WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = 'pet'",
    );
    await new Promise((resolve) => setTimeout(resolve, 1100));
    const text = `source: ${mysqlUrl(pair.source)}\ntarget: ${mysqlUrl(pair.target)}\nsecret: s\ntables:\n  owner: { columns: { id: keep } }\n  pet: { columns: { id: keep, owner_id: keep } }\n`;
    const { summary } = await runCollecting({ rules: parseRules(text, 'pet.yaml', {}) });
    expect(summary.rows).toBe(80);
    expect(one(pair.target, 'SHOW CREATE TABLE pet')).toBe(shown);
    expect(
      one(
        pair.target,
        "SELECT CREATE_TIME FROM information_schema.TABLES WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = 'pet'",
      ),
    ).toBe(made);
    expect(masqueTables(pair.target)).toBe('0');
  }, 60_000);
});

/** The mariadb client as `user` (no password), in `database`. */
function runAs(user: string, database: string, sql: string): string {
  const host = new URL(mysqlUrl('x')).hostname;
  return execFileSync('mariadb', ['-h', host, '-u', user, '-N', '-B', '-D', database, '-e', sql], {
    encoding: 'utf8',
  }).trim();
}
