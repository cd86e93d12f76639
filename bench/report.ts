/**
 * Turns timed runs into the figures the issue asks for (rows/s, MB/s, peak RSS, raw/masque;
 * time per row and memory from N to 5N), prints them, and records them as JSON in bench/results/.
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { cpus, totalmem } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { EngineRun, Timed } from './benchmark.ts';
import type { EngineName } from './engine.ts';
import { MASKED_COLUMNS } from './rules.ts';

const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const resultsDir = join(repoRoot, 'bench/results');
const MB = 2 ** 20;

/** The issue's goals: masque's time against the raw copy's, and memory. */
export const GOALS: Record<EngineName, { ratio: number; peakRssMb: number }> = {
  pg: { ratio: 1.0, peakRssMb: 300 },
  mysql: { ratio: 1.0, peakRssMb: 300 },
};
const ENGINE_LABELS: Record<EngineName, string> = { pg: 'PostgreSQL', mysql: 'MariaDB/MySQL' };

export interface Figures {
  /**
   * The fastest of the runs: on a shared machine other work only ever adds time, so the best
   * run is the closest to what the code can do. The median is kept beside it.
   */
  seconds: number;
  medianSeconds: number;
  rowsPerSecond: number;
  mbPerSecond: number;
  microsecondsPerRow: number;
  /** Largest over the runs. */
  peakRssMb: number;
  peakTreeRssMb: number;
  /**
   * CPU time per row of the measured processes (masque: its node process; raw: both ends of
   * the pipe), median of the runs; the server's own CPU is not in it.
   */
  cpuMicrosecondsPerRow: number;
}

export interface EngineFigures {
  raw: Figures;
  masque: Figures;
  /** raw seconds / masque seconds (best runs): above 1, masque is faster than the unmasked copy. */
  ratio: number;
  /** The same of the median runs. */
  medianRatio: number;
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = sorted.length >> 1;
  return sorted.length % 2 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
}

function figuresOf(runs: Timed[], rows: number, bytes: number): Figures {
  const seconds = Math.min(...runs.map((r) => r.seconds));
  return {
    seconds: round(seconds, 3),
    medianSeconds: round(median(runs.map((r) => r.seconds)), 3),
    rowsPerSecond: Math.round(rows / seconds),
    mbPerSecond: round(bytes / MB / seconds, 1),
    microsecondsPerRow: round((seconds * 1e6) / rows, 3),
    peakRssMb: round(Math.max(...runs.map((r) => r.peakRssBytes)) / MB, 1),
    peakTreeRssMb: round(Math.max(...runs.map((r) => r.peakTreeRssBytes)) / MB, 1),
    cpuMicrosecondsPerRow: round((median(runs.map((r) => r.cpuSeconds ?? 0)) * 1e6) / rows, 2),
  };
}

export function engineFigures(run: EngineRun): EngineFigures {
  const rows = 3 * run.n;
  const raw = figuresOf(run.raw, rows, run.sourceBytes);
  const masque = figuresOf(run.masque, rows, run.sourceBytes);
  return {
    raw,
    masque,
    ratio: round(raw.seconds / masque.seconds, 3),
    medianRatio: round(raw.medianSeconds / masque.medianSeconds, 3),
  };
}

const int = (n: number): string => n.toLocaleString('en-US');
const pad = (text: string, width: number): string => text.padStart(width);

function line(label: string, f: Figures): string {
  return (
    `  ${label.padEnd(44)}${pad(f.seconds.toFixed(2), 9)}${pad(f.medianSeconds.toFixed(2), 9)}${pad(int(f.rowsPerSecond), 11)}${pad(f.mbPerSecond.toFixed(1), 8)}` +
    `${pad(`${f.peakRssMb.toFixed(0)} / ${f.peakTreeRssMb.toFixed(0)} MB`, 20)}`
  );
}

