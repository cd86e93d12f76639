/**
 * `--jobs`: tables split into key ranges and copied on several connections that share the source
 * snapshot (PostgreSQL). The result must equal a one-job run row for row, in both load modes, and
 * a part that fails must leave the target exactly as it was.
 */
import { parseRules } from '@masque/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createPgDatabase, psql, type TestDatabase } from './support/databases.ts';
import { runCollecting } from './support/run-refresh.ts';

const schema = `
  CREATE TABLE account (id bigint PRIMARY KEY, email text NOT NULL UNIQUE, note varchar(40));
  CREATE TABLE purchase (id int PRIMARY KEY, account_id bigint NOT NULL REFERENCES account (id), amount int NOT NULL);`;

// 30,000 accounts whose ids leave gaps (3, 6, 9, …), so ranges split the key space, not the rows.
const data = `
  INSERT INTO account SELECT 3 * g, 'user' || g || '@example.com', CASE WHEN g % 7 = 0 THEN NULL ELSE 'note ' || g END FROM generate_series(1, 30000) g;
  INSERT INTO purchase SELECT g, 3 * (1 + g % 30000), g % 1000 FROM generate_series(1, 12000) g;
  ANALYZE;`;

const rules = (source: string, target: string): string => `
source: ${source}
target: ${target}
secret: jobs-secret
tables:
  account: { columns: { id: keep, email: email, note: scramble } }
  purchase: { columns: { id: keep, account_id: keep, amount: keep } }
`;

const checksum = (db: TestDatabase): string =>
  psql(db.name, ['-At', '-c', `SELECT md5(string_agg(a::text, ',' ORDER BY id)) FROM account a`]).trim() +
  psql(db.name, ['-At', '-c', `SELECT md5(string_agg(p::text, ',' ORDER BY id)) || count(*) FROM purchase p`]).trim();

