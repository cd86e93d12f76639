/**
 * `masque run --shards 3` on PostgreSQL, local processes standing in for the pods of an Indexed
 * Job: the target equals what one process makes, table by table; every shard stages units of its
 * own; a shard killed for good loses only its lease; a killed shard 0 ends the run everywhere with
 * the target unchanged; shards wait for the plan, and have nothing to do after the cut-over.
 */
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createPgDatabase, pgAdmin, psql, type TestDatabase } from './support/databases.ts';
import { eventWithin, rulesFile, stagedUnits, startShard, tableChecksums, unitName } from './support/shard-run.ts';
import { runToEnd } from './support/spawn-cli.ts';

const schema = `
  CREATE TABLE account (id bigint PRIMARY KEY, email text NOT NULL UNIQUE, code text UNIQUE, note varchar(40));
  CREATE TABLE purchase (id int PRIMARY KEY, account_id bigint NOT NULL REFERENCES account (id),
    amount int NOT NULL, memo text);
  CREATE INDEX purchase_account ON purchase (account_id);
  CREATE TABLE audit (id int PRIMARY KEY, message text);`;

// Ids with gaps, so ranges split the key space; memo makes a unit take a moment to stage.
const data = `
  INSERT INTO account SELECT 3 * g, 'user' || g || '@example.com', 'c' || g,
    CASE WHEN g % 7 = 0 THEN NULL ELSE 'note ' || g END FROM generate_series(1, 60000) g;
  INSERT INTO purchase SELECT g, 3 * (1 + g % 60000), g % 1000, repeat(md5(g::text), 3) FROM generate_series(1, 240000) g;
  INSERT INTO audit SELECT g, 'audit ' || g FROM generate_series(1, 500) g;
  ANALYZE account; ANALYZE purchase; ANALYZE audit;`;

// code: 5 hex digits for 60,000 values, so about 1,700 collide and shard 0's repairs matter.
const rules = (source: string, target: string): string => `
source: ${source}
target: ${target}
secret: shard-secret
tables:
  account: { columns: { id: keep, email: email, code: { transform: hash, length: 5 }, note: scramble } }
  purchase: { columns: { id: keep, account_id: keep, amount: keep, memo: scramble } }
  audit: skip
`;

// 10,000-row units: account in 6 parts, purchase in 24.
const flags = { shards: 3, unitRows: 10_000, lease: 2, planWait: 60 };

