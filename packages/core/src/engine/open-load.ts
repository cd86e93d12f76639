import { randomUUID } from 'node:crypto';
import type { Rules } from '../config/rules.ts';
import type { Dialect, LoadMode, Loader, SnapshotReader } from '../dialects/dialect.ts';
import { statementError } from '../dialects/driver-error.ts';
import type { RunListener, TableSummary } from './events.ts';
import { maskedColumnNames, type Plan, type TablePlan } from './plan.ts';
import { chooseReuse, rulesDigest, snapshotVersion } from './resume.ts';
import { keptOf } from './subset/compute-subset.ts';

export interface LoadChoice {
  mode: LoadMode;
  /** Reuse what an interrupted staged run finished, when nothing that matters changed. */
  resume: boolean;
}

/**
 * Opens the target's load for this run. A staged load is stamped with the rules digest and
 * the version of this source snapshot, so that a later `--resume` can tell whether the staged
 * tables still hold what this run would write; with `resume`, this run takes them over when they
 * do. What it decides is told as `resume` warnings. A driver's error names the step that failed.
 */
export async function openLoad(
  target: Dialect,
  reader: SnapshotReader,
  plan: Plan,
  rules: Rules,
  choice: LoadChoice,
  onEvent: RunListener,
): Promise<Loader> {
  const opening = 'opening the load into the target';
  if (choice.mode === 'direct') {
    return target.beginLoad(plan.loadTables, { mode: 'direct' }).catch(failed(opening));
  }
  const written = plan.tables.filter((t) => !t.skip).map((t) => t.source);
  const versions = await reader.sourceVersions?.(written).catch(failed('reading the versions of the source tables'));
  const stamp = {
    runId: randomUUID(),
    rulesDigest: rulesDigest(rules, plan.tables),
    sourceVersion: snapshotVersion(versions ?? new Map()),
  };
  const notes: string[] = [];
  const loader = await target
    .beginLoad(plan.loadTables, {
      mode: 'staged',
      stamp,
      reuse: (staged) => {
        const chosen = chooseReuse(staged, choice.resume, stamp.rulesDigest, stamp.sourceVersion);
        notes.push(...chosen.notes);
        return chosen.reuse;
      },
    })
    .catch(failed(opening));
  for (const message of notes)
    onEvent({ type: 'warning', problem: { severity: 'warning', subject: 'resume', message } });
  return loader;
}

/** A rejection handler that throws a driver's error as a DatabaseError naming `step`. */
const failed =
  (step: string) =>
  (error: unknown): never => {
    throw statementError(step, error);
  };

/** The summary of a table taken over from an interrupted run: its rows are staged already. */
export function reusedTable(plan: TablePlan, rows: number, onEvent: RunListener): TableSummary {
  const summary: TableSummary = {
    table: plan.source.name,
    rows,
    bytes: 0,
    seconds: 0,
    skipped: false,
    maskedColumns: maskedColumnNames(plan),
    resumed: true,
    ...keptOf(plan, rows),
  };
  onEvent({ type: 'table-start', table: summary.table });
  onEvent({ type: 'table-done', summary });
  return summary;
}
