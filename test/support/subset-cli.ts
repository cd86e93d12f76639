/**
 * What the subset suites share: a rules file with a `subset:` section added to an example's, and
 * `masque` run to its end with JSON lines parsed, bounded in time like every wait on a server.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { repoRoot } from './databases.ts';
import type { CliEvent } from './spawn-cli.ts';

export interface JsonRun {
  status: number | null;
  stderr: string;
  events: CliEvent[];
  /** The `done` event's summary (a failed run's report, or undefined when there is none). */
  summary: CliEvent['summary'];
}

/** `masque …` to its end (at most `seconds`), its JSON lines parsed. */
export function masqueJson(args: string[], env: Record<string, string>, seconds = 150): JsonRun {
  const result = spawnSync(
    join(repoRoot, 'node_modules/.bin/tsx'),
    [join(repoRoot, 'packages/cli/src/main.ts'), ...args, '--log', 'json'],
    { cwd: repoRoot, env: { ...process.env, ...env }, encoding: 'utf8', timeout: seconds * 1000, maxBuffer: 1 << 28 },
  );
  const events = result.stdout
    .split('\n')
    .filter((l) => l.startsWith('{'))
    .map((l) => JSON.parse(l) as CliEvent);
  const summary = events.find((e) => e.type === 'done' || e.type === 'failed')?.summary;
  return { status: result.status, stderr: result.stderr, events, summary };
}

/** A rules file: `base` (a file of rules/) with `extra` YAML appended, in a fresh temporary folder. */
export function rulesWith(base: string, extra: string): string {
  const path = join(mkdtempSync(join(tmpdir(), 'masque-subset-')), 'rules.yaml');
  const text = base ? readFileSync(join(repoRoot, base), 'utf8') : '';
  writeFileSync(path, `${text}\n${extra}`);
  return path;
}

/** Per table of a run's summary: `rows` and `sourceRows`. */
export function keptCounts(summary: JsonRun['summary']): Record<string, [number, number | undefined]> {
  const tables = (summary?.tables ?? []) as { table: string; rows: number; sourceRows?: number }[];
  return Object.fromEntries(tables.map((t) => [t.table, [t.rows, t.sourceRows]]));
}
