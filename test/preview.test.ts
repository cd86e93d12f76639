/** `masque preview`: rows before and after masking from the source alone; nothing is written. */
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { createChinookSqlite, repoRoot, type TestFile } from './support/databases.ts';
import { runCli } from './support/run-cli.ts';

let source: TestFile;
const md5 = (path: string) => createHash('md5').update(readFileSync(path)).digest('hex');

beforeAll(() => {
  source = createChinookSqlite('preview');
});
afterAll(async () => {
  await source.drop();
});

describe('masque preview', () => {
  const preview = (...args: string[]) =>
    runCli(['preview', 'Customer', '--config', join(repoRoot, 'rules/chinook.yaml'), ...args], {
      MASQUE_SOURCE_URL: source.url,
      MASQUE_TARGET_URL: 'sqlite:/nonexistent/never-opened.db',
      MASQUE_SECRET: 'preview-secret',
    });

  it('shows source rows beside their masked form, as JSON', () => {
    const before = md5(source.path);
    const result = preview('-n', '3', '--json');
    expect(result.stderr).toBe('');
    expect(result.status).toBe(0);
    const out = JSON.parse(result.stdout);
    expect(out.table).toBe('Customer');
    expect(out.rows).toHaveLength(3);
    const email = out.columns.indexOf('Email');
    expect(out.rows[0].before[email]).toBe('luisg@embraer.com.br');
    expect(out.rows[0].after[email]).toMatch(/@example\.com$/);
    expect(out.rows[0].after[out.columns.indexOf('CustomerId')]).toBe(1);
    expect(out.masked).toContain('LastName');
    expect(out.masked).not.toContain('CustomerId');
    expect(md5(source.path)).toBe(before);
  });

  it('renders a side-by-side table by default, and is deterministic', () => {
    const first = preview('-n', '2');
    expect(first.status).toBe(0);
    expect(first.stdout).toContain('Customer: 2 row(s)');
    expect(first.stdout).toMatch(/FirstName\s+Luís\s+→\s+\S+/);
    expect(preview('-n', '2').stdout).toBe(first.stdout);
  });

  it('names an unknown table with exit 2', () => {
    const result = runCli(['preview', 'Custmer', '--config', join(repoRoot, 'rules/chinook.yaml')], {
      MASQUE_SOURCE_URL: source.url,
      MASQUE_TARGET_URL: 'x',
      MASQUE_SECRET: 's',
    });
    expect(result.status).toBe(2);
    expect(result.stderr).toContain('no table Custmer in the source');
  });
});

describe('masque preview without a target', () => {
  // rules/chinook.yaml says `target: ${MASQUE_TARGET_URL}`; here that variable is unset.
  const config = join(repoRoot, 'rules/chinook.yaml');
  const env = () => ({ MASQUE_SOURCE_URL: source.url, MASQUE_SECRET: 'preview-secret' });
  afterEach(() => vi.unstubAllEnvs());

  it("shows rows when MASQUE_TARGET_URL is unset, and accepts run's --target without opening it", () => {
    vi.stubEnv('MASQUE_TARGET_URL', undefined);
    const result = runCli(['preview', 'Customer', '--config', config, '-n', '2'], env());
    expect(result.stderr).toBe('');
    expect(result.status).toBe(0);
    expect(result.stdout).toContain('Customer: 2 row(s)');
    expect(result.stdout).toMatch(/FirstName\s+Luís\s+→\s+\S+/);
    const pasted = runCli(
      ['preview', 'Customer', '--config', config, '-n', '2', '--target', 'sqlite:/nonexistent/never-opened.db'],
      env(),
    );
    expect(pasted.stderr).toBe('');
    expect(pasted.stdout).toBe(result.stdout);
  });

  it('still needs the secret it masks with', () => {
    vi.stubEnv('MASQUE_TARGET_URL', undefined);
    vi.stubEnv('MASQUE_SECRET', undefined);
    const result = runCli(['preview', 'Customer', '--config', config], { MASQUE_SOURCE_URL: source.url });
    expect(result.status).toBe(2);
    expect(result.stderr).toContain('environment variable MASQUE_SECRET is not set');
    expect(result.stderr).not.toContain('MASQUE_TARGET_URL');
  });

  it('while run, which writes to the target, still stops naming MASQUE_TARGET_URL', () => {
    vi.stubEnv('MASQUE_TARGET_URL', undefined);
    const result = runCli(['run', '--config', config, '--log', 'json'], env());
    expect(result.status).toBe(2);
    expect(result.stderr).toContain('chinook.yaml:5:9: environment variable MASQUE_TARGET_URL is not set');
  });
});