describe('one refresh over three shards (PostgreSQL)', () => {
  let source: TestDatabase;
  let target: TestDatabase;
  let config: string;
  let reference: Record<string, string>;
  const emptyTarget = () => psql(target.name, ['-c', 'TRUNCATE purchase, account, audit']);

  beforeAll(async () => {
    source = await createPgDatabase('shards_src');
    target = await createPgDatabase('shards_dst');
    psql(source.name, ['-c', schema + data]);
    psql(target.name, ['-c', `${schema} INSERT INTO audit VALUES (1, 'old');`]);
    config = rulesFile(rules(source.url, target.url));
    // The reference: one process, no shards.
    const one = await runToEnd(['run', '--config', config, '--log', 'json'], {});
    expect(one.code, one.stderr).toBe(0);
    reference = tableChecksums(target.name);
    expect(reference.account).toMatch(/^60000:/);
    expect(reference.purchase).toMatch(/^240000:/);
    expect(reference.audit).toMatch(/^0:/);
  }, 180_000);

  afterAll(async () => {
    await target?.drop();
    await source?.drop();
  });

  it('waits for the plan, gives the target one process gives it, and every shard stages units of its own', async () => {
    emptyTarget();
    // Shards 1 and 2 start first: they wait for shard 0's plan.
    const workers = [1, 2].map((i) => startShard(config, i, flags));
    for (const worker of workers) await eventWithin(worker, (e) => e.type === 'shard-waiting', 30_000);
    const reportFile = join(mkdtempSync(join(tmpdir(), 'masque-shards-')), 'report.json');
    const coordinator = startShard(config, 0, { ...flags, extra: ['--report', reportFile] });
    const shards = [coordinator, ...workers];
    const exits = await Promise.all(shards.map((s) => s.exited));
    expect(
      exits.map((e) => e.code),
      shards.map((s) => s.stderr()).join('\n'),
    ).toEqual([0, 0, 0]);
    expect(tableChecksums(target.name)).toEqual(reference);

    // Every line says which shard wrote it; each shard staged units, no unit twice.
    const staged = shards.map((s) => stagedUnits(s.events));
    shards.forEach((s, i) => {
      expect(s.events.every((e) => e.shard === i)).toBe(true);
      expect(staged[i]!.length, `shard ${i} staged no unit`).toBeGreaterThan(0);
    });
    const all = staged.flat();
    expect(new Set(all).size).toBe(all.length);
    expect(all.length).toBe(30);
    // Shard 0 scanned the unique columns and repaired collisions; the others used its repairs.
    const code = coordinator.events.find((e) => e.type === 'unique' && e.column === 'code');
    expect(code?.repaired).toBeGreaterThan(1000);
    expect(workers.every((w) => !w.events.some((e) => e.type === 'unique'))).toBe(true);
    // Shard 0's report covers the whole run; a worker's, its own units.
    const report = JSON.parse(readFileSync(reportFile, 'utf8'));
    expect(report).toMatchObject({ status: 'ok', rows: 300_000 });
    expect(report.tables.map((t: { table: string; rows: number }) => [t.table, t.rows])).toEqual([
      ['public.audit', 0],
      ['public.account', 60_000],
      ['public.purchase', 240_000],
    ]);
    const own = (i: number) =>
      shards[i]!.events.filter((e) => e.type === 'unit-staged').reduce((n, e) => n + e.rows, 0);
    expect(workers[0]!.events.at(-1)).toMatchObject({ type: 'done', summary: { rows: own(1) } });

    // A shard that starts after the cut-over waits for a new plan, then has nothing to do.
    const late = startShard(config, 2, { ...flags, planWait: 3 });
    expect((await late.exited).code, late.stderr()).toBe(0);
    expect(late.events.some((e) => e.type === 'warning' && /has finished/.test(e.problem.message))).toBe(true);
    expect(stagedUnits(late.events)).toEqual([]);
  });

  it('takes over the units of a shard killed for good once its lease runs out', async () => {
    emptyTarget();
    const workers = [1, 2].map((i) => startShard(config, i, flags));
    for (const worker of workers) await eventWithin(worker, (e) => e.type === 'shard-waiting', 30_000);
    const coordinator = startShard(config, 0, flags);
    const victim = workers[1]!;
    const claimed = await eventWithin(victim, (e) => e.type === 'unit-claimed', 60_000);
    victim.child.kill('SIGKILL');
    const [zero, one, dead] = await Promise.all([coordinator.exited, workers[0]!.exited, victim.exited]);
    expect([zero.code, one.code, dead.signal], coordinator.stderr() + workers[0]!.stderr()).toEqual([0, 0, 'SIGKILL']);
    expect(tableChecksums(target.name)).toEqual(reference);
    // Its unit was claimed again by a live shard (a second attempt) and staged there.
    const survivors = [coordinator, workers[0]!];
    const retaken = survivors.flatMap((s) =>
      s.events.filter((e) => e.type === 'unit-claimed' && unitName(e) === unitName(claimed)),
    );
    expect(retaken.map((e) => e.attempt)).toContain(2);
    expect(survivors.flatMap((s) => stagedUnits(s.events))).toContain(unitName(claimed));
    expect(stagedUnits(victim.events)).not.toContain(unitName(claimed));
  });

  it('stops every shard with exit 3 when shard 0 is killed, leaves the target as it was, and runs again', async () => {
    emptyTarget();
    psql(target.name, ['-c', "INSERT INTO audit VALUES (7, 'before')"]);
    const before = tableChecksums(target.name);
    const workers = [1, 2].map((i) => startShard(config, i, flags));
    for (const worker of workers) await eventWithin(worker, (e) => e.type === 'shard-waiting', 30_000);
    const coordinator = startShard(config, 0, flags);
    // Mid-run: some units staged, by any shard.
    await Promise.any(workers.map((w) => eventWithin(w, (e) => e.type === 'unit-staged', 60_000)));
    coordinator.child.kill('SIGKILL');
    const exits = await Promise.all(workers.map((w) => w.exited));
    expect(exits.map((e) => e.code)).toEqual([3, 3]);
    for (const worker of workers) expect(worker.stderr()).toMatch(/shard 0 \(the coordinator\) stopped/);
    expect(tableChecksums(target.name)).toEqual(before);

    // The restarted Job: all three again, resuming what the dead run staged where it can.
    const again = [0, 1, 2].map((i) => startShard(config, i, { ...flags, extra: ['--resume'] }));
    const codes = await Promise.all(again.map((s) => s.exited));
    expect(
      codes.map((c) => c.code),
      again.map((s) => s.stderr()).join('\n'),
    ).toEqual([0, 0, 0]);
    expect(tableChecksums(target.name)).toEqual(reference);
  });

  it('moves units into the cut-over as they are staged when the target role may switch triggers off', async () => {
    // As the superuser, session_replication_role = replica: the cut-over opens early and takes
    // each unit the shards stage the moment shard 0 sees it, parts of split tables by their children.
    const superTarget = await createPgDatabase('shards_su');
    try {
      psql(superTarget.name, ['-c', schema]);
      const url = superTarget.url.replace(/\/\/[^@]+@/, `//${pgAdmin}@`);
      const su = rulesFile(rules(source.url, url));
      const shards = [0, 1, 2].map((i) => startShard(su, i, flags));
      const exits = await Promise.all(shards.map((s) => s.exited));
      expect(
        exits.map((e) => e.code),
        shards.map((s) => s.stderr()).join('\n'),
      ).toEqual([0, 0, 0]);
      expect(tableChecksums(superTarget.name)).toEqual(reference);
    } finally {
      await superTarget.drop();
    }
  });
});
