/**
 * Wall time and peak memory of a child process and everything it starts (a shell pipeline's
 * psql pair, masque's node). /usr/bin/time is not everywhere, so memory is sampled from /proc:
 * each process's VmHWM (its own high-water mark, so a short spike between samples still
 * counts) and the sum of VmRSS over the whole tree at each sample.
 */
import { spawn } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';

export interface Measured {
  seconds: number;
  /** The largest VmHWM of any one process in the tree (masque: its node process). */
  peakRssBytes: number;
  /** The largest sum of VmRSS over the tree at one sample (a pipeline: both ends together). */
  peakTreeRssBytes: number;
  /**
   * CPU time (user + system) of the process and every process it waited for (a pipeline's
   * ends, reaped by its shell), from the kernel's account of this process's reaped children.
   */
  cpuSeconds: number;
  status: number | null;
  stdout: string;
  stderr: string;
}

export interface MeasureOptions {
  env?: NodeJS.ProcessEnv;
  cwd?: string;
  /**
   * Sampling interval after the first second (every 25 ms before, so short runs are seen too).
   * VmHWM is a high-water mark, so a coarse interval loses little; a scan of /proc costs about
   * 1.3 ms, so 250 ms keeps the sampler's own share of a core near 0.5 %.
   */
  intervalMs?: number;
}

/** Runs `command args…` to completion, measuring it; never throws on a non-zero exit. */
export function measure(command: string, args: string[], options: MeasureOptions = {}): Promise<Measured> {
  return new Promise((resolve, reject) => {
    const cpuBefore = reapedChildrenCpu();
    const started = performance.now();
    const child = spawn(command, args, {
      cwd: options.cwd,
      env: options.env ?? process.env,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const stdout: Buffer[] = [];
    const stderr: Buffer[] = [];
    child.stdout.on('data', (chunk: Buffer) => stdout.push(chunk));
    child.stderr.on('data', (chunk: Buffer) => stderr.push(chunk));
    const hwm = new Map<number, number>();
    let peakTree = 0;
    const sample = (): void => {
      if (child.pid === undefined) return;
      let tree = 0;
      for (const pid of descendants(child.pid)) {
        const status = memoryOf(pid);
        if (!status) continue;
        hwm.set(pid, Math.max(hwm.get(pid) ?? 0, status.hwm));
        tree += status.rss;
      }
      peakTree = Math.max(peakTree, tree);
    };
    let timer: NodeJS.Timeout | undefined;
    const schedule = (): void => {
      const early = performance.now() - started < 1000;
      const next = (): void => {
        sample();
        schedule();
      };
      timer = setTimeout(next, early ? 25 : (options.intervalMs ?? 250));
    };
    schedule();
    child.on('error', (error) => {
      clearTimeout(timer);
      reject(error);
    });
    // 'exit' comes before the pipes drain; the process is gone by then, so sampling stops there.
    child.on('exit', () => clearTimeout(timer));
    child.on('close', (status) => {
      resolve({
        seconds: (performance.now() - started) / 1000,
        peakRssBytes: Math.max(0, ...hwm.values()),
        peakTreeRssBytes: peakTree,
        cpuSeconds: reapedChildrenCpu() - cpuBefore,
        status,
        stdout: Buffer.concat(stdout).toString('utf8'),
        stderr: Buffer.concat(stderr).toString('utf8'),
      });
    });
  });
}

/** Clock ticks per second of /proc's CPU times: 100 on Linux. */
const ticksPerSecond = 100;

/**
 * CPU seconds of this process's children that have ended and been waited for (cutime + cstime
 * of /proc/self/stat), which include theirs in turn. Only one measured child runs at a time.
 */
function reapedChildrenCpu(): number {
  const stat = readFileSync('/proc/self/stat', 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  // After the command name: state is field 3, cutime field 16 and cstime field 17 of stat(5).
  return (Number(fields[13]) + Number(fields[14])) / ticksPerSecond;
}

/** `root` and every process below it, from the parent pids in /proc/<pid>/stat. */
function descendants(root: number): number[] {
  const children = new Map<number, number[]>();
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    const parent = parentOf(Number(entry));
    if (parent === undefined) continue;
    const list = children.get(parent) ?? [];
    list.push(Number(entry));
    children.set(parent, list);
  }
  const found = [root];
  for (let i = 0; i < found.length; i++) found.push(...(children.get(found[i]!) ?? []));
  return found;
}

function parentOf(pid: number): number | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // The command name may hold spaces and parentheses: the fields start after the last ')'.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return Number(fields[1]);
  } catch {
    return undefined; // it exited while we looked
  }
}

function memoryOf(pid: number): { hwm: number; rss: number } | undefined {
  try {
    const status = readFileSync(`/proc/${pid}/status`, 'utf8');
    const kib = (field: string): number =>
      Number(new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(status)?.[1] ?? 0) * 1024;
    return { hwm: kib('VmHWM'), rss: kib('VmRSS') };
  } catch {
    return undefined;
  }
}
