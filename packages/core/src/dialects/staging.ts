import { randomUUID } from 'node:crypto';
import type { LoadOptions, LoadStamp, StagedTable } from './dialect.ts';

/**
 * What every staged loader shares: the stamp of a run that gave none (never resumable: its
 * versions are random), and the choice of what to keep from a dead run.
 */
export function stampOf(options: LoadOptions): LoadStamp {
  return options.stamp ?? { runId: randomUUID(), rulesDigest: `none:${randomUUID()}`, sourceVersion: `none:${randomUUID()}` };
}

/** The tables of a dead run to keep, limited to those this load is for. */
export function tablesToKeep(options: LoadOptions, staged: StagedTable[], loading: string[]): Set<string> {
  const chosen = options.reuse?.(staged) ?? new Set<string>();
  return new Set(loading.filter((name) => chosen.has(name) && staged.some((s) => s.table === name)));
}
