import { CheckError, DatabaseError } from '@masque/core';
import { describe, expect, it } from 'vitest';
import { formatError, reasonOf } from './format-error.ts';

/** An error from deep in a driver, with a stack of several frames. */
function driverError(): Error {
  const error = new Error('duplicate key value violates unique constraint "audit_pkey"');
  const frames = ['    at Parser.parseErrorMessage (parser.js:1:1)', '    at async load (run.ts:2:2)'];
  error.stack = [`error: ${error.message}`, ...frames].join('\n');
  return error;
}

describe('formatError', () => {
  it("prints one of our errors as one line, with or without --debug's stack", () => {
    const lost = new DatabaseError(
      'lost the connection to the source database (mysql://…/db) while copying accounts: the server closed it',
    );
    expect(formatError(lost)).toBe(
      'masque: lost the connection to the source database (mysql://…/db) while copying accounts: the server closed it',
    );
    const debug = formatError(lost, true).split('\n');
    expect(debug[0]).toBe(formatError(lost));
    expect(debug[1]).toMatch(/^DatabaseError: lost the connection/);
    expect(debug.slice(2).every((l) => /^\s+at /.test(l))).toBe(true);
  });

  it('prints an unexpected error as one line that says how to see its stack', () => {
    const text = formatError(driverError());
    expect(text).toBe(
      'masque: unexpected error: duplicate key value violates unique constraint "audit_pkey" ' +
        '(run again with --debug for the stack)',
    );
    expect(text).not.toContain('\n');
    expect(text).not.toMatch(/\bat /);
  });

  it('prints the stack of an unexpected error, and of its cause, with --debug', () => {
    const error = new Error('could not move the tables', { cause: driverError() });
    const lines = formatError(error, true).split('\n');
    expect(lines[0]).toBe('masque: unexpected error: could not move the tables');
    expect(lines).toContain('caused by: error: duplicate key value violates unique constraint "audit_pkey"');
    expect(lines.filter((l) => /^\s+at /.test(l)).length).toBeGreaterThanOrEqual(3);
  });

  it('says a thrown non-error and a message of several lines in one line', () => {
    expect(formatError('boom')).toBe('masque: unexpected error: boom (run again with --debug for the stack)');
    expect(reasonOf(new Error('first\n  second'))).toBe('unexpected error: first second');
  });

  it("keeps our own multi-line messages (a check's problems) as they are written", () => {
    const error = new CheckError([{ severity: 'error', subject: 'customer.email', message: 'no rule' }]);
    expect(formatError(error)).toBe(`masque: ${error.message}`);
    expect(reasonOf(new DatabaseError('copying orders: x'))).toBe('copying orders: x');
  });
});
