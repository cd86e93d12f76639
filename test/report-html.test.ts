/**
 * `masque report --html` and `masque run --report-html` after real runs. On Pagila: the page opens
 * in headless Chromium with the network cut off, its coverage figures equal what rules/pagila.yaml
 * says column by column, the run and verify figures equal their JSON reports, it holds no URL and
 * weighs under 1 MB, and a rule that stops masking is the first change listed against the
 * previous page. On a small SQLite database of its own: no source value of a masked column, and
 * not the secret, is anywhere in the page, with or without masked examples.
 */
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { dumpDom, screenshot } from './support/chromium.ts';
import { createPagilaSource, createPagilaTarget, psql, repoRoot, type TestDatabase } from './support/databases.ts';
import { runCli } from './support/run-cli.ts';

const folder = mkdtempSync(join(tmpdir(), 'masque-report-html-'));
afterAll(() => rmSync(folder, { recursive: true, force: true }));
/** Screenshots stay out of git (.gitignore): a person looks at them, the test only makes them. */
const screenshots = join(repoRoot, 'test/screenshots');

/** Per table, how many columns the rules file masks and keeps, read from the YAML itself. */
function ruleCounts(file: string): Map<string, { masked: number; kept: number }> {
  const tables = parse(readFileSync(file, 'utf8')).tables as Record<string, unknown>;
  const counts = new Map<string, { masked: number; kept: number }>();
  for (const [table, rule] of Object.entries(tables)) {
    const columns = Object.values((rule as { columns?: Record<string, unknown> }).columns ?? {});
    const kept = columns.filter((c) => c === 'keep' || (c as { transform?: string })?.transform === 'keep').length;
    counts.set(table, { masked: columns.length - kept, kept });
  }
  return counts;
}

/** The coverage table as the browser built it: per table (and `*` for all), the count per state. */
function coverageOnPage(dom: string): Map<string, Record<string, number>> {
  const section = /<section id="coverage">([\s\S]*?)<\/table>/.exec(dom)?.[1] ?? '';
  const rows = new Map<string, Record<string, number>>();
  for (const [, table, cells] of section.matchAll(/<tr data-table="([^"]+)">([\s\S]*?)<\/tr>/g)) {
    const counts: Record<string, number> = {};
    for (const [, state, n] of cells!.matchAll(/data-state="([^"]+)">([\d,]+)</g))
      counts[state!] = Number(n!.replace(/,/g, ''));
    rows.set(table!, counts);
  }
  return rows;
}

const decodeEntities = (html: string): string =>
  html
    .replace(/&#(\d+);/g, (_, n) => String.fromCodePoint(Number(n)))
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&quot;/g, '"')
    .replace(/&amp;/g, '&');

