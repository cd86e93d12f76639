import type { RunEvent } from '@masque/core';
import { describe, expect, it } from 'vitest';
import { createRunRecorder } from '../report/run-report.ts';
import { prettyReporter } from './pretty.ts';

/** A subset run as a file receives it (not a terminal), and as `--report` records it. */
function run(events: RunEvent[]) {
  let output = '';
  const write = (s: string): boolean => {
    output += s;
    return true;
  };
  const stream = { isTTY: false, write } as unknown as NodeJS.WriteStream;
  const reporter = prettyReporter(stream);
  const recorder = createRunRecorder();
  for (const event of events) {
    recorder.onEvent(event);
    reporter(event);
  }
  return { lines: output.split('\n'), report: recorder.finish() };
}

const customer = {
  table: 'customer',
  rows: 68,
  bytes: 5_698,
  seconds: 0.03,
  skipped: false,
  maskedColumns: ['email'],
  sourceRows: 599,
};

describe('a subset run, pretty and in the report', () => {
  it('says what the subset chose, and per table the rows kept of the rows in the source', () => {
    const { lines, report } = run([
      { type: 'subset', tables: 3, rows: 3_802, seconds: 0.7 },
      { type: 'table-start', table: 'customer', estimatedRows: 68 },
      { type: 'table-done', summary: customer },
      {
        type: 'done',
        summary: { startedAt: '', finishedAt: '', seconds: 2.8, rows: 68, bytes: 5_698, tables: [customer] },
      },
    ]);
    expect(lines).toContain('  subset: kept 3,802 rows of 3 table(s) in 0.70 s');
    expect(lines.some((l) => /^ {2}customer .* 68 of 599 rows /.test(l))).toBe(true);
    expect(lines.some((l) => /^customer +68 of 599 /.test(l))).toBe(true);
    expect(report.tables).toEqual([customer]);
  });
});
