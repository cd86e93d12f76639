import { describe, expect, it } from 'vitest';
import { summaryTable } from './summary-table.ts';

const summary = {
  rows: 5_020,
  bytes: 365_335,
  seconds: 1.5,
  tables: [
    { table: 'customer', rows: 2_000, bytes: 194_732, seconds: 0.219, skipped: false, maskedColumns: ['first_name', 'email'] },
    { table: 'address', rows: 3_020, bytes: 170_603, seconds: 0.282, skipped: false, maskedColumns: [] },
    { table: 'audit_log', rows: 0, bytes: 0, seconds: 0.001, skipped: true, maskedColumns: [] },
  ],
};

describe('summaryTable', () => {
  it('lists every table with rows, bytes, seconds and masked columns, then the totals', () => {
    expect(summaryTable(summary).split('\n')).toEqual([
      'table                rows   bytes  seconds  masked columns',
      '────────────────  ───────  ──────  ───────  ────────────────────',
      'customer            2,000  195 kB     0.22  2: first_name, email',
      'address             3,020  171 kB     0.28  —',
      'audit_log         skipped     0 B     0.00  —',
      '────────────────  ───────  ──────  ───────  ────────────────────',
      'total (3 tables)    5,020  365 kB     1.50  2',
      '',
    ]);
  });

  it('cuts every line to the terminal width when given one', () => {
    const lines = summaryTable(summary, 40).split('\n');
    expect(Math.max(...lines.map((l) => l.length))).toBe(40);
    expect(lines[2]).toBe('customer            2,000  195 kB     0…');
  });
});
