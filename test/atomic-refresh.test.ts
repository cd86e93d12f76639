/**
 * All or nothing, on each engine, through the CLI as a process: `kill -9` at several moments of a
 * multi-table load leaves staging exactly as it was (checksums), the next run succeeds and leaves
 * no staging objects, and a reader polling staging during a run sees only the old or the new data,
 * never a partial table or a mix of generations.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  defaultSizes,
  mariadb,
  postgres,
  sqlite,
  generatedRules,
  type GeneratedDb,
  type GeneratedEngine,
} from './support/generated-db.ts';
import { runToEnd, spawnCli, type CliEvent, type RunningCli } from './support/spawn-cli.ts';

const rules = generatedRules;
const tableDone = (table: string) => (e: CliEvent) => e.type === 'table-done' && e.summary.table.endsWith(table);
const tableStart = (table: string) => (e: CliEvent) => e.type === 'table-start' && e.table.endsWith(table);

/**
 * Per engine, what the cut-over is: statements a server runs (a test sees them in its process
 * list, and a signal cancels them) or one synchronous call in masque's process (SQLite).
 */
const cutOver: Record<string, 'server statements' | 'in-process call'> = {
  PostgreSQL: 'server statements',
  MariaDB: 'server statements',
  SQLite: 'in-process call',
};

describe.each([postgres, mariadb, sqlite])('all or nothing on $name', (engine: GeneratedEngine) => {
  let source: GeneratedDb;
  let target: GeneratedDb;
  let env: Record<string, string>;
  const run = (...args: string[]) => spawnCli(['run', '--config', rules, '--log', 'json', ...args], env);

  /** Kills the run with SIGKILL once `moment` resolves; returns the events seen until then. */
  async function killAt(moment: (cli: RunningCli) => Promise<unknown>): Promise<CliEvent[]> {
    const cli = run();
    await moment(cli);
    cli.child.kill('SIGKILL');
    expect((await cli.exited).signal).toBe('SIGKILL');
    return cli.events;
  }

  beforeAll(async () => {
    [source, target] = await Promise.all([engine.create('atomic_src', defaultSizes), engine.create('atomic_dst')]);
    env = { MASQUE_SOURCE_URL: source.url, MASQUE_TARGET_URL: target.url, MASQUE_SECRET: 'atomic-secret' };
    const first = await runToEnd(['run', '--config', rules, '--log', 'json'], env);
    expect(first.stderr).toBe('');
    expect(first.code).toBe(0);
    source.setGeneration(2);
  });
  afterAll(async () => {
    await Promise.all([source?.drop(), target?.drop()]);
  }, 600_000);

  it('a kill after the first table, in the middle of a table or during the cut-over leaves staging as it was', async () => {
    const before = target.checksums();
    expect(before.item).toMatch(/^240000 /);

    const afterFirst = await killAt((cli) => cli.waitFor(tableDone('customer')));
    expect(target.checksums()).toEqual(before);
    expect(afterFirst.some(tableDone('orders'))).toBe(false);
    // The dead run left its staged table behind, and staging is still untouched.
    expect(target.leftovers().length).toBeGreaterThan(0);

    // Killed as soon as `item` starts: a fixed delay raced a load that may finish item (240k rows) first.
    const midTable = await killAt((cli) => cli.waitFor(tableStart('item')));
    expect(midTable.some(tableDone('item'))).toBe(false);
    expect(target.checksums()).toEqual(before);

    const duringCutOver = await killAt(async (cli) => {
      await cli.waitFor((e) => e.type === 'commit');
      if (cutOver[engine.name] === 'server statements') await waitUntil(() => target.cutOverRunning());
    });
    expect(duringCutOver.some((e) => e.type === 'done')).toBe(false);
    expect(target.checksums()).toEqual(before);
  });

  it('the next run succeeds and leaves no staging objects behind', async () => {
    const result = await runToEnd(['run', '--config', rules, '--log', 'json'], env);
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    // What the dead run left was dropped, not reused, and said so.
    expect(result.events.filter((e) => e.type === 'warning').map((e) => e.problem.message)).toEqual([
      expect.stringMatching(/^an interrupted run left \d staged table\(s\): dropped \(pass --resume to reuse them\)$/),
    ]);
    expect(target.leftovers()).toEqual([]);
    expect(await target.view()).toBe('40000:2 120000:2 240000:2');
  });

  it('a reader polling staging during a run sees the old data or the new, never a partial table or a mix', async () => {
    source.setGeneration(3);
    const old = '40000:2 120000:2 240000:2';
    const fresh = '40000:3 120000:3 240000:3';
    const cli = run();
    let running = true;
    void cli.exited.then(() => (running = false));
    const seen = new Map<string, number>();
    let slowest = 0;
    while (running) {
      const started = Date.now();
      const view = await target.view();
      slowest = Math.max(slowest, Date.now() - started);
      seen.set(view, (seen.get(view) ?? 0) + 1);
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
    expect((await cli.exited).code).toBe(0);
    seen.set(await target.view(), 1);
    expect([...seen.keys()].sort()).toEqual([old, fresh]);
    expect(seen.get(old)).toBeGreaterThan(5);
    // Readers are not made to wait for the load (TRUNCATE would block them until the commit).
    expect(slowest).toBeLessThan(3000);
  });

  it('SIGINT during the cut-over: PostgreSQL and MariaDB roll it back at once; SQLite finishes it first', async () => {
    source.setGeneration(4);
    const before = target.checksums();
    const cli = run();
    await cli.waitFor((e) => e.type === 'commit');
    if (cutOver[engine.name] === 'server statements') await waitUntil(() => target.cutOverRunning());
    cli.child.kill('SIGINT');
    const { code } = await cli.exited;
    if (cutOver[engine.name] === 'in-process call') {
      // The signal is handled once the call returns, after the commit.
      expect(code).toBe(0);
      expect(await target.view()).toBe('40000:4 120000:4 240000:4');
    } else {
      expect(code).toBe(3);
      expect(cli.stderr()).toBe(
        'masque: interrupted by SIGINT: the target is unchanged; 3 staged table(s) kept for `masque run --resume`\n',
      );
      expect(target.checksums()).toEqual(before);
    }
  });

  it('--direct also replaces everything at once and leaves no staging objects', async () => {
    source.setGeneration(5);
    const result = await runToEnd(['run', '--config', rules, '--log', 'json', '--direct'], env);
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    expect(await target.view()).toBe('40000:5 120000:5 240000:5');
    expect(target.leftovers()).toEqual([]);
  });
});

async function waitUntil(condition: () => Promise<boolean>, timeoutMs = 60_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}
