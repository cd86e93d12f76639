/**
 * `pnpm bench`: masque against the raw unmasked copy on the real local servers.
 *
 *   pnpm bench [--engine pg|mysql|all] [--n N] [--runs K] [--profile] [--masque-arg=--direct …]
 *   pnpm bench --scaling [--engine …] [--n N]     N and 5N (defaults 200k on PostgreSQL, 100k on MariaDB)
 *   pnpm bench --subset P [--engine …] [--n N]    also P % of the accounts with their orders (subset:), after
 *                                                 each full copy, timed against it (bench/subset.ts)
 *
 * Results go to bench/results/<engine>-<N>-<timestamp>.json (scaling: <engine>-scaling-<N>-…).
 */
import { parseArgs } from 'node:util';
import { benchmark, type BenchmarkOptions, type EngineRun } from './benchmark.ts';
import type { BenchEngine } from './engine.ts';
import { mariadb } from './mysql.ts';
import { postgres } from './pg.ts';
import { formatProfile, type ProfileSummary, readProfile, summariseProfile } from './profile-summary.ts';
import { type EngineFigures, engineFigures, formatEngine, formatScaling, scalingOf, writeResult } from './report.ts';
import { formatSubset } from './subset.ts';

const ENGINES: Record<string, BenchEngine[]> = { pg: [postgres], mysql: [mariadb], all: [postgres, mariadb] };

function parse(): { engines: BenchEngine[]; n?: number; scaling: boolean; options: BenchmarkOptions } {
  const { values } = parseArgs({
    options: {
      engine: { type: 'string', default: 'all' },
      n: { type: 'string' },
      runs: { type: 'string', default: '1' },
      scaling: { type: 'boolean', default: false },
      subset: { type: 'string' },
      profile: { type: 'boolean', default: false },
      // Repeatable: passed on to `masque run` (--masque-arg=--direct), so variants are measured alike.
      'masque-arg': { type: 'string', multiple: true, default: [] },
    },
  });
  const engines = ENGINES[values.engine!];
  if (!engines) throw new Error(`--engine must be pg, mysql or all, not "${values.engine}"`);
  const count = (name: string, text: string | undefined): number | undefined => {
    if (text === undefined) return undefined;
    const value = Number(text.replaceAll('_', ''));
    if (!Number.isInteger(value) || value < 1)
      throw new Error(`--${name} must be a positive whole number, not "${text}"`);
    return value;
  };
  const n = count('n', values.n);
  const subset = values.subset === undefined ? undefined : Number(values.subset);
  if (subset !== undefined && !(subset > 0 && subset <= 100))
    throw new Error(`--subset must be a percentage in (0, 100], not "${values.subset}"`);
  return {
    engines,
    ...(n !== undefined && { n }),
    scaling: values.scaling!,
    options: {
      runs: count('runs', values.runs)!,
      profile: values.profile!,
      masqueArgs: values['masque-arg']!,
      ...(subset !== undefined && { subset }),
      log: (l) => process.stderr.write(`${l}\n`),
    },
  };
}

async function single(engine: BenchEngine, n: number, options: BenchmarkOptions): Promise<void> {
  const run = await benchmark(engine, n, options);
  const figures = engineFigures(run);
  process.stdout.write(`\n${formatEngine(run, figures, engine.rawLabel)}\n`);
  if (run.subset) {
    const full = run.masque.map((m) => m.runSeconds ?? m.seconds);
    process.stdout.write(`${formatSubset(run.subset.percent, full, run.subset.runs)}\n`);
  }
  let profile: ProfileSummary | undefined;
  if (run.cpuProfile) {
    profile = summariseProfile(readProfile(run.cpuProfile));
    process.stdout.write(`\nmasque CPU profile (${run.cpuProfile}):\n${formatProfile(profile)}\n`);
  }
  const path = writeResult(`${engine.name}-${n}${run.subset ? `-subset-${run.subset.percent}` : ''}`, {
    ...record(run, figures),
    rawBaseline: engine.rawLabel,
    masqueArgs: options.masqueArgs,
    ...(profile && { profile }),
  });
  process.stdout.write(`  → ${path}\n`);
}

async function scaling(engine: BenchEngine, n: number, options: BenchmarkOptions): Promise<void> {
  const small = await benchmark(engine, n, options);
  const large = await benchmark(engine, 5 * n, options);
  const [smallFigures, largeFigures] = [engineFigures(small), engineFigures(large)];
  const result = scalingOf(smallFigures, largeFigures, n);
  process.stdout.write(`\n${formatScaling(engine.name, smallFigures, largeFigures, result)}\n`);
  const path = writeResult(`${engine.name}-scaling-${n}`, {
    engine: engine.name,
    rawBaseline: engine.rawLabel,
    masqueArgs: options.masqueArgs,
    ...result,
    small: record(small, smallFigures),
    large: record(large, largeFigures),
  });
  process.stdout.write(`  → ${path}\n`);
}

/** A run as recorded: the figures, and every timed run under `runs` (the profile's path is temporary). */
function record(run: EngineRun, figures: EngineFigures): object {
  const { cpuProfile: _file, raw, masque, ...rest } = run;
  return { ...rest, ...figures, runs: { raw, masque } };
}

try {
  const { engines, n, scaling: scale, options } = parse();
  for (const engine of engines) {
    if (scale) await scaling(engine, n ?? engine.defaultScalingN, { ...options, profile: false });
    else await single(engine, n ?? engine.defaultN, options);
  }
} catch (error) {
  process.stderr.write(`bench: ${(error as Error).message}\n`);
  process.exitCode = 1;
}
