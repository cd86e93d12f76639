/**
 * The Dockerfile's image without Docker (none runs here): the build stage's COPY lines (with
 * .dockerignore) and its `pnpm install`, replayed as written into a temporary folder that stands
 * for /opt/masque; then masque runs from there — `--help`, and a SQLite refresh. What the image
 * adds around it (Debian packages, the pnpm binary, the user) is checked by reading the file.
 */
import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join, relative } from 'node:path';
import { buildSampleDatabase, createSampleSchema } from '@masque/core';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { repoRoot } from './support/databases.ts';

const dockerfile = readFileSync(join(repoRoot, 'Dockerfile'), 'utf8');

/** The instructions of each stage: continuation lines joined, comments dropped. */
function stages(text: string): { from: string; instructions: string[] }[] {
  const lines = text.replace(/\\\n/g, ' ').split('\n');
  const result: { from: string; instructions: string[] }[] = [];
  for (const line of lines.map((l) => l.trim()).filter((l) => l && !l.startsWith('#'))) {
    if (/^FROM /.test(line)) result.push({ from: line, instructions: [] });
    else result.at(-1)?.instructions.push(line);
  }
  return result;
}

/** .dockerignore's patterns as one test of a path relative to the build context. */
function ignored(): (path: string) => boolean {
  const patterns = readFileSync(join(repoRoot, '.dockerignore'), 'utf8')
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => l && !l.startsWith('#'))
    .map((glob) => {
      const body = glob
        .replace(/[.+^${}()|[\]]/g, '\\$&')
        .replace(/\*\*\//g, '\u0000')
        .replace(/\*/g, '[^/]*')
        .replace(/\u0000/g, '(?:.*/)?');
      return new RegExp(`^${body}(?:/.*)?$`);
    });
  return (path) => patterns.some((p) => p.test(path));
}

describe('the Dockerfile', () => {
  const [build, image] = stages(dockerfile);
  let layout: string;
  let work: string;
  let install: { status: number | null; stderr: string };

  beforeAll(() => {
    layout = mkdtempSync(join(tmpdir(), 'masque-image-'));
    work = mkdtempSync(join(tmpdir(), 'masque-image-run-'));
    const skip = ignored();
    for (const instruction of build!.instructions) {
      const copy = /^COPY (?!--)(.+)$/.exec(instruction);
      if (copy) {
        // Docker's rules: a folder's contents go into the destination; a file goes into it when it
        // ends with a slash (or several sources share it), else becomes it.
        const parts = copy[1]!.split(/\s+/);
        const target = parts.pop()!;
        for (const source of parts) {
          const from = join(repoRoot, source);
          const into =
            statSync(from).isDirectory() || !(target.endsWith('/') || parts.length > 1)
              ? join(layout, target)
              : join(layout, target, basename(source));
          cpSync(from, into, { recursive: true, filter: (path) => !skip(relative(repoRoot, path)) });
        }
      }
      const run = /^RUN (pnpm install .+)$/.exec(instruction);
      if (run) {
        // This machine's pnpm store holds every locked package: offline, as the lockfile says.
        const args = run[1]!.split(/\s+/).slice(1);
        const result = spawnSync('npx', ['--yes', 'pnpm@10', ...args, '--prefer-offline'], {
          cwd: layout,
          encoding: 'utf8',
          env: { ...process.env, CI: '1' },
        });
        install = { status: result.status, stderr: result.stderr + result.stdout };
      }
    }
  }, 300_000);

  afterAll(() => {
    for (const dir of [layout, work]) if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('is multi-stage, small and non-root, with the client tools --create-schema needs', () => {
    expect(build!.from).toMatch(/ AS build$/);
    expect(image!.instructions).toContain('COPY --from=build /opt/masque /opt/masque');
    // Compilers stay in the build stage; the image gets pg_dump and nothing to build with.
    expect(build!.instructions.join('\n')).toMatch(/install .*python3 make g\+\+/);
    const installs = image!.instructions.filter((i) => /apt-get install/.test(i)).join('\n');
    expect(installs).toMatch(/postgresql-client-\$\{PG_MAJOR\}/);
    expect(installs).not.toMatch(/g\+\+|make|python3/);
    expect(image!.instructions).toContain('USER 10001:10001');
    expect(image!.instructions).toContain('WORKDIR /opt/masque');
    expect(image!.instructions).toContain('ENTRYPOINT ["node", "packages/cli/bin/masque.js"]');
  });

  it('installs the production dependencies from the lockfile, and nothing for tests, lint or types', () => {
    expect(install?.status, install?.stderr).toBe(0);
    const installed = readdirSync(join(layout, 'node_modules/.pnpm'));
    for (const dependency of ['pg@', 'better-sqlite3@', 'tsx@', 'commander@', '@faker-js+faker@'])
      expect(
        installed.some((name) => name.startsWith(dependency)),
        dependency,
      ).toBe(true);
    for (const devOnly of ['vitest@', 'typescript@', '@biomejs+', 'fast-check@', 'kubernetes-models@'])
      expect(
        installed.some((name) => name.startsWith(devOnly)),
        devOnly,
      ).toBe(false);
    expect(existsSync(join(layout, 'test'))).toBe(false);
    const tests = readdirSync(join(layout, 'packages'), { recursive: true })
      .map(String)
      .filter((f) => /\.test\.ts$/.test(f) && !f.includes('node_modules'));
    expect(tests).toEqual([]);
  });

  it('runs masque from there: --help, and a SQLite refresh', () => {
    const masque = (args: string[], env: Record<string, string> = {}) =>
      spawnSync(process.execPath, [join(layout, 'packages/cli/bin/masque.js'), ...args], {
        cwd: layout,
        encoding: 'utf8',
        env: { PATH: process.env.PATH!, HOME: work, ...env },
      });
    const help = masque(['--help']);
    expect(help.status, help.stderr).toBe(0);
    expect(help.stdout).toMatch(/^ {2}run \[options\]/m);

    const production = join(work, 'production.db');
    const staging = join(work, 'staging.db');
    const built = buildSampleDatabase(production, { customers: 150 }).tables;
    createSampleSchema(staging);
    const run = masque(['run', '--config', 'rules/demo.yaml', '--log', 'json'], {
      MASQUE_SOURCE_URL: `sqlite:${production}`,
      MASQUE_TARGET_URL: `sqlite:${staging}`,
      MASQUE_SECRET: 'image secret',
    });
    expect(run.status, run.stderr).toBe(0);
    expect(JSON.parse(run.stdout.trim().split('\n').at(-1)!)).toMatchObject({ type: 'done', exitCode: 0 });
    const db = new Database(staging, { readonly: true });
    const source = new Database(production, { readonly: true });
    try {
      expect(db.prepare('SELECT count(*) AS n FROM customer').get()).toEqual({ n: built.customer });
      const email = (d: Database.Database) => d.prepare('SELECT email FROM customer ORDER BY id LIMIT 1').pluck().get();
      expect(email(db)).not.toBe(email(source));
    } finally {
      db.close();
      source.close();
    }
  });
});
