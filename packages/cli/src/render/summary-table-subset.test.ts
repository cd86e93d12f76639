import { describe, expect, it } from 'vitest';
import { summaryTable } from './summary-table.ts';

/** A subset run: the root and its children kept in part, the other tables whole, one estimated. */
const subset = {
  rows: 2_100,
  bytes: 80_000,
  seconds: 2.5,
  tables: [
    { table: 'store', rows: 2, bytes: 60, seconds: 0.01, skipped: false, maskedColumns: [], sourceRows: 2 },
    {
      table: 'customer',
      rows: 68,
      bytes: 5_698,
      seconds: 0.03,
      skipped: false,
      maskedColumns: ['email'],
      sourceRows: 599,
    },
    {
      table: 'rental',
      rows: 2_030,
      bytes: 74_242,
      seconds: 0.06,
      skipped: false,
      maskedColumns: [],
      sourceRows: 12_000_000,
      sourceRowsEstimated: true,
    },
  ],
};

describe('summaryTable of a subset run', () => {
  it('says per table the rows kept of the rows in the source, ~ before an estimate, and in the total', () => {
    expect(summaryTable(subset).split('\n')).toEqual([
      'table                             rows    bytes  seconds  masked columns',
      '────────────────  ────────────────────  ───────  ───────  ──────────────',
      'store                                2     60 B     0.01  —',
      'customer                     68 of 599  5.70 kB     0.03  1: email',
      'rental            2,030 of ~12,000,000  74.2 kB     0.06  —',
      '────────────────  ────────────────────  ───────  ───────  ──────────────',
      'total (3 tables)  2,100 of ~12,000,601  80.0 kB     2.50  1',
      '',
    ]);
  });
});
