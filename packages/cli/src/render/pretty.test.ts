import { ConfigError, type RunEvent } from '@masque/core';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { createRunRecorder } from '../report/run-report.ts';
import { prettyReporter } from './pretty.ts';

/** A terminal's screen after `output`, for the escapes the live region uses: \n, \r, ESC[nA, ESC[J. */
function screen(output: string): string[] {
  const lines: string[] = [''];
  let row = 0;
  for (const token of output.match(/\x1b\[\d*[AJ]|\r|\n|[^\x1b\r\n]+/g) ?? []) {
    if (token === '\n') lines[++row] ??= '';
    else if (token === '\r')
      continue; // every write here starts a line at column 0
    else if (token.endsWith('A')) row -= Number(token.slice(2, -1) || 1);
    else if (token === '\x1b[J') lines.splice(row, lines.length, '');
    else lines[row] = token;
  }
  return lines.slice(0, lines.at(-1) === '' ? -1 : undefined);
}

function terminal(isTTY: boolean, columns = 100) {
  let output = '';
  const stream = {
    isTTY,
    columns: isTTY ? columns : undefined,
    write: (s: string) => {
      output += s;
      return true;
    },
  } as unknown as NodeJS.WriteStream;
  const reporter = prettyReporter(stream);
  const recorder = createRunRecorder();
  return {
    send: (event: RunEvent) => {
      recorder.onEvent(event);
      reporter(event);
    },
    finish: (error?: unknown) => reporter.finish(recorder.finish(error)),
    output: () => output,
    screen: () => screen(output),
  };
}

const customer = { table: 'customer', rows: 1000, bytes: 52_000, seconds: 2, skipped: false, maskedColumns: ['email'] };
const done: RunEvent = {
  type: 'done',
  summary: { startedAt: '', finishedAt: '', seconds: 2.5, rows: 1000, bytes: 52_000, tables: [customer] },
};

beforeEach(() => vi.useFakeTimers({ now: Date.parse('2026-01-01T00:00:00Z') }));
afterEach(() => vi.useRealTimers());

describe('prettyReporter on a terminal', () => {
  it('redraws one bar in place as rows arrive, then leaves the finished line and the summary table', () => {
    const t = terminal(true);
    t.send({ type: 'start', source: 'sqlite:a', target: 'sqlite:b', tables: 1 });
    t.send({ type: 'table-start', table: 'customer', estimatedRows: 1000 });
    vi.advanceTimersByTime(2000);
    t.send({ type: 'table-progress', table: 'customer', rows: 400, bytes: 20_000 });
    vi.advanceTimersByTime(100);
    expect(t.screen()).toEqual([
      'masque: sqlite:a → sqlite:b, 1 table(s)',
      expect.stringMatching(
        /^ {2}customer +\[█{8}░{12}\] {2}40% {2}400\/1,000 rows {2}19[0-9] rows\/s {2}ETA 0:0[0-9]$/,
      ),
    ]);
    t.send({ type: 'table-done', summary: customer });
    t.send({ type: 'commit' });
    vi.advanceTimersByTime(500);
    expect(t.screen().at(-1)).toMatch(/^ {2}[⠋⠙⠹⠸⠼⠴⠦⠧⠇⠏] committing {2}0:01$/);
    t.send(done);
    t.finish();
    const lines = t.screen();
    expect(lines.slice(0, 3)).toEqual([
      'masque: sqlite:a → sqlite:b, 1 table(s)',
      `  customer      [${'█'.repeat(20)}] 100%  1,000 rows  52.0 kB  2.00 s`,
      '  committed in 0.50 s',
    ]);
    expect(lines.filter((l) => l.includes('rows/s') || l.includes('committing'))).toEqual([]);
    expect(lines.slice(-5)).toEqual([
      expect.stringMatching(/^customer +1,000 +52\.0 kB +2\.00 +1: email$/),
      expect.stringMatching(/^─/),
      expect.stringMatching(/^total \(1 table\) +1,000 +52\.0 kB +2\.50 +1$/),
      '',
      'Refreshed 1 table (1,000 rows, 1 masked column) into sqlite:b in 2.5 s.',
    ]);
    expect(vi.getTimerCount()).toBe(0);
  });

  it('redraws at most every 100 ms, from progress events alone when a synchronous driver starves the timer', () => {
    const t = terminal(true);
    t.send({ type: 'table-start', table: 'customer', estimatedRows: 100_000 });
    const redraws = () => t.output().split('\x1b[1A').length - 1;
    for (let i = 1; i <= 100; i++) {
      vi.setSystemTime(Date.now() + 10); // the clock moves, timers never get to run
      t.send({ type: 'table-progress', table: 'customer', rows: i * 100, bytes: i });
    }
    expect(redraws()).toBe(10);
    expect(t.screen().at(-1)).toContain('10,000/100,000 rows');
  });

  it('shows a spinner and a row counter, no ETA, when the source has no estimate', () => {
    const t = terminal(true);
    t.send({ type: 'table-start', table: 'customer', estimatedRows: -1 });
    vi.advanceTimersByTime(1000);
    t.send({ type: 'table-progress', table: 'customer', rows: 5000, bytes: 1 });
    vi.advanceTimersByTime(100);
    expect(t.screen().at(-1)).toMatch(/^ {2}customer +[⠋⠙⠹⠸⠼⠴⠦⠧⠇⠏] 5,000 rows {2}4,545 rows\/s {2}0:01 elapsed$/);
  });

  it('on failure leaves the last state on screen, says where it stopped and stops redrawing', () => {
    const t = terminal(true);
    t.send({ type: 'table-done', summary: customer });
    t.send({ type: 'table-start', table: 'orders', estimatedRows: 10 });
    t.finish(new ConfigError('bad'));
    expect(t.screen().slice(-2)).toEqual([
      expect.stringMatching(/^ {2}orders +\[░{20}\] +0% {2}0\/10 rows/),
      '  stopped after 0.00 s, 1 table(s) finished',
    ]);
    expect(vi.getTimerCount()).toBe(0);
  });
});

describe('prettyReporter on a narrow terminal', () => {
  const source =
    'postgres://masque_reader:***@production-db.eu-west-1.internal.example.com:5432/northwind?sslmode=require';
  const target = 'postgres://masque_writer:***@staging-db.eu-west-1.internal.example.com:5432/staging?sslmode=require';
  const customers = {
    table: 'public.customers',
    rows: 91,
    bytes: 9_100,
    seconds: 0.01,
    skipped: false,
    maskedColumns: [
      'company_name',
      'contact_name',
      'contact_title',
      'address',
      'city',
      'region',
      'postal_code',
      'country',
      'phone',
      'fax',
    ],
  };
  const employees = {
    ...customers,
    table: 'public.employees',
    rows: 9,
    maskedColumns: ['last_name', 'first_name', 'birth_date', 'home_phone', 'photo_path'],
  };
  const log = { ...customers, table: 'public.audit_log', rows: 0, bytes: 0, skipped: true, maskedColumns: [] };
  const tables = [customers, employees, log];

  /** A whole successful run on a terminal `columns` wide; its final screen. */
  function run(columns: number): string[] {
    const t = terminal(true, columns);
    t.send({
      type: 'warning',
      problem: {
        severity: 'warning',
        subject: 'public.orders.ship_address',
        message: 'looks like personal data (an address) but is kept: mask it, or say keep with a reason',
      },
    });
    t.send({ type: 'start', source, target, tables: tables.length });
    for (const summary of tables) {
      t.send({ type: 'table-start', table: summary.table, estimatedRows: summary.rows });
      t.send({ type: 'table-done', summary });
    }
    t.send({ type: 'commit' });
    vi.advanceTimersByTime(200);
    t.send({
      type: 'done',
      summary: { startedAt: '', finishedAt: '', seconds: 3.21, rows: 100, bytes: 18_200, tables },
    });
    t.finish();
    return t.screen();
  }

  it.each([60, 100])(
    'at %i columns: no line is wider, every masked column is named, and a sentence says what happened',
    (columns) => {
      const lines = run(columns);
      expect(lines.filter((l) => l.length > columns)).toEqual([]);
      const words = new Set(lines.join('\n').split(/[\s,:]+/));
      for (const column of [...customers.maskedColumns, ...employees.maskedColumns])
        expect(words, column).toContain(column);
      expect(lines.join('\n')).not.toMatch(/masque_(reader|writer):(?!\*\*\*@)/);
      expect(lines.join(' ')).toMatch(
        /Refreshed 3 tables \(100 rows, 15 masked columns, 1 emptied\) into postgres:\/\/\S*\/staging in 3\.2 s\.$/,
      );
    },
  );

  it('shortens the URLs sensibly, down to the database names, and wraps only what still does not fit', () => {
    const wide = run(100);
    expect(wide).toContain('masque: postgres://…/northwind → postgres://…/staging, 3 table(s)');
    expect(wide.at(-1)).toBe(
      'Refreshed 3 tables (100 rows, 15 masked columns, 1 emptied) into postgres://…/staging in 3.2 s.',
    );
    const narrow = run(60);
    expect(narrow.slice(2, 5)).toEqual([
      '  reason',
      'masque: postgres://…/northwind →',
      '  postgres://…/staging, 3 table(s)',
    ]);
    expect(narrow.slice(-2)).toEqual([
      'Refreshed 3 tables (100 rows, 15 masked columns, 1 emptied)',
      'into postgres://…/staging in 3.2 s.',
    ]);
    expect(narrow).toContain('  public.employees: last_name, first_name, birth_date,');
  });
});

describe('prettyReporter elsewhere (--log pretty into a file)', () => {
  it('writes finished lines and the summary, and not one escape code', () => {
    const t = terminal(false);
    t.send({ type: 'warning', problem: { severity: 'warning', subject: 'secret', message: 'no secret' } });
    t.send({ type: 'table-start', table: 'customer', estimatedRows: 1000 });
    t.send({ type: 'table-progress', table: 'customer', rows: 500, bytes: 1 });
    vi.advanceTimersByTime(1000);
    t.send({ type: 'table-done', summary: customer });
    t.send({ type: 'commit' });
    t.send(done);
    expect(t.output()).not.toMatch(/\x1b|\r/);
    expect(t.output().split('\n').slice(0, 4)).toEqual([
      'warning: secret: no secret',
      `  customer      [${'█'.repeat(20)}] 100%  1,000 rows  52.0 kB  2.00 s`,
      '  committing',
      '  committed in 0.00 s',
    ]);
    expect(vi.getTimerCount()).toBe(0);
  });
});
