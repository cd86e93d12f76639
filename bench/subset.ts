/**
 * `pnpm bench … --subset P`: masque copying P % of the N accounts with their orders (`subset:`
 * rooted at accounts) into the same target, timed against masque's full copy of the same run.
 * The goal (issue 20): at N = 1M on PostgreSQL the subset takes under 10 % of the full copy's
 * time, start-up excluded (both times are the run's own, from its JSON `done` line), with a peak
 * RSS under 300 MB: the time follows the subset's size, not the database's.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import { dirname, join } from 'node:path';
import type { BenchDatabases } from './engine.ts';
import type { Measured } from './measure.ts';

export interface SubsetTimed {
  /** The run's own seconds (its `done` summary): without node's start-up. */
  runSeconds: number;
  /** Seconds the subset took to choose its rows (its `subset` event). */
  chooseSeconds: number;
  /** Wall time of the process, start-up included. */
  seconds: number;
  peakRssBytes: number;
  accounts: number;
  orders: number;
  loadBefore: number;
}

/** The goal: subset time / full copy time below this, and memory below that. */
export const SUBSET_GOAL = { share: 0.1, peakRssMb: 300 };

/** The benchmark's rules with `subset:` rooted at `percent` % of the accounts; beside them. */
export function writeSubsetRules(rules: string, percent: number): string {
  const path = join(dirname(rules), `subset-${percent}.yaml`);
  const subset = `subset:\n  roots:\n    accounts: { percent: ${percent} }\n`;
  writeFileSync(path, `${readFileSync(rules, 'utf8')}\n${subset}`);
  return path;
}

/** The run's seconds and the subset's from masque's JSON lines (0 when a line is missing). */
export function runFigures(stdout: string): { runSeconds: number; chooseSeconds: number } {
  let runSeconds = 0;
  let chooseSeconds = 0;
  for (const line of stdout.split('\n')) {
    if (!line.startsWith('{')) continue;
    try {
      const event = JSON.parse(line) as { type?: string; seconds?: number; summary?: { seconds?: number } };
      if (event.type === 'done') runSeconds = event.summary?.seconds ?? 0;
      if (event.type === 'subset') chooseSeconds = event.seconds ?? 0;
    } catch {
      // not JSON: ignore
    }
  }
  return { runSeconds, chooseSeconds };
}

/** A subset run's figures, after checking it copied a subset: about `percent` % of the accounts, none unmasked. */
export function subsetTimed(db: BenchDatabases, n: number, percent: number, measured: Measured): SubsetTimed {
  const counts = db.targetCounts();
  const wanted = (n * percent) / 100;
  const problems = [
    (counts.accounts < wanted * 0.7 || counts.accounts > wanted * 1.3) &&
      `${counts.accounts} accounts instead of about ${Math.round(wanted)}`,
    (counts.orders < counts.accounts || counts.orders > 4 * counts.accounts) &&
      `${counts.orders} orders for ${counts.accounts} accounts (each has about 2)`,
    counts.sourceEmails !== 0 && `${counts.sourceEmails} source emails in the target`,
  ].filter(Boolean);
  if (problems.length) throw new Error(`the subset left the target wrong: ${problems.join(', ')}`);
  return {
    ...runFigures(measured.stdout),
    seconds: measured.seconds,
    peakRssBytes: measured.peakRssBytes,
    accounts: counts.accounts,
    orders: counts.orders,
    loadBefore: loadavg()[0]!,
  };
}

/** The printed comparison: the subset's run time as a share of the full copy's, and its memory. */
export function formatSubset(percent: number, full: number[], subset: SubsetTimed[]): string {
  const best = Math.min(...subset.map((s) => s.runSeconds));
  const bestFull = Math.min(...full);
  const rss = Math.max(...subset.map((s) => s.peakRssBytes)) / 2 ** 20;
  const last = subset.at(-1)!;
  return [
    `  subset ${percent} %: ${last.accounts.toLocaleString('en-US')} accounts, ${last.orders.toLocaleString('en-US')} orders`,
    `    run ${best.toFixed(2)} s (choosing the rows ${last.chooseSeconds.toFixed(2)} s) against the full copy's ${bestFull.toFixed(2)} s:` +
      ` ${((100 * best) / bestFull).toFixed(1)} % (goal < ${100 * SUBSET_GOAL.share} %); peak RSS ${rss.toFixed(0)} MB` +
      ` (goal ≤ ${SUBSET_GOAL.peakRssMb}); load average before: ${subset.map((s) => s.loadBefore.toFixed(1)).join(', ')}`,
  ].join('\n');
}
