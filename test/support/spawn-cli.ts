import { spawn, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import { repoRoot } from './databases.ts';

/** One JSON line of `masque run --log json`. */
// biome-ignore lint/suspicious/noExplicitAny: parsed JSON; a test reads the fields of the event type it checked.
export type CliEvent = { type: string; [key: string]: any };

export interface RunningCli {
  child: ChildProcess;
  /** The JSON events so far, in order. */
  events: CliEvent[];
  stderr(): string;
  /** Resolves with the first event (so far or to come) that `test` accepts; rejects if the process ends first. */
  waitFor(test: (event: CliEvent) => boolean): Promise<CliEvent>;
  /** Resolves when the process has ended. */
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

/**
 * Starts `masque …` the way its bin script does, in one process (tsx registered in-process), so a
 * signal sent to the child reaches masque itself, not a wrapper. Output is JSON lines.
 */
export function spawnCli(args: string[], env: Record<string, string>): RunningCli {
  const child = spawn(process.execPath, [join(repoRoot, 'packages/cli/bin/masque.js'), ...args], {
    cwd: repoRoot,
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const events: CliEvent[] = [];
  const waiters: { test: (e: CliEvent) => boolean; resolve: (e: CliEvent) => void; reject: (e: Error) => void }[] = [];
  let stderr = '';
  let pending = '';
  child.stdout!.setEncoding('utf8').on('data', (chunk: string) => {
    pending += chunk;
    for (let newline = pending.indexOf('\n'); newline >= 0; newline = pending.indexOf('\n')) {
      const line = pending.slice(0, newline);
      pending = pending.slice(newline + 1);
      if (!line.trim()) continue;
      const event = JSON.parse(line) as CliEvent;
      events.push(event);
      for (const waiter of waiters.filter((w) => w.test(event))) {
        waiters.splice(waiters.indexOf(waiter), 1);
        waiter.resolve(event);
      }
    }
  });
  child.stderr!.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.on('close', (code, signal) => {
      for (const waiter of waiters.splice(0))
        waiter.reject(new Error(`masque ended (${code ?? signal}) before the event; stderr: ${stderr}`));
      resolve({ code, signal });
    }),
  );
  return {
    child,
    events,
    stderr: () => stderr,
    exited,
    waitFor: (test) => {
      const seen = events.find(test);
      if (seen) return Promise.resolve(seen);
      if (child.exitCode !== null || child.signalCode !== null)
        return Promise.reject(new Error(`masque already ended; stderr: ${stderr}`));
      return new Promise((resolve, reject) => waiters.push({ test, resolve, reject }));
    },
  };
}

/** Runs `masque …` to its end. */
export async function runToEnd(
  args: string[],
  env: Record<string, string>,
): Promise<{ code: number | null; events: CliEvent[]; stderr: string }> {
  const cli = spawnCli(args, env);
  const { code } = await cli.exited;
  return { code, events: cli.events, stderr: cli.stderr() };
}
