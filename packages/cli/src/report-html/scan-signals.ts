import type { ScanResult } from '@masque/core';

/** One column of scan's draft: its suggested rule, its reason, and whether it looks personal. */
export type ColumnDraft = ScanResult['tables'][number]['columns'][number];

/**
 * What `masque scan` says about a column, as data: the same signals that write its draft rules.
 * `personal`: the name in context or sampled values look like personal data; `follows-key`: a
 * foreign key whose key is masked. Issue 19 adds `copy-of` (a column that copies a personal one)
 * and `quasi-identifier`; the report's states already name them (column-states.ts).
 */
export type SignalKind = 'personal' | 'follows-key' | 'copy-of' | 'quasi-identifier';

export interface Signal {
  kind: SignalKind;
  /** Scan's reason, as its draft writes it in a comment: never a value. */
  reason: string;
}

/**
 * The signal kinds `scan` reports today. A state resting on another kind says "not detected by
 * scan yet" rather than a reassuring 0. Scan's new signals are added here and in `signalsOf`.
 */
export const SCAN_SIGNAL_KINDS: ReadonlySet<SignalKind> = new Set(['personal', 'follows-key']);

/** The signals of one column of scan's draft. */
export function signalsOf(draft: ColumnDraft | undefined): Signal[] {
  if (!draft?.flagged) return [];
  const reason = draft.reason ?? 'looks personal';
  if (reason.startsWith('follows its key')) return [{ kind: 'follows-key', reason }];
  return [{ kind: 'personal', reason }];
}
