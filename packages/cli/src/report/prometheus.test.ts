import { describe, expect, it } from 'vitest';
import { prometheusText } from './prometheus.ts';
import type { RunReport } from './run-report.ts';

const report: RunReport = {
  status: 'ok',
  exitCode: 0,
  startedAt: '2026-01-01T02:30:00.000Z',
  finishedAt: '2026-01-01T02:31:30.500Z',
  seconds: 90.5,
  rows: 15,
  bytes: 140,
  tables: [
    {
      table: 'public.customer',
      rows: 10,
      bytes: 100,
      seconds: 1.25,
      skipped: false,
      maskedColumns: ['email', 'phone'],
    },
    { table: 'odd "name"\\x', rows: 5, bytes: 40, seconds: 0.5, skipped: false, maskedColumns: [] },
  ],
};

describe('prometheusText', () => {
  it('writes every figure as a gauge with HELP and TYPE before its samples', () => {
    const lines = prometheusText({ ...report, cutoverSeconds: 0.25 }).split('\n');
    const samples = lines.filter((l) => l && !l.startsWith('#'));
    expect(samples).toEqual([
      'masque_last_run_timestamp_seconds 1767234690.5',
      'masque_last_run_success 1',
      'masque_last_run_exit_code 0',
      'masque_run_duration_seconds 90.5',
      'masque_run_cutover_seconds 0.25',
      'masque_run_rows 15',
      'masque_run_bytes 140',
      'masque_table_rows{table="public.customer"} 10',
      'masque_table_rows{table="odd \\"name\\"\\\\x"} 5',
      'masque_table_bytes{table="public.customer"} 100',
      'masque_table_bytes{table="odd \\"name\\"\\\\x"} 40',
      'masque_table_duration_seconds{table="public.customer"} 1.25',
      'masque_table_duration_seconds{table="odd \\"name\\"\\\\x"} 0.5',
      'masque_table_masked_columns{table="public.customer"} 2',
      'masque_table_masked_columns{table="odd \\"name\\"\\\\x"} 0',
    ]);
    const names = [...new Set(samples.map((s) => s.replace(/[{ ].*/, '')))];
    for (const name of names) {
      const first = lines.findIndex((l) => l.startsWith(`${name} `) || l.startsWith(`${name}{`));
      expect(lines.slice(first - 2, first), name).toEqual([
        expect.stringMatching(new RegExp(`^# HELP ${name} \\S`)),
        `# TYPE ${name} gauge`,
      ]);
    }
    expect(lines.at(-1)).toBe(''); // ends with a newline
  });

  it('says a failed run failed, with its exit code, and keeps the tables finished before', () => {
    const text = prometheusText({
      ...report,
      status: 'failed',
      exitCode: 3,
      error: 'boom',
      tables: report.tables.slice(0, 1),
    });
    expect(text).toContain('\nmasque_last_run_success 0\n');
    expect(text).toContain('\nmasque_last_run_exit_code 3\n');
    expect(text).toContain('\nmasque_table_rows{table="public.customer"} 10\n');
    expect(text).not.toContain('odd');
    expect(text).not.toContain('cutover'); // it never got that far: no sample, and no HELP without one
    expect(text).not.toContain('boom'); // reasons go to logs, not into label values
  });
});
