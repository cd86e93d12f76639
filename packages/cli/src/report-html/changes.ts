import { stateById } from './column-states.ts';
import type { ReviewSnapshot } from './snapshot.ts';

/** One difference since the previous report. `high`: personal data may now reach staging. */
export interface Change {
  severity: 'high' | 'medium' | 'low';
  /** `table.column`, `run` or `verify`. */
  subject: string;
  text: string;
}

const ORDER = { high: 0, medium: 1, low: 2 } as const;
const label = (state: string): string => stateById(state)?.label ?? state;
const concern = (state: string): boolean => stateById(state)?.concern ?? true;
const describe = (c: { state: string; rule: string }): string => `${label(c.state)} (${c.rule})`;

/**
 * What changed between two reports, the part a reviewer reads first: a column that was masked
 * and is not any more, a new column that reaches staging looking personal, a rule changed, a run
 * or verify that now fails. Most serious first, then in table order.
 */
export function changesSince(previous: ReviewSnapshot, current: ReviewSnapshot): Change[] {
  const key = (c: { table: string; column: string }) => `${c.table}\0${c.column}`;
  const before = new Map(previous.columns.map((c) => [key(c), c]));
  const now = new Set(current.columns.map(key));
  const changes: Change[] = [];
  for (const column of current.columns) {
    const subject = `${column.table}.${column.column}`;
    const old = before.get(key(column));
    if (!old) {
      const severity = concern(column.state) ? 'high' : column.state === 'kept' ? 'medium' : 'low';
      changes.push({ severity, subject, text: `new: ${describe(column)}` });
      continue;
    }
    if (old.state === column.state && old.rule === column.rule) continue;
    changes.push({ severity: severityOf(old.state, column.state), subject, text: changeText(old, column) });
  }
  for (const old of previous.columns) {
    if (!now.has(key(old)))
      changes.push({ severity: 'low', subject: `${old.table}.${old.column}`, text: `gone: was ${describe(old)}` });
  }
  if (previous.run && current.run && previous.run.status !== current.run.status) {
    const severity = current.run.status === 'ok' ? 'low' : 'high';
    const outcome = (run: { status: string; exitCode: number }) => `${run.status} (exit ${run.exitCode})`;
    const text = `run ${outcome(previous.run)} → ${outcome(current.run)}`;
    changes.push({ severity, subject: 'run', text });
  }
  if (previous.verify && current.verify && previous.verify.findings !== current.verify.findings) {
    const severity = current.verify.findings > previous.verify.findings ? 'high' : 'low';
    const text = `findings: ${previous.verify.findings} → ${current.verify.findings}`;
    changes.push({ severity, subject: 'verify', text });
  }
  return changes
    .map((c, i) => ({ c, i }))
    .sort((a, b) => ORDER[a.c.severity] - ORDER[b.c.severity] || a.i - b.i)
    .map(({ c }) => c);
}

/** Less masking is what a reviewer must see first; more masking, or a reworded rule, can wait. */
function severityOf(before: string, after: string): Change['severity'] {
  if (before === after) return after === 'masked' ? 'medium' : 'low';
  if (after === 'masked' || after === 'not-copied') return 'low';
  if (before === 'masked' || concern(after)) return 'high';
  return 'medium';
}

function changeText(before: { state: string; rule: string }, after: { state: string; rule: string }): string {
  if (before.state === after.state) return `rule changed: ${before.rule} → ${after.rule}`;
  const text = `${describe(before)} → ${describe(after)}`;
  return before.state === 'masked' && after.state !== 'not-copied' ? `no longer masked: ${text}` : text;
}
