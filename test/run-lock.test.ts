/**
 * One run at a time per target, on each engine, through the CLI as processes: a second run
 * against a target being refreshed exits at once with exit code 3 and says who holds the lock,
 * or with `--wait` starts after the first one ends; a run killed with SIGKILL frees the lock.
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
import { runToEnd, spawnCli } from './support/spawn-cli.ts';

const rules = generatedRules;
const sizes = { customer: 20_000, orders: 60_000, item: 120_000 };

/** What each engine says about the holder of its lock. */
const holder: Record<string, RegExp> = {
  PostgreSQL: /\(server process \d+ \(masque from [\d.:]+, connected [0-9T:.-]+Z\) holds the advisory lock\)/,
  MariaDB: /\(connection \d+ \(from [^)]+\) holds the lock masque:masque_gen_lock_dst_\w+\)/,
  SQLite: /\(process \d+ on [^ ]+ \(since [0-9T:.-]+Z\) holds the lock file \S+\.sqlite\.masque-lock\)/,
};

describe.each([postgres, mariadb, sqlite])('one run at a time on $name', (engine: GeneratedEngine) => {
  let source: GeneratedDb;
  let target: GeneratedDb;
  let env: Record<string, string>;
  const args = (...extra: string[]) => ['run', '--config', rules, '--log', 'json', ...extra];
  const started = (e: { type: string }) => e.type === 'table-start';

  beforeAll(async () => {
    [source, target] = await Promise.all([engine.create('lock_src', sizes), engine.create('lock_dst')]);
    env = { MASQUE_SOURCE_URL: source.url, MASQUE_TARGET_URL: target.url, MASQUE_SECRET: 'lock-secret' };
  });
  afterAll(async () => {
    await Promise.all([source?.drop(), target?.drop()]);
  }, 600_000);

  it('a second run exits at once with exit code 3, naming the holder; the first one finishes', async () => {
    const first = spawnCli(args(), env);
    await first.waitFor(started);
    // Paused, the first run keeps its lock however fast it would copy: the second one meets it.
    first.child.kill('SIGSTOP');
    const second = await runToEnd(args(), env).finally(() => first.child.kill('SIGCONT'));
    expect(second.code).toBe(3);
    expect(second.stderr).toMatch(
      /^masque: another masque run is refreshing \S+ \(.*\); this run did nothing \(pass --wait SECONDS to wait for it\)\n$/,
    );
    expect(second.stderr).toMatch(holder[engine.name]!);
    expect(second.events.some(started)).toBe(false);
    expect(first.child.exitCode).toBeNull();
    expect((await first.exited).code).toBe(0);
    expect(await target.view()).toBe('20000:1 60000:1 120000:1');
  });

  it('with --wait, the second run starts after the first one has ended', async () => {
    source.setGeneration(2);
    const first = spawnCli(args(), env);
    await first.waitFor(started);
    const second = spawnCli(args('--wait', '600'), env);
    const [a, b] = await Promise.all([first.exited, second.exited]);
    expect([a.code, b.code]).toEqual([0, 0]);
    const firstDone = Date.parse(first.events.at(-1)!.time);
    const secondStart = Date.parse(second.events.find(started)!.time);
    expect(secondStart).toBeGreaterThan(firstDone);
    expect(await target.view()).toBe('20000:2 60000:2 120000:2');
  });

  it('a run killed with SIGKILL holds the lock no more', async () => {
    const killed = spawnCli(args(), env);
    await killed.waitFor(started);
    killed.child.kill('SIGKILL');
    await killed.exited;
    const next = await runToEnd(args(), env);
    expect(next.stderr).toBe('');
    expect(next.code).toBe(0);
  });
});
