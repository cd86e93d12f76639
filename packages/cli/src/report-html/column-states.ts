import type { Signal, SignalKind } from './scan-signals.ts';

/** What decides a column's state: what the rules do with it, and what scan says about it. */
export interface ColumnFacts {
  /** Rows are copied and the column is not computed by the database. */
  copied: boolean;
  /** A rule (or the masked key it references) changes its values, always or under `when:`. */
  masked: boolean;
  /** A rule names it (or its foreign key follows a masked key). */
  ruled: boolean;
  signals: readonly Signal[];
}

export interface ColumnState {
  id: string;
  label: string;
  /** The label in a table's heading. */
  short: string;
  /** One sentence for the legend. */
  meaning: string;
  color: string;
  /** A reviewer must look at columns in this state: they reach staging with values that may be personal. */
  concern: boolean;
  /** The scan signal the state rests on: it is only as complete as scan's detection of that signal. */
  signal?: SignalKind;
  applies(column: ColumnFacts): boolean;
}

const has = (column: ColumnFacts, kind: SignalKind): boolean => column.signals.some((s) => s.kind === kind);
const keptAnd = (kind: SignalKind) => (c: ColumnFacts) => c.copied && !c.masked && has(c, kind);

/**
 * Every state a column can be in, the first that applies wins, in the order the page shows them:
 * masked first, then the states that need a reviewer, then the reassuring ones. Data, not code
 * paths: a new scan signal is a new entry here (and in scan-signals.ts); the coverage bars, the
 * legend, the counts and the list of changes follow.
 */
export const COLUMN_STATES: readonly ColumnState[] = [
  {
    id: 'masked',
    label: 'masked',
    short: 'masked',
    meaning: 'a rule, or the masked key it references, replaces or moves every value',
    color: '#2e7d4f',
    concern: false,
    applies: (c) => c.copied && c.masked,
  },
  {
    id: 'copy-of-masked',
    label: 'copy of a masked column',
    short: 'copy',
    meaning: 'kept, but holds the values of a column that is masked elsewhere',
    color: '#b3261e',
    concern: true,
    signal: 'copy-of',
    applies: keptAnd('copy-of'),
  },
  {
    id: 'kept-personal',
    label: 'kept, looks personal',
    short: 'personal',
    meaning: "kept as it is, but scan's name or value signals say it holds personal data",
    color: '#e0640b',
    concern: true,
    signal: 'personal',
    applies: keptAnd('personal'),
  },
  {
    id: 'quasi-identifier',
    label: 'quasi-identifier',
    short: 'quasi-id',
    meaning: "kept; points at a person together with other columns (an event's date or amount)",
    color: '#d4a106',
    concern: true,
    signal: 'quasi-identifier',
    applies: keptAnd('quasi-identifier'),
  },
  {
    id: 'no-rule',
    label: 'no rule',
    short: 'no rule',
    meaning: 'no rule names it: strict rules stop the run, others copy it unchanged',
    color: '#7b3fa0',
    concern: true,
    applies: (c) => c.copied && !c.ruled,
  },
  {
    id: 'kept',
    label: 'kept on purpose',
    short: 'kept',
    meaning: 'a rule keeps it, and scan sees nothing personal in it',
    color: '#8aa0b4',
    concern: false,
    applies: (c) => c.copied,
  },
  {
    id: 'not-copied',
    label: 'not copied',
    short: 'not copied',
    meaning: 'the table is skipped, or the database computes the column',
    color: '#cfd6dd',
    concern: false,
    applies: () => true,
  },
];

/** The state of a column: the first of COLUMN_STATES that applies. */
export function stateOf(column: ColumnFacts): ColumnState {
  return COLUMN_STATES.find((state) => state.applies(column))!;
}

export function stateById(id: string): ColumnState | undefined {
  return COLUMN_STATES.find((state) => state.id === id);
}