/** The printed block for one engine at one N. */
export function formatEngine(run: EngineRun, figures: EngineFigures, rawLabel: string): string {
  const goal = GOALS[run.engine];
  const perTable = (runs: Timed[]): string =>
    Object.entries(runs.at(-1)?.tables ?? {})
      .map(([t, s]) => `${t} ${s.toFixed(1)} s`)
      .join(', ');
  return [
    `${ENGINE_LABELS[run.engine]}, N = ${int(run.n)} (${int(3 * run.n)} rows, ${(run.sourceBytes / MB).toFixed(0)} MB source), ${run.raw.length} run(s):`,
    `  ${''.padEnd(44)}${pad('best s', 9)}${pad('median', 9)}${pad('rows/s', 11)}${pad('MB/s', 8)}${pad('peak RSS proc/tree', 20)}`,
    line(`raw (${rawLabel})`, figures.raw),
    line('masque run', figures.masque),
    `  raw/masque = ${figures.ratio.toFixed(2)} best, ${figures.medianRatio.toFixed(2)} median (goal ≥ ${goal.ratio.toFixed(1)}); masque peak RSS ${figures.masque.peakRssMb.toFixed(0)} MB (goal ≤ ${goal.peakRssMb})`,
    `  CPU per row (median): masque's node ${figures.masque.cpuMicrosecondsPerRow.toFixed(2)} µs, raw pipe ${figures.raw.cpuMicrosecondsPerRow.toFixed(2)} µs (server not counted)`,
    `  last run per table: raw ${perTable(run.raw)}; masque ${perTable(run.masque) || '(no report)'}`,
  ].join('\n');
}

export interface Scaling {
  n: number;
  /** masque's 5N figure over its N figure: 1.0 is perfectly flat (goal: within 15%). */
  microsecondsPerRowRatio: number;
  peakRssRatio: number;
  /** The same for the raw copy, to tell the server's own growth from masque's. */
  rawMicrosecondsPerRowRatio: number;
}

export function scalingOf(small: EngineFigures, large: EngineFigures, n: number): Scaling {
  return {
    n,
    microsecondsPerRowRatio: round(large.masque.microsecondsPerRow / small.masque.microsecondsPerRow, 3),
    peakRssRatio: round(large.masque.peakRssMb / small.masque.peakRssMb, 3),
    rawMicrosecondsPerRowRatio: round(large.raw.microsecondsPerRow / small.raw.microsecondsPerRow, 3),
  };
}

export function formatScaling(engine: EngineName, small: EngineFigures, large: EngineFigures, s: Scaling): string {
  const row = (label: string, masqueUs: number, rss: number, rawUs: number): string =>
    `  ${label.padEnd(10)}${pad(masqueUs.toFixed(2), 15)}${pad(rss.toFixed(rss < 10 ? 2 : 0), 15)}${pad(rawUs.toFixed(2), 12)}`;
  return [
    `${ENGINE_LABELS[engine]} scaling, N = ${int(s.n)} and 5N = ${int(5 * s.n)}:`,
    `  ${''.padEnd(10)}${pad('masque µs/row', 15)}${pad('masque RSS MB', 15)}${pad('raw µs/row', 12)}`,
    row('N', small.masque.microsecondsPerRow, small.masque.peakRssMb, small.raw.microsecondsPerRow),
    row('5N', large.masque.microsecondsPerRow, large.masque.peakRssMb, large.raw.microsecondsPerRow),
    row('5N / N', s.microsecondsPerRowRatio, s.peakRssRatio, s.rawMicrosecondsPerRowRatio),
    '  goal: masque µs/row and peak RSS within 15% from N to 5N (ratios 0.85–1.15)',
  ].join('\n');
}

/** Writes `bench/results/<name>-<timestamp>.json`; returns its path. */
export function writeResult(name: string, result: object): string {
  mkdirSync(resultsDir, { recursive: true });
  const stamp = new Date()
    .toISOString()
    .replace(/\.\d+Z$/, 'Z')
    .replaceAll(':', '-');
  const path = join(resultsDir, `${name}-${stamp}.json`);
  writeFileSync(path, `${JSON.stringify({ ...machine(), maskedColumns: MASKED_COLUMNS, ...result }, null, 2)}\n`);
  return path;
}

function machine(): object {
  const cpu = cpus();
  return {
    recordedAt: new Date().toISOString(),
    machine: {
      cpus: cpu.length,
      cpuModel: cpu[0]?.model,
      memoryMb: Math.round(totalmem() / MB),
      node: process.version,
    },
    code: codeAtStart,
  };
}

/**
 * The commit measured, and whether packages/ differed from it (several engineers share the tree).
 * Taken when the benchmark starts, which is when the code it measures is read.
 */
const codeAtStart = codeVersion();

function codeVersion(): { commit?: string; packagesModified?: boolean } {
  try {
    const git = (...args: string[]): string => execFileSync('git', args, { cwd: repoRoot, encoding: 'utf8' }).trim();
    return {
      commit: git('rev-parse', 'HEAD'),
      packagesModified: git('status', '--porcelain', '--', 'packages') !== '',
    };
  } catch {
    return {}; // not a git checkout
  }
}

function round(value: number, digits: number): number {
  const f = 10 ** digits;
  return Math.round(value * f) / f;
}
