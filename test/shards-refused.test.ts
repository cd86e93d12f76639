/**
 * `--shards` where it cannot work is a usage error (exit 2) with one clear line, before any
 * database is opened: SQLite, MariaDB/MySQL (no snapshot other processes can join), `--direct`,
 * and a shard that has no index.
 */
import { describe, expect, it } from 'vitest';
import { runCli } from './support/run-cli.ts';
import { rulesFile } from './support/shard-run.ts';

const config = (source: string, target: string) =>
  rulesFile(`source: ${source}\ntarget: ${target}\nsecret: s\ntables:\n  t: { columns: { id: keep } }\n`);

const run = (file: string, flags: string[], env: Record<string, string> = { JOB_COMPLETION_INDEX: '1' }) =>
  runCli(['run', '--config', file, '--log', 'json', '--shards', '3', ...flags], env);

describe('--shards refused', () => {
  it.each([
    ['SQLite', 'sqlite:/nonexistent/a.db', 'sqlite:/nonexistent/b.db', /SQLite is one file on one machine/],
    ['MariaDB', 'mysql://u@127.0.0.1:1/a', 'mysql://u@127.0.0.1:1/b', /MariaDB and MySQL cannot share one snapshot/],
  ])('on %s, before opening anything', (_, source, target, message) => {
    const result = run(config(source, target), []);
    expect(result.status, result.stderr).toBe(2);
    expect(result.stderr.trim().split('\n')).toHaveLength(1);
    expect(result.stderr).toMatch(message);
    // The last JSON line says so too, with the shard's index.
    const last = JSON.parse(result.stdout.trim().split('\n').at(-1)!);
    expect(last).toMatchObject({ shard: 1, type: 'failed', exitCode: 2 });
  });

  it('with --direct, and without an index', () => {
    const pg = config('postgres://u@127.0.0.1:1/a', 'postgres://u@127.0.0.1:1/b');
    const direct = run(pg, ['--direct']);
    expect(direct.status).toBe(2);
    expect(direct.stderr).toMatch(/--direct loads in one transaction/);
    const noIndex = runCli(['run', '--config', pg, '--shards', '3', '--quiet'], { JOB_COMPLETION_INDEX: '' });
    expect(noIndex.status).toBe(2);
    expect(noIndex.stderr).toMatch(/set JOB_COMPLETION_INDEX \(a Kubernetes Indexed Job does\) or pass --shard-index/);
    const outOfRange = run(pg, ['--shard-index', '3']);
    expect(outOfRange.status).toBe(2);
    expect(outOfRange.stderr).toMatch(/this shard's index is 3, expected 0 to 2/);
  });
});
