/**
 * One benchmark of one engine at one N: generate the source, then time the raw unmasked copy and
 * masque into the same empty indexed target, alternating, checking after every run that the rows
 * arrived (and, for masque, that they were masked). The databases are dropped at the end.
 */
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { BenchDatabases, BenchEngine, TargetCounts } from './engine.ts';
import { type Measured, measure } from './measure.ts';
import { BENCH_SECRET, writeBenchRules } from './rules.ts';
import { runFigures, type SubsetTimed, subsetTimed, writeSubsetRules } from './subset.ts';

const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '..');

export interface Timed {
  seconds: number;
  peakRssBytes: number;
  peakTreeRssBytes: number;
  /** CPU seconds of the process and its children (masque: node alone; raw: both ends of the pipe). */
  cpuSeconds: number;
  /** Seconds per table: masque's own report (its JSON `done` line), or the raw copy's steps. */
  tables: Record<string, number>;
  /** The 1-minute load average when the run started: others' tests on a shared machine show here. */
  loadBefore: number;
  /** masque: the run's own seconds (its `done` summary), without node's start-up. */
  runSeconds?: number;
}

export interface EngineRun {
  engine: BenchEngine['name'];
  n: number;
  generateSeconds: number;
  sourceBytes: number;
  raw: Timed[];
  masque: Timed[];
  /** The .cpuprofile of one extra, untimed masque run, when asked for. */
  cpuProfile?: string;
  /** `--subset P`: masque copying P % of the accounts with their orders, after each full copy. */
  subset?: { percent: number; runs: SubsetTimed[] };
}

export interface BenchmarkOptions {
  runs: number;
  profile: boolean;
  /** Extra arguments for `masque run`, e.g. `--direct`. */
  masqueArgs: string[];
  /** Also time a subset of this percentage of the accounts (bench/subset.ts). */
  subset?: number;
  log: (line: string) => void;
}

export async function benchmark(engine: BenchEngine, n: number, options: BenchmarkOptions): Promise<EngineRun> {
  const { log } = options;
  log(`${engine.name}: generating ${n} accounts and ${2 * n} orders…`);
  const started = performance.now();
  const db = engine.create(n);
  let rules: string | undefined;
  try {
    const generateSeconds = (performance.now() - started) / 1000;
    const result: EngineRun = {
      engine: engine.name,
      n,
      generateSeconds,
      sourceBytes: db.sourceBytes(),
      raw: [],
      masque: [],
    };
    log(
      `${engine.name}: source ready in ${generateSeconds.toFixed(1)} s (${(result.sourceBytes / 2 ** 20).toFixed(0)} MB)`,
    );
    rules = writeBenchRules();
    // Alternating runs, so drift on a shared machine (other tests, checkpoints) hits both alike.
    for (let run = 1; run <= options.runs; run++) {
      db.resetTarget();
      result.raw.push(await timeRaw(db, n));
      log(`${engine.name}: raw run ${run}: ${describe(result.raw.at(-1)!)}`);
      db.resetTarget();
      result.masque.push(await timeMasque(db, n, [rules, ...options.masqueArgs]));
      log(`${engine.name}: masque run ${run}: ${describe(result.masque.at(-1)!)}`);
      if (options.subset !== undefined) {
        db.resetTarget();
        const percent = options.subset;
        const measured = await runMasque(db, [writeSubsetRules(rules, percent), ...options.masqueArgs]);
        ensureSucceeded('masque (subset)', measured);
        result.subset ??= { percent, runs: [] };
        result.subset.runs.push(subsetTimed(db, n, percent, measured));
        const last = result.subset.runs.at(-1)!;
        log(`${engine.name}: masque subset run ${run}: ${last.runSeconds.toFixed(2)} s run, ${last.accounts} accounts`);
      }
    }
    if (options.profile) {
      db.resetTarget();
      const dir = mkdtempSync(join(tmpdir(), 'masque-cpuprof-'));
      await timeMasque(
        db,
        n,
        [rules, ...options.masqueArgs],
        ['--import', './bench/source-maps-hook.ts', '--cpu-prof', '--cpu-prof-dir', dir],
      );
      // CPU.<date>.<time>.<pid>.<thread>.<seq>.cpuprofile: thread 0 is the main thread (1 is tsx's loader).
      const file = readdirSync(dir).find((f) => /\.0\.\d+\.cpuprofile$/.test(f));
      if (file) result.cpuProfile = join(dir, file);
      log(`${engine.name}: profile written to ${result.cpuProfile ?? '(none: did masque exit normally?)'}`);
    }
    return result;
  } finally {
    db.drop();
    if (rules) rmSync(dirname(rules), { recursive: true, force: true });
  }
}