describe('parallel jobs on PostgreSQL', () => {
  let source: TestDatabase;
  let target: TestDatabase;
  let oneJob: string;

  // `stopAfter`: the run is stopped (as by SIGTERM) once that table is staged.
  const run = (options: {
    jobs: number;
    mode?: 'staged' | 'direct';
    rulesText?: string;
    resume?: boolean;
    stopAfter?: string;
  }) =>
    runCollecting({
      rules: parseRules(options.rulesText ?? rules(source.url, target.url), 'jobs.yaml', {}),
      jobs: options.jobs,
      unitRows: 4000,
      mode: options.mode ?? 'staged',
      resume: options.resume ?? false,
      stopAfter: options.stopAfter,
    });

  beforeAll(async () => {
    source = await createPgDatabase('jobs_src');
    target = await createPgDatabase('jobs_dst');
    psql(source.name, ['-c', schema + data]);
    psql(target.name, ['-c', schema]);
    // The reference: one job, one transaction, no table split.
    await run({ jobs: 1, mode: 'direct' });
    oneJob = checksum(target);
  }, 120_000);

  afterAll(async () => {
    await target?.drop();
    await source?.drop();
  });

  it.each([
    { mode: 'staged', jobs: 3 },
    { mode: 'direct', jobs: 3 },
    // Staged, one job: the parts load one after another, each moving into the cut-over as it is done.
    { mode: 'staged', jobs: 1 },
  ] as const)(
    'splits the big table into key ranges and loads what one job loads ($mode, $jobs jobs)',
    async ({ mode, jobs }) => {
      psql(target.name, ['-c', 'TRUNCATE purchase, account']);
      const { summary, events } = await run({ jobs, mode });
      expect(checksum(target)).toBe(oneJob);
      expect(summary.tables.map((t) => [t.table, t.rows])).toEqual([
        ['public.account', 30000],
        ['public.purchase', 12000],
      ]);
      // One start and one done per table, however many parts; the unique email scanned once.
      expect(
        events
          .filter((e) => e.type === 'table-start')
          .map((e) => (e as { table: string }).table)
          .sort(),
      ).toEqual(['public.account', 'public.purchase']);
      expect(events.filter((e) => e.type === 'table-done')).toHaveLength(2);
      expect(events.filter((e) => e.type === 'unique')).toHaveLength(1);
      // The account table (30,000 rows by the estimate, 4,000 per unit) went in several parts.
      const progress = events.filter((e) => e.type === 'table-progress' && e.table === 'public.account') as {
        rows: number;
      }[];
      expect(progress.at(-1)!.rows).toBe(30000);
      expect(
        psql(target.name, ['-At', '-c', "SELECT count(*) FROM pg_namespace WHERE nspname = 'masque_shadow'"]).trim(),
      ).toBe('0');
      if (mode === 'staged') {
        // Each part moved in in email order (the unique index's): read in their physical order, the
        // rows step down once per part, plus a few dozen times where the heap put a row on an
        // earlier page with room left. In id order (random emails) it would be about 15,000 times.
        const descents = psql(target.name, [
          '-At',
          '-c',
          `SELECT count(*) FROM (SELECT email < lag(email) OVER (ORDER BY ctid) AS down FROM account) r WHERE down`,
        ]);
        expect(Number(descents)).toBeLessThan(300);
      }
    },
    120_000,
  );

  it('a part that fails stops every job and leaves the target as it was', async () => {
    const before = checksum(target);
    // JSON notes, except in the accounts past id 60,000: a late part fails while others copy.
    psql(source.name, [
      '-c',
      `UPDATE account SET note = CASE WHEN id > 60000 THEN 'not json' ELSE '{"a": "' || id || '"}' END`,
    ]);
    const jsonRules = rules(source.url, target.url).replace(
      'note: scramble',
      `note: { transform: json, paths: { '$.a': scramble } }`,
    );
    try {
      await expect(run({ jobs: 3, rulesText: jsonRules })).rejects.toThrow(
        /public\.account\.note .*json: the value is not valid JSON/,
      );
      expect(checksum(target)).toBe(before);
    } finally {
      psql(source.name, [
        '-c',
        `UPDATE account SET note = CASE WHEN id / 3 % 7 = 0 THEN NULL ELSE 'note ' || id / 3 END`,
      ]);
    }
  }, 120_000);

  it('a table the target rejects while it moves in during the load fails the run, target unchanged', async () => {
    const before = checksum(target);
    // The shadows have no constraints: the target's CHECK fails when the purchases move in.
    psql(target.name, ['-c', 'ALTER TABLE purchase ADD CONSTRAINT small_amount CHECK (amount < 900) NOT VALID']);
    try {
      await expect(run({ jobs: 2 })).rejects.toThrow(/small_amount/);
      expect(checksum(target)).toBe(before);
    } finally {
      psql(target.name, ['-c', 'ALTER TABLE purchase DROP CONSTRAINT small_amount']);
    }
  }, 120_000);

  it('a table staged in parts, each in a shadow of its own, is reused whole by --resume', async () => {
    psql(target.name, ['-c', 'TRUNCATE purchase, account']);
    await expect(run({ jobs: 1, stopAfter: 'public.account' })).rejects.toThrow();
    // Each part of the split account table was staged in a child of the table's shadow.
    const parts = psql(target.name, [
      '-At',
      '-c',
      `SELECT count(*) FROM pg_inherits WHERE inhparent = 'masque_shadow."public.account"'::regclass`,
    ]);
    expect(Number(parts)).toBeGreaterThan(3);
    expect(
      psql(target.name, [
        '-At',
        '-c',
        'SELECT (SELECT count(*) FROM account) + (SELECT count(*) FROM purchase)',
      ]).trim(),
    ).toBe('0');

    const { summary } = await run({ jobs: 1, resume: true });
    expect(summary.tables.find((t) => t.table === 'public.account')).toMatchObject({ rows: 30000, resumed: true });
    expect(checksum(target)).toBe(oneJob);
    expect(
      psql(target.name, ['-At', '-c', "SELECT count(*) FROM pg_namespace WHERE nspname = 'masque_shadow'"]).trim(),
    ).toBe('0');
  }, 120_000);
});
