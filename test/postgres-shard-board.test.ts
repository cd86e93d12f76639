/**
 * The PostgreSQL shard board on a real server, each shard a dialect of its own (its own
 * connections), as separate processes would be: claims never hand one unit to two shards, a lease
 * that runs out goes to another shard and the old token commits nothing, the plan says whether
 * shard 0 holds the run lock, and a shard finds the run finished once the cut-over dropped the plan.
 */
import { openDialect, type Batch, type Dialect } from '@masque/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { BoardUnit, ClaimedUnit, ShardBoard } from '../packages/core/src/dialects/shard-board.ts';
import { createPgDatabase, psql, type TestDatabase } from './support/databases.ts';

async function* rows(...values: number[]): AsyncIterable<Batch> {
  yield values.map((v) => [String(v), `name ${v}`]);
}

describe('the PostgreSQL shard board', () => {
  let db: TestDatabase;
  const opened: Dialect[] = [];
  const open = async (): Promise<{ dialect: Dialect; board: ShardBoard }> => {
    const dialect = await openDialect(db.url, 'target');
    opened.push(dialect);
    return { dialect, board: await dialect.shardBoard!() };
  };

  beforeAll(async () => {
    db = await createPgDatabase('shard_board');
    psql(db.name, ['-c', 'CREATE TABLE person (id int PRIMARY KEY, name text); CREATE SCHEMA masque_shadow;']);
  });

  afterAll(async () => {
    for (const dialect of opened) await dialect.close();
    await db?.drop();
  });

  const units: BoardUnit[] = [0, 1, 2].map((index) => ({
    id: index,
    table: 'public.person',
    needsRepairs: index === 2,
    part: { index, count: 3, range: { column: 'id', from: BigInt(index * 10), to: BigInt(index * 10 + 10) } },
  }));
  const header = { planId: 'plan-a', shards: 3, snapshotId: 'snap', rulesDigest: 'digest' };

  it('hands out each unit once, fences a stale lease, and follows shard 0 to the end', async () => {
    const zero = await open();
    const lock = await zero.dialect.tryLock();
    expect(lock.acquired).toBe(true);
    const person = (await zero.dialect.introspect()).tables.find((t) => t.name === 'public.person')!;
    const shadow = { table: person, columns: ['id', 'name'], parts: 3 };
    await zero.board.publish(header, units, [shadow], false);

    const one = await open();
    const two = await open();
    // Each shard reads the plan before it claims (as it waits for it).
    expect(await one.board.readPlan()).toMatchObject({ ...header, status: 'open', coordinatorAlive: true, units: 3 });
    expect((await two.board.readPlan())?.planId).toBe('plan-a');

    // Two shards claiming at once get different units; the one needing repairs waits for them.
    const [a, b] = await Promise.all([one.board.claim('plan-a', 1, 60), two.board.claim('plan-a', 2, 60)]);
    const claimed = [a, b].map((c) => (c.kind === 'unit' ? c.unit.id : -1)).sort();
    expect(claimed).toEqual([0, 1]);
    expect(await one.board.claim('plan-a', 1, 60)).toEqual({ kind: 'wait' });
    await zero.board.publishRepairs('plan-a', Buffer.from('sealed'));
    const third = await one.board.claim('plan-a', 1, 0.2);
    expect(third).toMatchObject({ kind: 'unit', unit: { id: 2, attempt: 1 } });

    // Shard 1's lease on unit 2 runs out: shard 2 takes it over; shard 1's token commits nothing.
    await new Promise((resolve) => setTimeout(resolve, 400));
    const stale = (third as { unit: ClaimedUnit }).unit;
    const taken = await two.board.claim('plan-a', 2, 60);
    expect(taken).toMatchObject({ kind: 'unit', unit: { id: 2, attempt: 2 } });
    expect(await one.board.renew(stale, 60)).toBe(false);
    expect(await one.board.stage(stale, shadow, rows(21, 22), () => 0)).toBeUndefined();
    const fresh = (taken as { unit: ClaimedUnit }).unit;
    expect(await two.board.stage(fresh, shadow, rows(21, 22, 23), () => 30)).toBe(3);
    for (const claim of [a, b]) {
      const unit = (claim as { unit: ClaimedUnit }).unit;
      expect(await one.board.stage(unit, shadow, rows(unit.id * 10 + 1), () => 10)).toBe(1);
    }
    const staged = await zero.board.staged('plan-a');
    expect(staged.map((u) => [u.id, u.rows, u.attempt])).toEqual([
      [0, 1, 1],
      [1, 1, 1],
      [2, 3, 2],
    ]);
    expect(psql(db.name, ['-c', 'SELECT count(*) FROM ONLY masque_shadow."public.person#2"']).trim()).toBe('3');
    expect(await one.board.claim('plan-a', 1, 60)).toEqual({ kind: 'all-staged' });

    // The cut-over drops the staging schema; shard 0 still holds the lock: the run is done.
    psql(db.name, ['-c', 'DROP SCHEMA masque_shadow CASCADE']);
    expect(await two.board.claim('plan-a', 2, 60)).toEqual({ kind: 'all-staged' });
    await zero.board.finish(header);
    expect(await one.board.readPlan()).toMatchObject({ planId: 'plan-a', status: 'done' });
    if (lock.acquired) await lock.release();
    expect(await one.board.claim('plan-a', 1, 60)).toEqual({ kind: 'all-staged' });
  });

  it('says shard 0 is gone when it no longer holds the run lock', async () => {
    psql(db.name, ['-c', 'DROP SCHEMA IF EXISTS masque_shadow CASCADE; CREATE SCHEMA masque_shadow']);
    const zero = await open();
    const lock = await zero.dialect.tryLock();
    const person = (await zero.dialect.introspect()).tables.find((t) => t.name === 'public.person')!;
    await zero.board.publish(
      { ...header, planId: 'plan-b' },
      units.slice(0, 1),
      [{ table: person, columns: ['id'] }],
      true,
    );
    const one = await open();
    expect((await one.board.readPlan())?.coordinatorAlive).toBe(true);
    const claim = await one.board.claim('plan-b', 1, 60);
    expect(claim.kind).toBe('unit');
    expect(await one.board.claim('plan-b', 1, 60)).toEqual({ kind: 'wait' });
    if (lock.acquired) await lock.release();
    expect((await one.board.readPlan())?.coordinatorAlive).toBe(false);
    expect(await one.board.claim('plan-b', 1, 60)).toMatchObject({
      kind: 'gone',
      reason: expect.stringMatching(/stopped/),
    });
    // Its plan dropped without a cut-over, and no shard 0: gone, not done.
    psql(db.name, ['-c', 'DROP SCHEMA masque_shadow CASCADE']);
    expect(await one.board.claim('plan-b', 1, 60)).toMatchObject({ kind: 'gone' });
  });
});
