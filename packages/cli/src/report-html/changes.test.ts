import { describe, expect, it } from 'vitest';
import { changesSince } from './changes.ts';
import type { ReviewSnapshot } from './snapshot.ts';

const snapshot = (columns: [string, string, string][], extra: Partial<ReviewSnapshot> = {}): ReviewSnapshot => ({
  format: 'masque-report/1',
  generatedAt: '2026-01-01T00:00:00.000Z',
  rulesFile: 'rules.yaml',
  columns: columns.map(([column, state, rule]) => ({ table: 't', column, state, rule })),
  ...extra,
});

describe('changes since the previous report', () => {
  it('puts a column no longer masked first, then a new personal-looking one, then the rest', () => {
    const before = snapshot([
      ['a', 'kept', 'keep'],
      ['email', 'masked', 'email'],
      ['phone', 'masked', 'partial (keepLast: 2)'],
      ['gone', 'kept', 'keep'],
      ['notes', 'kept-personal', 'keep'],
    ]);
    const after = snapshot([
      ['a', 'masked', 'hash'],
      ['email', 'kept-personal', 'keep'],
      ['phone', 'masked', 'partial (keepLast: 4)'],
      ['notes', 'kept', 'keep'],
      ['city', 'kept-personal', 'keep'],
      ['flag', 'kept', 'keep'],
    ]);
    expect(changesSince(before, after)).toEqual([
      {
        severity: 'high',
        subject: 't.email',
        text: 'no longer masked: masked (email) → kept, looks personal (keep)',
      },
      { severity: 'high', subject: 't.city', text: 'new: kept, looks personal (keep)' },
      { severity: 'medium', subject: 't.phone', text: 'rule changed: partial (keepLast: 2) → partial (keepLast: 4)' },
      { severity: 'medium', subject: 't.notes', text: 'kept, looks personal (keep) → kept on purpose (keep)' },
      { severity: 'medium', subject: 't.flag', text: 'new: kept on purpose (keep)' },
      { severity: 'low', subject: 't.a', text: 'kept on purpose (keep) → masked (hash)' },
      { severity: 'low', subject: 't.gone', text: 'gone: was kept on purpose (keep)' },
    ]);
  });

  it('says when the run or verify now fails', () => {
    const before = snapshot([], { run: { status: 'ok', exitCode: 0 }, verify: { findings: 0 } });
    const after = snapshot([], { run: { status: 'failed', exitCode: 3 }, verify: { findings: 2 } });
    expect(changesSince(before, after)).toEqual([
      { severity: 'high', subject: 'run', text: 'run ok (exit 0) → failed (exit 3)' },
      { severity: 'high', subject: 'verify', text: 'findings: 0 → 2' },
    ]);
  });

  it('finds nothing between two equal reports', () => {
    const same = snapshot([['a', 'masked', 'email']]);
    expect(changesSince(same, same)).toEqual([]);
  });
});
