/**
 * `masque run --shards N` with local processes standing in for the pods of a Kubernetes Indexed
 * Job: each shard is a CLI process of its own (spawn-cli.ts), told its index as Kubernetes does,
 * through JOB_COMPLETION_INDEX.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { psql } from './databases.ts';
import { type CliEvent, type RunningCli, spawnCli } from './spawn-cli.ts';

export interface ShardFlags {
  shards: number;
  lease?: number;
  planWait?: number;
  unitRows?: number;
  extra?: string[];
}

/** Starts shard `index` of a run with the rules file `config`. */
export function startShard(config: string, index: number, flags: ShardFlags): RunningCli {
  const args = ['run', '--config', config, '--log', 'json', '--shards', String(flags.shards)];
  if (flags.lease !== undefined) args.push('--lease', String(flags.lease));
  if (flags.planWait !== undefined) args.push('--plan-wait', String(flags.planWait));
  if (flags.unitRows !== undefined) args.push('--unit-rows', String(flags.unitRows));
  return spawnCli([...args, ...(flags.extra ?? [])], { JOB_COMPLETION_INDEX: String(index) });
}

/** A rules file in a temporary folder. */
export function rulesFile(text: string): string {
  const path = join(mkdtempSync(join(tmpdir(), 'masque-shards-')), 'rules.yaml');
  writeFileSync(path, text);
  return path;
}

/** Per table of the `public` schema: its row count and an md5 of all its rows, in their text order. */
export function tableChecksums(db: string): Record<string, string> {
  const tables = psql(db, ['-c', "SELECT tablename FROM pg_tables WHERE schemaname = 'public' ORDER BY 1"])
    .trim()
    .split('\n')
    .filter(Boolean);
  const sums: Record<string, string> = {};
  for (const table of tables) {
    sums[table] = psql(db, [
      '-c',
      `SELECT count(*) || ':' || coalesce(md5(string_agg(t::text, ',' ORDER BY t::text)), '') FROM public."${table}" t`,
    ]).trim();
  }
  return sums;
}

/** The units a shard staged, as its JSON lines tell them: `table#part`. */
export function stagedUnits(events: CliEvent[]): string[] {
  return events.filter((e) => e.type === 'unit-staged').map(unitName);
}

export const unitName = (e: CliEvent): string => `${e.table}#${e.part?.index ?? 0}`;

/** Resolves once the process has printed an event `test` accepts, or rejects after `ms`. */
export function eventWithin(cli: RunningCli, test: (e: CliEvent) => boolean, ms: number): Promise<CliEvent> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`no such event within ${ms} ms; stderr: ${cli.stderr()}`)), ms);
  });
  return Promise.race([cli.waitFor(test), late]).finally(() => clearTimeout(timer));
}
