import { describe, expect, it } from 'vitest';
import { bar, doneLine, progressLine, type TableProgress } from './progress-line.ts';

const start = 1_000_000;
const at = (p: Partial<TableProgress>): TableProgress => ({
  table: 'customer',
  rows: 0,
  bytes: 0,
  startedAt: start,
  ...p,
});

describe('progress lines', () => {
  it('draws a bar that fills with the fraction, never past its ends', () => {
    expect(bar(0)).toBe(`[${'░'.repeat(20)}]`);
    expect(bar(0.5)).toBe(`[${'█'.repeat(10)}${'░'.repeat(10)}]`);
    expect(bar(0.99)).toBe(`[${'█'.repeat(19)}░]`); // full only when done
    expect(bar(1.7)).toBe(`[${'█'.repeat(20)}]`);
  });

  it('shows percent, rows of the estimate, rows/s and the ETA from the estimate', () => {
    // 2,500 of 10,000 rows in 5 s: 500 rows/s, 7,500 rows left: 15 s.
    const line = progressLine(at({ estimatedRows: 10_000, rows: 2_500 }), start + 5_000, 10, 0);
    expect(line).toBe(`  customer    ${bar(0.25)}  25%  2,500/10,000 rows  500 rows/s  ETA 0:15`);
  });

  it('has no ETA before the first rows, rather than dividing by zero', () => {
    expect(progressLine(at({ estimatedRows: 100 }), start + 50, 10, 0)).toContain('0/100 rows  0 rows/s  ETA -:--');
  });

  it.each([undefined, 0, -1])(
    'falls back to a spinner and a row counter when the estimate is %s (PostgreSQL before ANALYZE)',
    (estimatedRows) => {
      const line = progressLine(
        at({ rows: 1_200, ...(estimatedRows !== undefined && { estimatedRows }) }),
        start + 4_000,
        10,
        2,
      );
      expect(line).toBe('  customer    ⠹ 1,200 rows  300 rows/s  0:04 elapsed');
      expect(line).not.toMatch(/ETA|%/);
    },
  );

  it('drops the ETA once the rows outgrow a stale estimate', () => {
    const line = progressLine(at({ estimatedRows: 1_000, rows: 1_500 }), start + 1_000, 10, 0);
    expect(line).toBe('  customer    ⠋ 1,500 rows  1,500 rows/s  0:01 elapsed');
  });

  it('leaves a finished table as a full bar with rows, bytes and seconds; a skipped one says so', () => {
    const summary = {
      table: 'orders',
      rows: 75_577,
      bytes: 3_180_000,
      seconds: 2.934,
      skipped: false,
      maskedColumns: ['amount'],
    };
    expect(doneLine(summary, 8)).toBe(`  orders    ${bar(1)} 100%  75,577 rows  3.18 MB  2.93 s`);
    expect(doneLine({ ...summary, rows: 0, bytes: 0, skipped: true }, 8)).toBe('  orders    skipped (table emptied)');
    expect(doneLine({ ...summary, bytes: 0, resumed: true }, 8)).toBe(
      `  orders    ${bar(1)} 100%  75,577 rows  staged by the interrupted run`,
    );
  });
});
