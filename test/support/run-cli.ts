import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { repoRoot } from './databases.ts';

export interface CliResult {
  status: number | null;
  stdout: string;
  stderr: string;
}

/** Runs `masque …` as a user would (tsx over the sources), with extra environment. */
export function runCli(args: string[], env: Record<string, string> = {}): CliResult {
  const result = spawnSync(
    join(repoRoot, 'node_modules/.bin/tsx'),
    [join(repoRoot, 'packages/cli/src/main.ts'), ...args],
    {
      cwd: repoRoot,
      env: { ...process.env, ...env },
      encoding: 'utf8',
    },
  );
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}
