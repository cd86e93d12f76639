import { MasqueError } from '@masque/core';

/** SPEC exit codes: 0 ok, 1 a check found problems, 2 usage or config error, 3 database or runtime error. */
export const ExitCode = { ok: 0, problems: 1, usage: 2, runtime: 3 } as const;

/** The one place that turns an error into a message and an exit code. */
export function exitCodeOf(error: unknown): number {
  if (error instanceof MasqueError) return error.exitCode;
  const code = (error as { code?: string })?.code ?? '';
  if (['commander.helpDisplayed', 'commander.help', 'commander.version'].includes(code)) return ExitCode.ok;
  if (code.startsWith('commander.')) return ExitCode.usage;
  return ExitCode.runtime;
}
