/**
 * `masque run --resume` on each engine, through the CLI as a process: after a kill mid-way it
 * reuses the tables the dead run staged (seen in the JSON events) and ends exactly where an
 * uninterrupted run ends; when the source changed in between it says so and starts over.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  mariadb,
  postgres,
  sqlite,
  generatedRules,
  type GeneratedDb,
  type GeneratedEngine,
} from './support/generated-db.ts';
import { runToEnd, spawnCli, type CliEvent } from './support/spawn-cli.ts';

const rules = generatedRules;
const sizes = { customer: 20_000, orders: 60_000, item: 240_000 };
const done = (events: CliEvent[]) =>
  events
    .filter((e) => e.type === 'table-done')
    .map((e) => `${e.summary.table.replace(/^public\./, '')}${e.summary.resumed ? ' (resumed)' : ''}`);
const notes = (events: CliEvent[]) =>
  events.filter((e) => e.type === 'warning' && e.problem.subject === 'resume').map((e) => e.problem.message);

describe.each([postgres, mariadb, sqlite])('--resume on $name', (engine: GeneratedEngine) => {
  let source: GeneratedDb;
  let target: GeneratedDb;
  let env: Record<string, string>;
  const args = (...extra: string[]) => ['run', '--config', rules, '--log', 'json', ...extra];

  /** Starts a run and kills it (SIGKILL) as soon as `orders` is staged: customer and orders are done, item is not. */
  async function killAfterOrders(): Promise<void> {
    const cli = spawnCli(args(), env);
    await cli.waitFor((e) => e.type === 'table-done' && e.summary.table.endsWith('orders'));
    cli.child.kill('SIGKILL');
    await cli.exited;
    expect(done(cli.events)).toEqual(['customer', 'orders']);
  }

  beforeAll(async () => {
    [source, target] = await Promise.all([engine.create('resume_src', sizes), engine.create('resume_dst')]);
    env = { MASQUE_SOURCE_URL: source.url, MASQUE_TARGET_URL: target.url, MASQUE_SECRET: 'resume-secret' };
  });
  afterAll(async () => {
    await Promise.all([source?.drop(), target?.drop()]);
  }, 600_000);

  it('reuses what a killed run staged, and ends equal to an uninterrupted run', async () => {
    await killAfterOrders();
    expect(await target.view()).toBe('0: 0: 0:');

    const resumed = await runToEnd(args('--resume'), env);
    expect(resumed.stderr).toBe('');
    expect(resumed.code).toBe(0);
    expect(notes(resumed.events)).toEqual(['resuming: reusing the 2 table(s) the interrupted run staged']);
    expect(done(resumed.events)).toEqual(['customer (resumed)', 'orders (resumed)', 'item']);
    // The reused tables were not read again: only item's rows went through masking.
    expect(resumed.events.filter((e) => e.type === 'table-progress').every((e) => e.table.endsWith('item'))).toBe(true);
    const afterResume = target.checksums();
    expect(target.leftovers()).toEqual([]);

    const uninterrupted = await runToEnd(args(), env);
    expect(uninterrupted.code).toBe(0);
    expect(done(uninterrupted.events)).toEqual(['customer', 'orders', 'item']);
    expect(target.checksums()).toEqual(afterResume);
    expect(afterResume.customer).toMatch(/^20000 /);
  });

  it('starts over, saying why, when the source changed since the killed run', async () => {
    await killAfterOrders();
    source.setGeneration(2);
    const resumed = await runToEnd(args('--resume'), env);
    expect(resumed.code).toBe(0);
    expect(notes(resumed.events)).toEqual([
      'cannot resume: the source changed since the interrupted run; starting over',
    ]);
    expect(done(resumed.events)).toEqual(['customer', 'orders', 'item']);
    expect(await target.view()).toBe('20000:2 60000:2 240000:2');
    expect(target.leftovers()).toEqual([]);
  });

  it('starts over when the secret changed, and says there is nothing to resume when nothing was left', async () => {
    await killAfterOrders();
    const otherSecret = await runToEnd(args('--resume'), { ...env, MASQUE_SECRET: 'another-secret' });
    expect(otherSecret.code).toBe(0);
    expect(notes(otherSecret.events)).toEqual([
      expect.stringMatching(
        /^cannot resume: the rules, the secret, .* changed since the interrupted run; starting over$/,
      ),
    ]);
    expect(done(otherSecret.events)).toEqual(['customer', 'orders', 'item']);

    const nothing = await runToEnd(args('--resume'), env);
    expect(nothing.code).toBe(0);
    expect(notes(nothing.events)).toEqual([
      'nothing to resume: no interrupted run left staged tables; starting from the beginning',
    ]);
  });

  it('SIGTERM stops the run cleanly: exit 3, one line, staging untouched, lock released, staged tables kept for --resume', async () => {
    const before = target.checksums();
    const cli = spawnCli(args(), env);
    await cli.waitFor((e) => e.type === 'table-done' && e.summary.table.endsWith('orders'));
    cli.child.kill('SIGTERM');
    expect((await cli.exited).code).toBe(3);
    expect(cli.stderr()).toBe(
      'masque: interrupted by SIGTERM: the target is unchanged; 2 staged table(s) kept for `masque run --resume`\n',
    );
    expect(cli.events.at(-1)).toMatchObject({ type: 'failed', exitCode: 3 });
    expect(target.checksums()).toEqual(before);

    // The lock is free at once, and the staged tables are there to reuse.
    const resumed = await runToEnd(args('--resume'), env);
    expect(resumed.code).toBe(0);
    expect(done(resumed.events)).toEqual(['customer (resumed)', 'orders (resumed)', 'item']);
  });
});
