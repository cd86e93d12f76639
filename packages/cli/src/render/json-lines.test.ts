import { DatabaseError, type RunEvent } from '@masque/core';
import { describe, expect, it } from 'vitest';
import { createRunRecorder } from '../report/run-report.ts';
import { jsonLinesReporter } from './json-lines.ts';

const table = { table: 'customer', rows: 2, bytes: 30, seconds: 0.5, skipped: false, maskedColumns: ['email'] };

/** A reporter over a fake clock, with every line it wrote parsed (a line that does not parse fails the test). */
function capture() {
  let clock = Date.parse('2026-01-01T00:00:00Z');
  const lines: string[] = [];
  const reporter = jsonLinesReporter(
    (l) => lines.push(l),
    () => clock,
  );
  const recorder = createRunRecorder(() => clock);
  return {
    send: (event: RunEvent, after = 0) => {
      clock += after;
      recorder.onEvent(event);
      reporter(event);
    },
    finish: (error?: unknown) => reporter.finish(recorder.finish(error)),
    parsed: () =>
      lines.map((l) => {
        expect(l.endsWith('\n') && !l.slice(0, -1).includes('\n')).toBe(true);
        return JSON.parse(l);
      }),
  };
}

describe('jsonLinesReporter', () => {
  it('writes one parseable object per event, with its time, and progress at most once a second', () => {
    const out = capture();
    out.send({ type: 'start', source: 'sqlite:a', target: 'sqlite:b', tables: 1 });
    out.send({ type: 'table-start', table: 'customer', estimatedRows: 2 });
    for (let i = 1; i <= 30; i++) out.send({ type: 'table-progress', table: 'customer', rows: i, bytes: i }, 100);
    out.send({ type: 'table-done', summary: table });
    const lines = out.parsed();
    expect(lines.map((l) => l.type)).toEqual([
      'start',
      'table-start',
      'table-progress',
      'table-progress',
      'table-progress',
      'table-done',
    ]);
    expect(lines.filter((l) => l.type === 'table-progress').map((l) => l.rows)).toEqual([1, 11, 21]);
    expect(lines[0]).toEqual({
      time: '2026-01-01T00:00:00.000Z',
      type: 'start',
      source: 'sqlite:a',
      target: 'sqlite:b',
      tables: 1,
    });
  });

  it("holds the core's done event back and ends with the report and exit code 0", () => {
    const out = capture();
    out.send({ type: 'table-done', summary: table });
    out.send(
      { type: 'done', summary: { startedAt: '', finishedAt: '', seconds: 1, rows: 2, bytes: 30, tables: [table] } },
      1000,
    );
    out.finish();
    const lines = out.parsed();
    expect(lines.map((l) => l.type)).toEqual(['table-done', 'done']);
    expect(lines.at(-1)).toMatchObject({
      type: 'done',
      exitCode: 0,
      summary: { status: 'ok', exitCode: 0, rows: 2, bytes: 30, seconds: 1, tables: [table] },
    });
  });

  it('ends a failed run with a failed line: the reason, the exit code and the tables done so far', () => {
    const out = capture();
    out.send({ type: 'table-done', summary: table });
    out.send({ type: 'table-start', table: 'orders' });
    out.finish(new DatabaseError('copying orders: connection reset'));
    const last = out.parsed().at(-1);
    expect(last).toMatchObject({ type: 'failed', exitCode: 3, error: 'copying orders: connection reset' });
    expect(last.summary).toMatchObject({ status: 'failed', exitCode: 3, rows: 2, tables: [table] });
  });

  it('keeps the failed line last: an event reported after it is not written', () => {
    const out = capture();
    out.send({ type: 'table-start', table: 'orders' });
    out.finish(new DatabaseError('lost the connection to the target database (postgres://…/staging): it was killed'));
    out.send({ type: 'table-progress', table: 'orders', rows: 10, bytes: 100 }, 2000);
    out.send({ type: 'warning', problem: { severity: 'warning', subject: 'orders', message: 'late' } });
    const lines = out.parsed();
    expect(lines.map((l) => l.type)).toEqual(['table-start', 'failed']);
    expect(lines.at(-1)).toMatchObject({ exitCode: 3, error: expect.stringContaining('it was killed') });
  });
});
