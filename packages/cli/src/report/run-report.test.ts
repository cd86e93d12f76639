import { CheckError, ConfigError, DatabaseError } from '@masque/core';
import { describe, expect, it } from 'vitest';
import { createRunRecorder } from './run-report.ts';

const table = (name: string, rows: number, bytes: number) => ({
  table: name,
  rows,
  bytes,
  seconds: 1,
  skipped: false,
  maskedColumns: [],
});

describe('createRunRecorder', () => {
  it('reports a successful run: databases, clock, per-table figures and totals, exit code 0', () => {
    let clock = Date.parse('2026-01-01T02:30:00Z');
    const recorder = createRunRecorder(() => clock);
    recorder.onEvent({
      type: 'start',
      source: 'postgres://reader@prod/app',
      target: 'postgres://loader@staging/app',
      tables: 2,
    });
    recorder.onEvent({ type: 'table-done', summary: table('a', 10, 100) });
    recorder.onEvent({ type: 'table-done', summary: table('b', 5, 40) });
    recorder.onEvent({
      type: 'done',
      summary: { startedAt: '', finishedAt: '', seconds: 90, rows: 15, bytes: 140, cutoverSeconds: 0.25, tables: [] },
    });
    clock += 90_500;
    expect(recorder.finish()).toEqual({
      status: 'ok',
      exitCode: 0,
      source: 'postgres://reader@prod/app',
      target: 'postgres://loader@staging/app',
      startedAt: '2026-01-01T02:30:00.000Z',
      finishedAt: '2026-01-01T02:31:30.500Z',
      seconds: 90.5,
      cutoverSeconds: 0.25,
      rows: 15,
      bytes: 140,
      tables: [table('a', 10, 100), table('b', 5, 40)],
    });
  });

  it.each([
    [new CheckError([{ severity: 'error', subject: 'customer.email', message: 'no rule' }]), 1],
    [new ConfigError('unset variable MASQUE_SECRET'), 2],
    [new DatabaseError('cannot connect to staging'), 3],
  ])('reports a failure with its reason and exit code (%s)', (error, exitCode) => {
    const recorder = createRunRecorder();
    recorder.onEvent({ type: 'table-done', summary: table('a', 10, 100) });
    expect(recorder.finish(error)).toMatchObject({
      status: 'failed',
      exitCode,
      error: error.message,
      rows: 10,
      tables: [table('a', 10, 100)],
    });
  });

  it('calls an error of unknown kind unexpected, by its message only (no stack), exit code 3', () => {
    const report = createRunRecorder().finish(new TypeError('x is undefined'));
    expect(report).toMatchObject({
      status: 'failed',
      exitCode: 3,
      error: 'unexpected error: x is undefined',
      rows: 0,
      tables: [],
    });
    expect(report.source).toBeUndefined();
  });
});
