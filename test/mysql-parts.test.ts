/**
 * MariaDB, staged: a big table is planned as key ranges, read one after another from the one
 * snapshot, and each part moves into the cut-over transaction as soon as it is staged, while the
 * next one loads. The table counts as staged (for `--resume`) only with its last part.
 */
import { randomBytes } from 'node:crypto';
import { parseRules } from '@masque/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Batch, Row } from '../packages/core/src/dialects/dialect.ts';
import { createMysqlDialect } from '../packages/core/src/dialects/mysql/mysql-dialect.ts';
import { findTable } from '../packages/core/src/dialects/schema.ts';
import { mysql, mysqlUrl, type TestDatabase } from './support/databases.ts';
import { runCollecting } from './support/run-refresh.ts';

const schema = `
  CREATE TABLE account (id BIGINT PRIMARY KEY, email VARCHAR(100) NOT NULL UNIQUE, note VARCHAR(40) NULL);
  CREATE TABLE purchase (id INT PRIMARY KEY, account_id BIGINT NOT NULL, amount INT NOT NULL,
    CONSTRAINT purchase_account FOREIGN KEY (account_id) REFERENCES account (id));`;

// 30,000 accounts whose ids leave gaps (3, 6, 9, …), so ranges split the key space, not the rows.
const data = `
  INSERT INTO account SELECT 3 * seq, CONCAT('user', seq, '@example.com'), IF(seq % 7 = 0, NULL, CONCAT('note ', seq)) FROM seq_1_to_30000;
  INSERT INTO purchase SELECT seq, 3 * (1 + seq % 30000), seq % 1000 FROM seq_1_to_12000;
  ANALYZE TABLE account, purchase;`;

const rules = (source: string, target: string): string => `
source: ${source}
target: ${target}
secret: parts-secret
tables:
  account: { columns: { id: keep, email: email, note: scramble } }
  purchase: { columns: { id: keep, account_id: keep, amount: keep } }
`;

async function createDatabase(prefix: string): Promise<TestDatabase> {
  const name = `masque_${prefix}_${randomBytes(4).toString('hex')}`;
  mysql(undefined, ['-e', `CREATE DATABASE \`${name}\``]);
  mysql(name, [], schema);
  return {
    name,
    url: mysqlUrl(name),
    drop: async () => void mysql(undefined, ['-e', `DROP DATABASE IF EXISTS \`${name}\``]),
  };
}

const checksum = (db: TestDatabase): string =>
  mysql(db.name, ['-e', 'CHECKSUM TABLE account, purchase']).replaceAll(db.name, 'db');
const count = (db: TestDatabase, sql: string): number => Number(mysql(db.name, ['-e', sql]).trim());
const stagingTables = (db: TestDatabase): number =>
  count(
    db,
    `SELECT COUNT(*) FROM information_schema.TABLES WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME LIKE '\\_masque\\_%'`,
  );

describe('MariaDB: a big table staged in key ranges', () => {
  let source: TestDatabase;
  let target: TestDatabase;
  let whole: string;

  const run = (options: { mode?: 'staged' | 'direct'; resume?: boolean; stopAfter?: string } = {}) =>
    runCollecting({
      rules: parseRules(rules(source.url, target.url), 'parts.yaml', {}),
      unitRows: 4000,
      mode: options.mode ?? 'staged',
      resume: options.resume ?? false,
      stopAfter: options.stopAfter,
    });

  beforeAll(async () => {
    source = await createDatabase('parts_src');
    target = await createDatabase('parts_dst');
    mysql(source.name, [], data);
    // The reference: one transaction, no table split.
    await run({ mode: 'direct' });
    whole = checksum(target);
  }, 120_000);

  afterAll(async () => {
    await target?.drop();
    await source?.drop();
  });

  it('moves each part into the cut-over as it is staged, and records the table only with its last part', async () => {
    mysql(target.name, ['-e', 'SET FOREIGN_KEY_CHECKS = 0; TRUNCATE purchase; TRUNCATE account;']);
    const dialect = await createMysqlDialect(target.url);
    try {
      const account = findTable(await dialect.introspect(), 'account')!;
      const loader = await dialect.beginLoad([account]);
      const rows = (from: number, to: number): Row[] =>
        Array.from({ length: to - from }, (_, i) => [from + i, `p${from + i}@example.com`, null]);
      async function* batches(list: Row[]): AsyncIterable<Batch> {
        yield list;
      }
      const write = (index: number, range: { from?: bigint; to?: bigint }, list: Row[]) =>
        loader.write(
          {
            table: account,
            columns: ['id', 'email', 'note'],
            part: { index, count: 2, range: { column: 'id', ...range } },
          },
          batches(list),
        );
      // What the open cut-over transaction has written so far, and the progress rows.
      const dirty = () =>
        Number(
          mysql(target.name, [
            '-e',
            'SET SESSION TRANSACTION ISOLATION LEVEL READ UNCOMMITTED; SELECT COUNT(*) FROM account',
          ]).trim(),
        );
      const progress = () => count(target, 'SELECT COUNT(*) FROM _masque_progress');

      expect(await write(0, { to: 100n }, rows(1, 100))).toBe(99);
      await expect.poll(dirty).toBe(99);
      expect(progress()).toBe(0);
      expect(await write(1, { from: 100n }, rows(100, 150))).toBe(50);
      expect(mysql(target.name, ['-e', 'SELECT table_name, row_count FROM _masque_progress'])).toBe('account\t149\n');
      await expect.poll(dirty).toBe(149);
      await loader.commit();
      expect(count(target, 'SELECT COUNT(*) FROM account')).toBe(149);
      expect(stagingTables(target)).toBe(0);
    } finally {
      await dialect.close();
    }
  }, 120_000);

  it('loads in parts what one whole-table transaction loads', async () => {
    mysql(target.name, ['-e', 'SET FOREIGN_KEY_CHECKS = 0; TRUNCATE purchase; TRUNCATE account;']);
    const { summary, events } = await run();
    expect(checksum(target)).toBe(whole);
    expect(summary.tables.map((t) => [t.table, t.rows])).toEqual([
      ['account', 30000],
      ['purchase', 12000],
    ]);
    expect(events.filter((e) => e.type === 'table-done')).toHaveLength(2);
    expect(stagingTables(target)).toBe(0);
  }, 120_000);

  it('a table staged in parts is reused whole by --resume', async () => {
    mysql(target.name, ['-e', 'SET FOREIGN_KEY_CHECKS = 0; TRUNCATE purchase; TRUNCATE account;']);
    await expect(run({ stopAfter: 'account' })).rejects.toThrow();
    expect(mysql(target.name, ['-e', 'SELECT table_name, row_count FROM _masque_progress'])).toBe('account\t30000\n');
    expect(count(target, 'SELECT (SELECT COUNT(*) FROM account) + (SELECT COUNT(*) FROM purchase)')).toBe(0);

    const { summary } = await run({ resume: true });
    expect(summary.tables.find((t) => t.table === 'account')).toMatchObject({ rows: 30000, resumed: true });
    expect(checksum(target)).toBe(whole);
    expect(stagingTables(target)).toBe(0);
  }, 120_000);
});
