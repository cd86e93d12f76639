/**
 * What `masque run` tells people and machines, through the CLI on real SQLite files: progress bars
 * and the summary table in a real terminal (tmux), JSON lines that parse line by line ending with
 * the summary, `--report` and `--metrics` files, on success and on each kind of failure.
 */
import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildSampleDatabase, createSampleSchema, loadRules } from '@masque/core';
import { repoRoot } from './support/databases.ts';
import { sqlite, type EngineDb } from './support/engines.ts';
import { parsePrometheusText, sampleValue } from './support/prometheus-text.ts';
import type { RunReport } from '../packages/cli/src/report/run-report.ts';
import { runCli } from './support/run-cli.ts';
import type { CliEvent } from './support/spawn-cli.ts';

const chinookRules = join(repoRoot, 'rules/chinook.yaml');
const chinookRows: Record<string, number> = {
  Artist: 275,
  Album: 347,
  Genre: 25,
  MediaType: 5,
  Track: 3503,
  Playlist: 18,
  PlaylistTrack: 8715,
  Employee: 8,
  Customer: 59,
  Invoice: 412,
  InvoiceLine: 2240,
};
/** Columns the rules mask, per table: every column whose rule is not `keep`. */
const maskedByRules = Object.fromEntries(
  loadRules(chinookRules, { MASQUE_SOURCE_URL: 'x', MASQUE_TARGET_URL: 'x', MASQUE_SECRET: 'x' }).tables.map((t) => [
    t.pattern,
    t.columns
      .filter((c) => c.transform !== 'keep')
      .map((c) => c.column)
      .sort(),
  ]),
);

let folder: string;
beforeAll(() => {
  folder = mkdtempSync(join(tmpdir(), 'masque-output-'));
});
afterAll(() => rmSync(folder, { recursive: true, force: true }));

/** Every line of stdout parsed as JSON: a line that is not JSON fails the test right here. */
function jsonLines(stdout: string): CliEvent[] {
  expect(stdout.endsWith('\n')).toBe(true);
  return stdout
    .slice(0, -1)
    .split('\n')
    .map((line, i) => {
      try {
        return JSON.parse(line);
      } catch {
        throw new Error(`stdout line ${i + 1} is not JSON: ${line}`);
      }
    });
}

