import { MasqueError } from '@masque/core';

/**
 * Why a command failed, in one line, as stderr and the run's report say it. Our errors are
 * written to be shown; anything else is a bug of ours, shown by its message only.
 */
export function reasonOf(error: unknown): string {
  if (error instanceof MasqueError) return error.message;
  const message = error instanceof Error ? error.message : String(error);
  return `unexpected error: ${message.replace(/\s*\n\s*/g, ' ')}`;
}

/**
 * `masque: <reason>`, one line; an unexpected error adds how to see its stack. With `debug`
 * (`--debug`), every error is followed by its stack and those of its causes.
 */
export function formatError(error: unknown, debug = false): string {
  const line = `masque: ${reasonOf(error)}`;
  if (debug) return [line, ...stacksOf(error)].join('\n');
  return error instanceof MasqueError ? line : `${line} (run again with --debug for the stack)`;
}

function stacksOf(error: unknown): string[] {
  const stacks: string[] = [];
  for (let e = error; e instanceof Error && stacks.length < 10; e = e.cause) {
    stacks.push(`${stacks.length ? 'caused by: ' : ''}${e.stack ?? e.message}`);
  }
  return stacks;
}
