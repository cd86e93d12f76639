import type { ScanResult } from '@masque/core';

/** One column of scan's draft: its suggested rule, its reason, and whether it looks personal. */
export type ColumnDraft = ScanResult['tables'][number]['columns'][number];

/**
 * What `masque scan` says about a column, as data: the same signals that write its draft rules.
 * `personal`: the name in context or sampled values look like personal data (free text naming
 * people too); `follows-key`: a foreign key whose key is masked; `copy-of`: a column holding the
 * values of a personal one (scan's category `copy`); `quasi-identifier`: a person's event date or
 * amount (category `quasi`). The report's states name them (column-states.ts).
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
export const SCAN_SIGNAL_KINDS: ReadonlySet<SignalKind> = new Set([
  'personal',
  'follows-key',
  'copy-of',
  'quasi-identifier',
]);

/** Scan's categories (scan-report.ts) as signals; kept and along-moved columns signal nothing. */
const BY_CATEGORY: Partial<Record<NonNullable<ColumnDraft['category']>, SignalKind>> = {
  personal: 'personal',
  mentions: 'personal',
  copy: 'copy-of',
  quasi: 'quasi-identifier',
  follows: 'follows-key',
};

/** The signals of one column of scan's draft. */
export function signalsOf(draft: ColumnDraft | undefined): Signal[] {
  if (!draft?.flagged) return [];
  const reason = draft.reason ?? 'looks personal';
  const kind = draft.category && BY_CATEGORY[draft.category];
  if (kind) return [{ kind, reason }];
  // A draft from before scan had categories.
  if (reason.startsWith('follows its key')) return [{ kind: 'follows-key', reason }];
  return [{ kind: 'personal', reason }];
}