describe('in a terminal (tmux)', () => {
  /** tmux's own server on a private socket, so nothing here touches anyone's sessions. */
  const socket = `masque-test-${randomBytes(4).toString('hex')}`;
  const tmux = (...args: string[]) => execFileSync('tmux', ['-L', socket, ...args], { encoding: 'utf8' });
  afterAll(() => {
    try {
      tmux('kill-server');
    } catch {
      // already gone
    }
  });

  it('draws a live bar per table with rows/s and ETA, then leaves finished lines and the summary table', async () => {
    const production = join(folder, 'production.db');
    const staging = join(folder, 'staging.db');
    // Big enough that each table takes a good part of a second: the bars must be caught mid-way.
    const built = buildSampleDatabase(production, { customers: 10_000 });
    createSampleSchema(staging);
    const total = Object.values(built.tables).reduce((a, b) => a + b, 0);
    const env = {
      MASQUE_SECRET: 'tmux-secret',
      MASQUE_SOURCE_URL: `sqlite:${production}`,
      MASQUE_TARGET_URL: `sqlite:${staging}`,
    };
    const command = `node packages/cli/bin/masque.js run --config rules/demo.yaml; echo "masque-exit=$?"; sleep 600`;
    tmux(
      'new-session',
      '-d',
      '-x',
      '160',
      '-y',
      '50',
      '-c',
      repoRoot,
      ...Object.entries(env).flatMap(([k, v]) => ['-e', `${k}=${v}`]),
      command,
    );

    const screens = new Set<string>();
    let screen = '';
    for (const deadline = Date.now() + 120_000; Date.now() < deadline && !/masque-exit=\d+/.test(screen); ) {
      screen = tmux('capture-pane', '-p');
      screens.add(screen);
      await new Promise((r) => setTimeout(r, 50));
    }
    expect(screen).toContain('masque-exit=0');

    const live =
      /^ {2}(customer|address|orders) +\[█*░+\] +\d{1,2}% {2}[\d,]+\/[\d,]+ rows {2}[\d,]+ rows\/s {2}ETA \d+:\d\d$/m;
    const caught = [...screens].flatMap((s) => s.split('\n').filter((l) => live.test(l)));
    expect(caught.length, 'bars seen mid-way').toBeGreaterThan(0);

    const lines = screen.split('\n').map((l) => l.trimEnd());
    for (const table of ['customer', 'address', 'orders']) {
      const rows = built.tables[table]!.toLocaleString('en');
      expect(lines, table).toContainEqual(
        expect.stringMatching(
          new RegExp(`^ {2}${table} +\\[█{20}\\] 100% {2}${rows} rows {2}[\\d.]+ [kM]?B {2}[\\d.]+ s$`),
        ),
      );
      expect(lines, table).toContainEqual(
        expect.stringMatching(new RegExp(`^${table} +${rows} +[\\d.]+ [kM]?B +[\\d.]+ +\\d+: `)),
      );
    }
    expect(lines).toContainEqual(expect.stringMatching(/^table +rows +bytes +seconds +masked columns$/));
    expect(lines).toContainEqual(
      expect.stringMatching(
        new RegExp(`^total \\(3 tables\\) +${total.toLocaleString('en')} +[\\d.]+ [kM]?B +[\\d.]+ +11$`),
      ),
    );
    // Redrawn in place: no bar is left behind on the final screen.
    expect(lines.filter((l) => l.includes('rows/s'))).toEqual([]);
  });

  it('keeps every line within a 100-column terminal, names every masked column and ends with a sentence', async () => {
    const [source, target] = await Promise.all([
      sqlite.chinook('production-copy'),
      sqlite.chinook('staging-copy', { empty: true }),
    ]);
    try {
      const env = { MASQUE_SECRET: 'narrow-secret', MASQUE_SOURCE_URL: source.url, MASQUE_TARGET_URL: target.url };
      const command = `node packages/cli/bin/masque.js run --config ${chinookRules}; echo "masque-exit=$?"; sleep 600`;
      tmux(
        'new-session',
        '-d',
        '-s',
        'narrow',
        '-x',
        '100',
        '-y',
        '80',
        '-c',
        repoRoot,
        ...Object.entries(env).flatMap(([k, v]) => ['-e', `${k}=${v}`]),
        command,
      );
      let screen = '';
      for (
        const deadline = Date.now() + 60_000;
        Date.now() < deadline && !/masque-exit=\d+/.test(screen);
        await new Promise((r) => setTimeout(r, 100))
      ) {
        // -J joins lines the terminal wrapped, so a line too wide shows as one long line.
        screen = tmux('capture-pane', '-p', '-J', '-t', 'narrow');
      }
      tmux('kill-session', '-t', 'narrow');
      expect(screen).toContain('masque-exit=0');
      const lines = screen.split('\n').map((l) => l.trimEnd());
      expect(lines.filter((l) => l.length > 100)).toEqual([]);

      // The source and target file paths are too long for one line together: both are shortened.
      expect(lines[0]).toMatch(
        /^masque: sqlite:\S*production-copy\.sqlite → sqlite:\S*staging-copy\.sqlite, 11 table\(s\)$/,
      );
      expect(lines[0]).toContain('…');

      // Each table's masked-columns cell, continuation lines included, names exactly the rules' columns.
      const header = lines.findIndex((l) => /^table +rows +bytes +seconds +masked columns$/.test(l));
      const at = lines[header]!.indexOf('masked columns');
      const shown: Record<string, string[]> = {};
      let table = '';
      for (const line of lines.slice(header + 2)) {
        if (line.startsWith('─')) break;
        if (!line.startsWith(' ')) {
          table = line.split(' ')[0]!;
          shown[table] = [];
        }
        const cell = line
          .slice(at)
          .replace(/^\d+: /, '')
          .trim();
        if (cell !== '—')
          shown[table]!.push(
            ...cell
              .split(',')
              .map((c) => c.trim())
              .filter(Boolean),
          );
      }
      expect(Object.fromEntries(Object.entries(shown).map(([t, columns]) => [t, columns.sort()]))).toEqual(
        maskedByRules,
      );

      expect(lines.filter(Boolean).at(-2)).toMatch(
        /^Refreshed 11 tables \(15,607 rows, 28 masked columns\) into sqlite:…\/staging-copy\.sqlite in \d+\.\d s\.$/,
      );
    } finally {
      await Promise.all([source.drop(), target.drop()]);
    }
  });
});