describe('Pagila', () => {
  let source: TestDatabase;
  let target: TestDatabase;
  const rules = join(repoRoot, 'rules/pagila.yaml');
  const secret = 'report-html-secret-7f3a';
  const env = () => ({ MASQUE_SOURCE_URL: source.url, MASQUE_TARGET_URL: target.url, MASQUE_SECRET: secret });
  const runJson = join(folder, 'run.json');
  const verifyJson = join(folder, 'verify.json');
  const runPage = join(folder, 'run-page.html');
  const page = join(folder, 'pagila.html');
  let html: string;
  let dom: string;

  beforeAll(async () => {
    [source, target] = await Promise.all([createPagilaSource(), createPagilaTarget()]);
    const run = runCli(['run', '-c', rules, '--quiet', '--report', runJson, '--report-html', runPage], env());
    expect(run.status, run.stderr).toBe(0);
    const verify = runCli(['verify', '-c', rules, '--quiet', '--log', 'json', '--report', verifyJson], env());
    expect(verify.status, verify.stderr).toBe(0);
    const report = runCli(
      ['report', '-c', rules, '--html', page, '--run-report', runJson, '--verify-report', verifyJson],
      env(),
    );
    expect(report.status, report.stderr).toBe(0);
    expect(report.stdout).toMatch(
      /masque report: .*pagila\.html \(\d+ KiB\): 17 table\(s\), 93 column\(s\), 18 masked/,
    );
    html = readFileSync(page, 'utf8');
    mkdirSync(screenshots, { recursive: true });
    screenshot(page, join(screenshots, 'report-pagila.png'), 1280, 4000);
    dom = dumpDom(page);
  });
  afterAll(async () => Promise.all([source?.drop(), target?.drop()]));

  it('opens in headless Chromium, and its coverage per table equals the rules file column by column', () => {
    expect(statSync(join(screenshots, 'report-pagila.png')).size).toBeGreaterThan(10_000);
    const expected = ruleCounts(rules);
    const shown = coverageOnPage(dom);
    expect(shown.size).toBe(expected.size + 1);
    let masked = 0;
    let columns = 0;
    for (const [table, { masked: m, kept }] of expected) {
      const row = shown.get(table);
      expect(row, table).toBeDefined();
      // Scan may find a kept column personal-looking: kept all the same, in a state that says so.
      const keptOnPage = row!.kept! + row!['kept-personal']! + row!['copy-of-masked']! + row!['quasi-identifier']!;
      expect({ table, masked: row!.masked, kept: keptOnPage, total: row!.total }).toEqual({
        table,
        masked: m,
        kept,
        total: m + kept,
      });
      expect(row!['no-rule'], table).toBe(0);
      expect(row!['not-copied'], table).toBe(0);
      masked += m;
      columns += m + kept;
    }
    expect(shown.get('*')).toMatchObject({ masked, total: columns, 'no-rule': 0, 'not-copied': 0 });
    expect(masked).toBe(18);
    // The actors' names are kept on purpose (public credits), and scan says they look like names.
    expect(shown.get('public.actor')).toMatchObject({ kept: 2, 'kept-personal': 2 });
  });

  it("shows the run's and verify's figures as their JSON reports hold them", () => {
    const run = JSON.parse(readFileSync(runJson, 'utf8')) as {
      rows: number;
      tables: { table: string; rows: number }[];
    };
    expect(run.rows).toBe(49636);
    expect(dom).toContain('<span data-run-rows="">49,636</span>');
    expect(dom).toMatch(/<b class="verify-clean" data-run-status="">ok<\/b> \(exit 0\)/);
    const section = /<section id="run">([\s\S]*?)<\/section>/.exec(dom)![1]!;
    for (const t of run.tables) {
      const cell = new RegExp(`<tr data-table="${t.table}">[\\s\\S]*?<td class="n" data-rows="">([\\d,]+)<`).exec(
        section,
      );
      expect(Number(cell?.[1]?.replace(/,/g, '')), t.table).toBe(t.rows);
    }
    expect(section).toContain('<svg class="chart"');
    expect(dom).toContain('<span data-verify-findings="">0</span>');
    // Each masked column says what verify found; dateShift and noise say why they were not leak-checked.
    expect(dom).toMatch(/<td class="verify-clean">leak check: no source value found in the target<\/td>/);
    expect(dom).toContain('not leak-checked: noise moves values, it does not replace them');
    // The rules file's comments are the reasons.
    expect(dom).toContain('a photo is personal: write NULL');
  });

  it('works offline: no URL, no script, nothing to fetch; under 1 MB', () => {
    expect(Buffer.byteLength(html)).toBeLessThan(1_000_000);
    expect(html).not.toMatch(/https?:\/\//i);
    expect(html).not.toMatch(/\ssrc=/i);
    expect(html).not.toMatch(/url\(|@import|<link|<iframe|<img/i);
    expect([...html.matchAll(/href="([^"]*)"/g)].map((m) => m[1]).filter((href) => !href!.startsWith('#'))).toEqual([]);
    // The one script element is the data block for the next report, which no browser runs.
    expect(html.match(/<script/g)).toHaveLength(1);
    expect(html).toContain('<script type="application/json" id="masque-report-data">');
    expect(html).toContain(`content="default-src 'none'; style-src 'unsafe-inline'"`);
    expect(html).not.toContain(secret);
  });

  it('run --report-html writes the page with the run just made', () => {
    const written = readFileSync(runPage, 'utf8');
    expect(written).toMatch(/<b class="verify-clean" data-run-status>ok<\/b> \(exit 0\)/);
    expect(written).toContain('<span data-run-rows>49,636</span>');
    expect(written).not.toContain(secret);
  });

  it('lists first, against the previous page, a column that is no longer masked', () => {
    const changed = join(folder, 'pagila-changed.yaml');
    const text = readFileSync(rules, 'utf8');
    writeFileSync(
      changed,
      text
        .replace('      email: email\n', '      email: keep # support needs the real addresses\n')
        .replace('keepLast: 2, char: "0"', 'keepLast: 4, char: "0"'),
    );
    const next = join(folder, 'pagila-next.html');
    const result = runCli(['report', '-c', changed, '--html', next, '--since', page], env());
    expect(result.status, result.stderr).toBe(0);
    const written = readFileSync(next, 'utf8');
    const changes = /<section class="first" id="changes">([\s\S]*?)<\/section>/.exec(written)?.[1] ?? '';
    const rows = [
      ...changes.matchAll(/<tr data-severity="(\w+)">[\s\S]*?<code>([^<]+)<\/code><\/td><td>([^<]*)</g),
    ].map(([, severity, subject, text]) => ({ severity, subject, text: decodeEntities(text!) }));
    expect(rows).toEqual([
      {
        severity: 'high',
        subject: 'public.customer.email',
        text: 'no longer masked: masked (email) → kept, looks personal (keep)',
      },
      {
        severity: 'medium',
        subject: 'public.address.phone',
        text: 'rule changed: partial (keepLast: 2, char: "0") → partial (keepLast: 4, char: "0")',
      },
    ]);
    // Read first: the changes come before the coverage.
    expect(written.indexOf('id="changes"')).toBeLessThan(written.indexOf('id="coverage"'));
    expect(written).toContain('support needs the real addresses');
  });

  it('compares with the page it replaces by default, and refuses a --since that is no report', () => {
    const again = runCli(['report', '-c', rules, '--html', page, '--quiet'], env());
    expect(again.status, again.stderr).toBe(0);
    const changes = /<section class="first" id="changes">[\s\S]*?<\/section>/.exec(readFileSync(page, 'utf8'))?.[0];
    expect(changes).toMatch(/Read first: changes since [^<]+<\/h2><p>None\.<\/p>/);
    const bad = runCli(['report', '-c', rules, '--html', join(folder, 'x.html'), '--since', runJson], env());
    expect(bad.status).toBe(2);
    expect(bad.stderr).toContain('not a page written by masque report');
    const wrong = runCli(['report', '-c', rules, '--html', join(folder, 'x.html'), '--run-report', verifyJson], env());
    expect(wrong.status).toBe(2);
    expect(wrong.stderr).toContain('--run-report');
    expect(existsSync(join(folder, 'x.html'))).toBe(false);
  });

  it('holds none of the text values of the masked columns of the source', () => {
    const values = psql(source.name, [
      '-c',
      `SELECT first_name FROM customer UNION SELECT last_name FROM customer UNION SELECT email FROM customer
       UNION SELECT address FROM address UNION SELECT district FROM address UNION SELECT postal_code FROM address
       UNION SELECT phone FROM address UNION SELECT username FROM staff UNION SELECT email FROM staff`,
    ])
      .split('\n')
      // Short codes and numbers could match a count or a time on the page by chance.
      .filter((v) => (/[A-Za-z]/.test(v) ? v.length >= 4 : v.length >= 8));
    expect(values.length).toBeGreaterThan(1500);
    const text = decodeEntities(html);
    expect(values.filter((v) => html.includes(v) || text.includes(v))).toEqual([]);
  });
});

describe('a small database of distinctive people', () => {
  const sourcePath = join(folder, 'people.sqlite');
  const targetPath = join(folder, 'people-target.sqlite');
  const rules = join(folder, 'people.yaml');
  const secret = 'people-secret-Xq93-never-shown';
  const env = {
    MASQUE_SOURCE_URL: `sqlite:${sourcePath}`,
    MASQUE_TARGET_URL: `sqlite:${targetPath}`,
    MASQUE_SECRET: secret,
  };
  const people = [
    [
      1,
      'Quintessa Marlowe-Vance',
      'quintessa.vance@haldane-example.org',
      '+44 20 7946 0123',
      '1950-03-14',
      30211.47,
      'asked about invoice 7731-ZX',
      'Llanfairpwll',
      0,
    ],
    [
      2,
      'Barnaby Okonkwo-Lindqvist',
      'b.lindqvist@fernhollow-example.net',
      '+1 415 555 0187',
      '1962-07-02',
      45890.13,
      'prefers calls after Tuesday noon',
      'Tromsø',
      1,
    ],
    [
      3,
      'Ottilie Fairweather',
      'ottilie@brackenridge-example.com',
      '030-9876543',
      '1971-11-23',
      83127.55,
      'allergic to the blue courier bags',
      'Reykjavík',
      0,
    ],
    [
      4,
      'Ignatius Pemberton-Oyelaran',
      'ignatius.po@quillmere-example.org',
      '(02) 9374 4000',
      '1985-01-30',
      120457.91,
      'VIP: wife is Henrietta Pemberton',
      'Wagga Wagga',
      1,
    ],
    [
      5,
      'Saoirse Vandermolen',
      'saoirse.v@thistledown-example.ie',
      '+353 1 555 0142',
      '1993-05-17',
      61338.02,
      'moved from Ballycastle in spring',
      'Kilkenny',
      0,
    ],
    [
      6,
      'Wilhelmina Achterberg',
      'w.achterberg@meadowlark-example.nl',
      '+31 20 555 0199',
      '2001-09-08',
      27704.66,
      'new account, referred by Otto Brandt',
      'Zaandam',
      0,
    ],
  ] as const;
  const orders = [
    [1, 1, '12 Wrenfield Close, Otterbury', '2024-02-11'],
    [2, 2, '7 Larkspur Mews, Hollowmere', '2024-03-05'],
    [3, 4, '221 Quarry Lane, Fennick Cross', '2024-03-19'],
    [4, 5, '3 Tansy Row, Ashcombe Vale', '2024-04-02'],
  ] as const;

  beforeAll(() => {
    const schema = `
      CREATE TABLE person (id INTEGER PRIMARY KEY, full_name TEXT NOT NULL, email TEXT UNIQUE, phone TEXT,
        birth_date TEXT, salary REAL, note TEXT, city TEXT, vip INTEGER NOT NULL);
      CREATE TABLE orders (id INTEGER PRIMARY KEY, person_id INTEGER REFERENCES person(id), ship_to TEXT,
        placed_at TEXT);`;
    for (const path of [sourcePath, targetPath]) new Database(path).exec(schema).close();
    const db = new Database(sourcePath);
    const insert = db.prepare('INSERT INTO person VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)');
    for (const p of people) insert.run(...p);
    const order = db.prepare('INSERT INTO orders VALUES (?, ?, ?, ?)');
    for (const o of orders) order.run(...o);
    db.close();
    writeFileSync(
      rules,
      `source: \${MASQUE_SOURCE_URL}
target: \${MASQUE_TARGET_URL}
secret: \${MASQUE_SECRET}
tables:
  person:
    columns:
      id: keep
      full_name: person.fullName
      email: email
      phone: phone
      birth_date: { transform: dateShift, days: 365 }
      salary: { transform: noise, percent: 10 }
      # a VIP's note is kept for the account managers: the page must still not show it
      note: { transform: redact, when: "vip = 0", otherwise: keep }
      city: keep # the town is needed for delivery statistics
      vip: keep
  orders:
    columns: { id: keep, person_id: keep, ship_to: location.streetAddress, placed_at: keep }
`,
    );
    const run = runCli(['run', '-c', rules, '--quiet', '--report', join(folder, 'people-run.json')], env);
    expect(run.status, run.stderr).toBe(0);
    const verify = runCli(['verify', '-c', rules, '--quiet', '--report', join(folder, 'people-verify.json')], env);
    expect(verify.status, verify.stderr).toBe(0);
  });

  /** Every source value of every column the rules mask (as text, as a page would write it). */
  const maskedValues = (): string[] => {
    const db = new Database(sourcePath, { readonly: true });
    const rows = [
      ...db.prepare('SELECT full_name, email, phone, birth_date, salary, note FROM person').raw().all(),
      ...db.prepare('SELECT ship_to FROM orders').raw().all(),
    ] as unknown[][];
    db.close();
    return rows.flat().map(String);
  };

  it('run --report-html writes the page of a run the rules stop, with the reason and the problem', () => {
    const broken = join(folder, 'people-broken.yaml');
    writeFileSync(
      broken,
      readFileSync(rules, 'utf8').replace('      vip: keep\n', '      vip: keep\n      vipp: keep\n'),
    );
    const page = join(folder, 'people-broken.html');
    const run = runCli(['run', '-c', broken, '--quiet', '--report-html', page], env);
    expect(run.status).toBe(1);
    const html = readFileSync(page, 'utf8');
    expect(html).toMatch(/<b class="verify-finding" data-run-status>failed<\/b> \(exit 1\)/);
    expect(html).toMatch(/<code>person\.vipp<\/code><\/td><td>no such column \(did you mean vip\?\)/);
    expect(html).not.toContain(secret);
  });

  it.each([
    ['without examples', []],
    ['with masked examples of every row', ['--examples', '10']],
  ])('holds no source value of a masked column, and not the secret, %s', (_, extra) => {
    const page = join(folder, `people-${extra.length}.html`);
    const args = ['report', '-c', rules, '--html', page, '--run-report', join(folder, 'people-run.json')];
    const result = runCli([...args, '--verify-report', join(folder, 'people-verify.json'), ...extra], env);
    expect(result.status, result.stderr).toBe(0);
    const html = readFileSync(page, 'utf8');
    const text = decodeEntities(html);
    const values = maskedValues();
    expect(values).toHaveLength(6 * 6 + 4);
    expect(values.filter((v) => html.includes(v) || text.includes(v))).toEqual([]);
    for (const form of [secret, 'Xq93']) expect(html).not.toContain(form);
    // The kept columns are where they should be: named, commented, counted.
    expect(text).toContain('the town is needed for delivery statistics');
    expect(text).toContain('redact when vip = 0, otherwise keep');
    expect(coverageOnPage(html).get('*')).toMatchObject({ masked: 7, total: 13 });
    if (!extra.length) {
      expect(html).not.toContain('masked examples');
      return;
    }
    // Examples are masked values only: the notes of VIPs, kept, are left out; the others are redacted.
    const notes = /<td><code>note<\/code><\/td>[\s\S]*?<td class="examples">([\s\S]*?)<\/td>/.exec(html)?.[1];
    expect(notes).toBe('<code>[redacted]</code>');
    const names = /<td><code>full_name<\/code><\/td>[\s\S]*?<td class="examples">([\s\S]*?)<\/td>/.exec(html)?.[1];
    expect(names?.match(/<code>/g)).toHaveLength(6);
  });
});
