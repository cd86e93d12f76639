import { describe, expect, it } from 'vitest';
import { COLUMN_STATES, stateOf, type ColumnFacts } from './column-states.ts';
import { type ColumnDraft, type SignalKind, signalsOf } from './scan-signals.ts';

type ScanCategory = NonNullable<ColumnDraft['category']>;
import { detected } from './state-counts.ts';

const column = (facts: Partial<ColumnFacts> & { signal?: SignalKind }): ColumnFacts => ({
  copied: true,
  masked: false,
  ruled: true,
  signals: facts.signal ? [{ kind: facts.signal, reason: 'why' }] : [],
  ...facts,
});

describe('column states', () => {
  it('masked wins over any signal; a kept column takes the state of its signal', () => {
    expect(stateOf(column({ masked: true, signal: 'personal' })).id).toBe('masked');
    expect(stateOf(column({ signal: 'personal' })).id).toBe('kept-personal');
    expect(stateOf(column({})).id).toBe('kept');
    expect(stateOf(column({ signal: 'follows-key' })).id).toBe('kept');
  });

  it("takes scan's signals of a copy of a masked column and of a quasi-identifier, now detected", () => {
    expect(stateOf(column({ signal: 'copy-of' })).id).toBe('copy-of-masked');
    expect(stateOf(column({ signal: 'quasi-identifier' })).id).toBe('quasi-identifier');
    expect(COLUMN_STATES.filter((s) => !detected(s)).map((s) => s.id)).toEqual([]);
  });

  it("reads scan's categories as signals: a copy, a quasi-identifier, free text naming people", () => {
    const draft = (category: ScanCategory) => ({ column: 'c', rule: 'x', flagged: true, reason: 'why', category });
    expect(signalsOf(draft('copy'))).toEqual([{ kind: 'copy-of', reason: 'why' }]);
    expect(signalsOf(draft('quasi'))).toEqual([{ kind: 'quasi-identifier', reason: 'why' }]);
    expect(signalsOf(draft('mentions'))).toEqual([{ kind: 'personal', reason: 'why' }]);
    expect(signalsOf({ ...draft('kept'), flagged: false })).toEqual([]);
  });

  it('a column no rule names, or not copied at all, says so', () => {
    expect(stateOf(column({ ruled: false })).id).toBe('no-rule');
    expect(stateOf(column({ ruled: false, signal: 'personal' })).id).toBe('kept-personal');
    expect(stateOf(column({ copied: false, signal: 'personal' })).id).toBe('not-copied');
  });

  it('gives every state a distinct id, colour and label', () => {
    for (const key of ['id', 'color', 'label', 'short'] as const)
      expect(new Set(COLUMN_STATES.map((s) => s[key])).size, key).toBe(COLUMN_STATES.length);
  });
});