describe('for machines: Chinook SQLite → SQLite', () => {
  let source: EngineDb;
  let target: EngineDb;
  beforeAll(async () => {
    [source, target] = await Promise.all([sqlite.chinook('out-src'), sqlite.chinook('out-dst', { empty: true })]);
  });
  afterAll(async () => {
    await Promise.all([source?.drop(), target?.drop()]);
  });
  const run = (args: string[], rules = chinookRules) =>
    runCli(['run', '--config', rules, '--log', 'json', ...args], {
      MASQUE_SOURCE_URL: source.url,
      MASQUE_TARGET_URL: target.url,
      MASQUE_SECRET: 'output-secret',
    });

  it('writes JSON lines ending with the summary, the report and the metrics, with the right figures', () => {
    const report = join(folder, 'chinook-report.json');
    const metrics = join(folder, 'chinook.prom');
    const result = run(['--report', report, '--metrics', metrics]);
    expect(result.stderr).toBe('');
    expect(result.status).toBe(0);

    const lines = jsonLines(result.stdout);
    expect(lines.every((l) => typeof l.type === 'string' && !Number.isNaN(Date.parse(l.time)))).toBe(true);
    expect(
      lines
        .filter((l) => l.type === 'table-done')
        .map((l) => l.summary.table)
        .sort(),
    ).toEqual(Object.keys(chinookRows).sort());
    const last = lines.at(-1)!;
    expect(last).toMatchObject({ type: 'done', exitCode: 0, summary: { status: 'ok', exitCode: 0, rows: 15607 } });

    const written = JSON.parse(readFileSync(report, 'utf8')) as RunReport;
    expect(written).toEqual(last.summary);
    expect(Object.fromEntries(written.tables.map((t) => [t.table, t.rows]))).toEqual(chinookRows);
    expect(Object.fromEntries(written.tables.map((t) => [t.table, [...t.maskedColumns].sort()]))).toEqual(
      maskedByRules,
    );
    expect(written.seconds).toBeCloseTo((Date.parse(written.finishedAt) - Date.parse(written.startedAt)) / 1000, 2);
    // Bytes are the masked values as written: the target's values, in UTF-8 or decimal text, NULL as 0.
    for (const t of written.tables) {
      const columns = target
        .query(`SELECT name FROM pragma_table_info('${t.table}')`)
        .map(([c]) => `COALESCE(SUM(length(CAST("${c}" AS BLOB))), 0)`);
      const [[bytes]] = target.query(`SELECT ${columns.join(' + ')} FROM "${t.table}"`) as [[string]];
      expect(t.bytes, t.table).toBe(Number(bytes));
    }
    expect(written.bytes).toBe(written.tables.reduce((n, t) => n + t.bytes, 0));

    const prom = parsePrometheusText(readFileSync(metrics, 'utf8'));
    expect(sampleValue(prom, 'masque_last_run_success')).toBe(1);
    expect(sampleValue(prom, 'masque_last_run_exit_code')).toBe(0);
    expect(sampleValue(prom, 'masque_last_run_timestamp_seconds')).toBe(Date.parse(written.finishedAt) / 1000);
    expect(sampleValue(prom, 'masque_run_duration_seconds')).toBe(written.seconds);
    expect(sampleValue(prom, 'masque_run_rows')).toBe(15607);
    for (const t of written.tables) {
      expect(sampleValue(prom, 'masque_table_rows', { table: t.table })).toBe(chinookRows[t.table]);
      expect(sampleValue(prom, 'masque_table_bytes', { table: t.table })).toBe(t.bytes);
      expect(sampleValue(prom, 'masque_table_duration_seconds', { table: t.table })).toBe(t.seconds);
      expect(sampleValue(prom, 'masque_table_masked_columns', { table: t.table })).toBe(maskedByRules[t.table]!.length);
    }
  });

  it.each([
    {
      exitCode: 1,
      why: 'a column no rule names (strict)',
      rules: () => writeRules('no-fax', (text) => text.replace(/^ {6}Fax: .*\n/m, '')),
      error: /Fax/,
    },
    {
      exitCode: 2,
      why: 'a rules file that does not exist',
      rules: () => join(folder, 'missing.yaml'),
      error: /missing\.yaml/,
    },
    {
      exitCode: 3,
      why: 'the target refusing rows',
      rules: () => {
        refuseRows(target, 'InvoiceLine');
        return chinookRules;
      },
      error: /UNIQUE constraint failed: InvoiceLine\.InvoiceId/,
    },
  ])(
    'on exit $exitCode ($why) still ends with a parseable failed line, the report and the metrics',
    ({ exitCode, rules, error }) => {
      const report = join(folder, `failed-${exitCode}.json`);
      const metrics = join(folder, `failed-${exitCode}.prom`);
      const result = run(['--report', report, '--metrics', metrics], rules());
      expect(result.status).toBe(exitCode);
      expect(result.stderr).toMatch(/^masque: /);

      const last = jsonLines(result.stdout).at(-1)!;
      expect(last).toMatchObject({ type: 'failed', exitCode, summary: { status: 'failed', exitCode } });
      expect(last.error).toMatch(error);
      const written = JSON.parse(readFileSync(report, 'utf8')) as RunReport;
      expect(written).toEqual(last.summary);
      // The tables finished before the failure are in the report: none when the checks failed.
      const finished = written.tables.map((t) => t.table);
      if (exitCode === 3) expect(finished.length).toBeGreaterThan(0);
      else expect(finished).toEqual([]);

      const prom = parsePrometheusText(readFileSync(metrics, 'utf8'));
      expect(sampleValue(prom, 'masque_last_run_success')).toBe(0);
      expect(sampleValue(prom, 'masque_last_run_exit_code')).toBe(exitCode);
      expect(prom.samples.filter((s) => s.name === 'masque_table_rows').map((s) => s.labels.table)).toEqual(finished);
    },
  );

  it('refuses a --metrics path it could not write at the end, before the run, with exit 2 and a failed line', () => {
    const result = run(['--metrics', join(folder, 'no/such/folder/masque.prom')]);
    expect(result.status).toBe(2);
    expect(result.stderr).toMatch(
      /^masque: --metrics .*no\/such\/folder\/masque\.prom: cannot write in .* \(ENOENT\)\n$/,
    );
    expect(jsonLines(result.stdout)).toEqual([expect.objectContaining({ type: 'failed', exitCode: 2 })]);
  });
});

