import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ConfigError, RuntimeError } from '@masque/core';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { checkOutputFiles, writeOutputFiles } from './output-files.ts';
import { createRunRecorder } from './run-report.ts';

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'masque-out-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

describe('--report and --metrics files', () => {
  it('refuses before the run a file in a folder that does not exist, or a folder, as usage errors (exit 2)', () => {
    expect(() => checkOutputFiles({ metrics: join(dir, 'nope/masque.prom') })).toThrow(ConfigError);
    expect(() => checkOutputFiles({ metrics: join(dir, 'nope/masque.prom') })).toThrow(
      /^--metrics .*nope\/masque\.prom: cannot write in .*nope \(ENOENT\)$/,
    );
    expect(() => checkOutputFiles({ report: dir })).toThrow(/^--report .*: is a folder, expected a file name$/);
    expect(() => checkOutputFiles({ report: join(dir, 'report.json'), metrics: join(dir, 'm.prom') })).not.toThrow();
  });

  it('writes both files and leaves no temporary file behind', () => {
    const report = createRunRecorder().finish();
    writeOutputFiles({ report: join(dir, 'report.json'), metrics: join(dir, 'masque.prom') }, report);
    expect(JSON.parse(readFileSync(join(dir, 'report.json'), 'utf8'))).toEqual(report);
    expect(readFileSync(join(dir, 'masque.prom'), 'utf8')).toContain('\nmasque_last_run_success 1\n');
    expect(readdirSync(dir).sort()).toEqual(['masque.prom', 'report.json']);
  });

  it('replaces an existing file whole, and still writes one file when the other fails (then exit 3)', () => {
    writeOutputFiles({ metrics: join(dir, 'masque.prom') }, createRunRecorder().finish(new Error('x')));
    // A folder where the report should go: the rename over it fails, even for root.
    mkdirSync(join(dir, 'report.json'));
    const files = { report: join(dir, 'report.json'), metrics: join(dir, 'masque.prom') };
    expect(() => writeOutputFiles(files, createRunRecorder().finish())).toThrow(RuntimeError);
    expect(() => writeOutputFiles(files, createRunRecorder().finish())).toThrow(/^--report .*report\.json: EISDIR/);
    expect(readFileSync(files.metrics, 'utf8')).toContain('\nmasque_last_run_success 1\n');
    expect(readdirSync(dir).sort()).toEqual(['masque.prom', 'report.json']);
  });
});