function describe(run: Timed): string {
  return `${run.seconds.toFixed(2)} s, ${run.cpuSeconds.toFixed(2)} s CPU (load average before: ${run.loadBefore.toFixed(1)})`;
}

async function timeRaw(db: BenchDatabases, n: number): Promise<Timed> {
  const total: Timed = {
    seconds: 0,
    peakRssBytes: 0,
    peakTreeRssBytes: 0,
    cpuSeconds: 0,
    tables: {},
    loadBefore: loadavg()[0]!,
  };
  for (const [tables, script] of Object.entries(db.rawSteps())) {
    const measured = await measure('bash', ['-c', script]);
    ensureSucceeded(`the raw baseline (${tables})`, measured);
    total.seconds += measured.seconds;
    total.cpuSeconds += measured.cpuSeconds;
    total.peakRssBytes = Math.max(total.peakRssBytes, measured.peakRssBytes);
    total.peakTreeRssBytes = Math.max(total.peakTreeRssBytes, measured.peakTreeRssBytes);
    total.tables[tables] = measured.seconds;
  }
  expectRows('the raw baseline', db.targetCounts(), n, n);
  return total;
}

/** `config` is the rules file and any extra arguments for `masque run`. */
async function timeMasque(db: BenchDatabases, n: number, config: string[], nodeFlags: string[] = []): Promise<Timed> {
  const loadBefore = loadavg()[0]!;
  const measured = await runMasque(db, config, nodeFlags);
  ensureSucceeded('masque', measured);
  expectRows('masque', db.targetCounts(), n, 0);
  const { seconds, peakRssBytes, peakTreeRssBytes, cpuSeconds, stdout } = measured;
  const { runSeconds } = runFigures(stdout);
  return { seconds, peakRssBytes, peakTreeRssBytes, cpuSeconds, tables: tableSeconds(stdout), loadBefore, runSeconds };
}

/** `masque run` as its own process (node itself, not `pnpm masque`), measured. */
function runMasque(db: BenchDatabases, config: string[], nodeFlags: string[] = []): Promise<Measured> {
  // node itself, not `pnpm masque`: one process to measure, no package manager in the time.
  const args = [
    '--import',
    'tsx',
    ...nodeFlags,
    'packages/cli/src/main.ts',
    'run',
    '--log',
    'json',
    '--config',
    ...config,
  ];
  return measure(process.execPath, args, {
    cwd: repoRoot,
    env: {
      ...process.env,
      MASQUE_SOURCE_URL: db.sourceUrl,
      MASQUE_TARGET_URL: db.targetUrl,
      MASQUE_SECRET: BENCH_SECRET,
    },
  });
}

function ensureSucceeded(what: string, measured: Measured): void {
  if (measured.status === 0) return;
  const tail = measured.stderr.trim().split('\n').slice(-5).join('\n');
  throw new Error(`${what} failed with exit code ${measured.status}:\n${tail}`);
}

/** A benchmark that copies nothing is no benchmark: every row must be there, masked or not as asked. */
function expectRows(what: string, counts: TargetCounts, n: number, sourceEmails: number): void {
  const problems = [
    counts.accounts !== n && `${counts.accounts} accounts instead of ${n}`,
    counts.orders !== 2 * n && `${counts.orders} orders instead of ${2 * n}`,
    counts.sourceEmails !== sourceEmails &&
      `${counts.sourceEmails} source emails in the target instead of ${sourceEmails}`,
  ].filter(Boolean);
  if (problems.length) throw new Error(`${what} left the target wrong: ${problems.join(', ')}`);
}

/** Table seconds from masque's JSON lines; an unreadable line is skipped, not fatal. */
function tableSeconds(stdout: string): Record<string, number> {
  for (const line of stdout.split('\n').reverse()) {
    try {
      const event = JSON.parse(line) as { type?: string; summary?: { tables?: { table: string; seconds: number }[] } };
      if (event.type === 'done')
        return Object.fromEntries((event.summary?.tables ?? []).map((t) => [t.table, t.seconds]));
    } catch {
      // not JSON: ignore
    }
  }
  return {};
}