describe('the Prometheus text reader used above', () => {
  it('rejects what a scraper would reject', () => {
    const ok = '# HELP a_b x\n# TYPE a_b gauge\na_b{t="x\\"y"} 1.5\n';
    expect(parsePrometheusText(ok).samples).toEqual([{ name: 'a_b', labels: { t: 'x"y' }, value: 1.5 }]);
    expect(() => parsePrometheusText('a_b 1\n')).toThrow(/no HELP and TYPE/);
    expect(() => parsePrometheusText(ok.replace('1.5', '1.5 1700000000'))).toThrow(/not `name\{labels\} value`/);
    expect(() => parsePrometheusText(ok.replace('{t=', '{1t='))).toThrow(/not `name/);
    expect(() => parsePrometheusText(`${ok}# HELP c x\n# TYPE c gauge\nc 1\na_b 2\n`)).toThrow(/not together/);
    expect(() => parsePrometheusText(ok.slice(0, -1))).toThrow(/newline/);
  });
});

/** A copy of the Chinook rules, changed by `edit`. */
function writeRules(name: string, edit: (text: string) => string): string {
  const file = join(folder, `${name}.yaml`);
  writeFileSync(file, edit(readFileSync(chinookRules, 'utf8')));
  return file;
}

/**
 * A unique index only the target has, which `table`'s rows break (several lines per invoice), so
 * the run fails with a database error after the checks. (Not a trigger: the target's triggers stay
 * silent during a load.)
 */
function refuseRows(db: EngineDb, table: string): void {
  const file = new Database(db.url.slice('sqlite:'.length));
  // Emptied first: the rows an earlier run loaded break the index too.
  file.exec(`DELETE FROM "${table}"; CREATE UNIQUE INDEX refuse_rows ON "${table}" (InvoiceId)`);
  file.close();
}
