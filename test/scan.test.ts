/**
 * `masque scan` through the CLI on Pagila (PostgreSQL) and Chinook (MariaDB, SQLite): the draft
 * masks every personal column listed in the datasets' README, says why, quotes no value, and
 * passes `masque check` as written.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { parseRules } from '@masque/core';
import { createPagilaSource, createPagilaTarget, psql } from './support/databases.ts';
import { mariadb, sqlite, type EngineDb } from './support/engines.ts';
import { runCli } from './support/run-cli.ts';

const folder = mkdtempSync(join(tmpdir(), 'masque-scan-'));
const cleanup: (() => Promise<unknown>)[] = [];
afterAll(async () => {
  await Promise.all(cleanup.map((drop) => drop()));
  rmSync(folder, { recursive: true, force: true });
});

/** Scans `sourceUrl` into a draft file; returns the file and the columns it masks (`table.column`). */
function scan(name: string, sourceUrl: string): { file: string; yaml: string; masked: string[] } {
  const file = join(folder, `${name}.yaml`);
  const result = runCli(['scan', '--source', sourceUrl, '--output', file]);
  expect(result.status, result.stderr).toBe(0);
  // The scan report (one screen per category), then the one-line summary.
  expect(result.stderr).toMatch(/^masque scan report\n {2}personal, masked \(\d+\):\n/);
  expect(result.stderr).toMatch(/\nmasque scan: \d+ table\(s\), \d+ column\(s\), \d+ look personal; draft written to /);
  const yaml = readFileSync(file, 'utf8');
  const rules = parseRules(yaml, file, { MASQUE_SOURCE_URL: 'x', MASQUE_TARGET_URL: 'y', MASQUE_SECRET: 'z' });
  const masked = rules.tables.flatMap((t) =>
    t.columns.filter((c) => c.transform !== 'keep').map((c) => `${t.pattern}.${c.column}`),
  );
  return { file, yaml, masked };
}

/** `check` of a draft: exit 0 and no error (warnings allowed). */
function expectCheckPasses(file: string, source: string, target: string): void {
  const result = runCli(['check', '--config', file, '--log', 'json'], {
    MASQUE_SOURCE_URL: source,
    MASQUE_TARGET_URL: target,
    MASQUE_SECRET: 'scan-secret',
  });
  expect(result.status, result.stdout + result.stderr).toBe(0);
  const summary = result.stdout
    .trim()
    .split('\n')
    .map((l) => JSON.parse(l))
    .find((l) => l.type === 'check');
  expect(summary).toMatchObject({ errors: 0, configErrors: 0 });
}

/**
 * The personal columns of ../shared/datasets/README.md ("Where the personal data is"), less
 * `film.description`: free text that names no one in its sample is kept, with a comment (issue 19).
 */
const pagilaPersonal = [
  'customer.first_name',
  'customer.last_name',
  'customer.email',
  'customer.create_date',
  'staff.first_name',
  'staff.last_name',
  'staff.email',
  'staff.username',
  'staff.password',
  'staff.picture',
  'address.address',
  'address.address2',
  'address.district',
  'address.postal_code',
  'address.phone',
  'payment.amount',
  'rental.rental_date',
  'rental.return_date',
].map((c) => `public.${c}`);
const chinookPerson = [
  'FirstName',
  'LastName',
  'Address',
  'City',
  'State',
  'Country',
  'PostalCode',
  'Phone',
  'Fax',
  'Email',
];
const chinookPersonal = [
  ...chinookPerson.map((c) => `Customer.${c}`),
  'Customer.Company',
  ...chinookPerson.map((c) => `Employee.${c}`),
  'Employee.BirthDate',
  'Employee.HireDate',
  ...['Address', 'City', 'State', 'Country', 'PostalCode'].map((c) => `Invoice.Billing${c}`),
];

describe('masque scan', () => {
  it('Pagila: masks every personal column, passes check, quotes no value', async () => {
    const [source, target] = await Promise.all([createPagilaSource(), createPagilaTarget()]);
    cleanup.push(source.drop, target.drop);
    const { file, yaml, masked } = scan('pagila', source.url);
    expect(masked).toEqual(expect.arrayContaining(pagilaPersonal));
    // What it masks beyond the README: actors' names (public film credits, by their column names),
    // and the last_update beside a shifted date, which moves with it so that their order holds.
    expect(masked.filter((c) => !pagilaPersonal.includes(c))).toEqual([
      'public.actor.first_name',
      'public.actor.last_name',
      'public.customer.last_update',
      'public.rental.last_update',
    ]);
    expect(yaml).toMatch(
      /# \(up to 1000 rows sampled per table\)\. 20 column\(s\) look personal and are masked and 2 date\(s\) move with them;\n/,
    );
    // The email is made from the masked names, upper case as Pagila's addresses are.
    expect(yaml).toContain(
      '      email: { transform: template, template: "{{masked.first_name | slug | upper}}.{{masked.last_name | slug | upper}}@example.com" }',
    );
    expect(yaml).toMatch(
      / {6}rental_date: \{ transform: dateShift, days: 30, by: customer_id \} {2,}# quasi-identifier: a date in a table that references public\.customer; with others it can single a person out: moved by customer_id with the row's other dates, or keep it\n/,
    );
    expect(yaml).toMatch(/ {6}phone: phone {2,}# its name suggests a phone number\n/);
    // Staff have a username that must agree with their names: one person group.
    expect(yaml).toMatch(/ {6}username: \{ transform: internet\.username, group: person \} {2,}#/);
    expect(yaml).toMatch(
      / {6}description: keep {2,}# sampled values: 1000 of 1000 look like free text, which may name people; no person named in 1000 sampled row\(s\): kept, review it\n/,
    );
    expect(yaml).toMatch(
      / {6}amount: \{ transform: noise, percent: 10 \} {2,}# quasi-identifier: an amount in a table that references public\.customer; noise blurs it, or keep it\n/,
    );
    for (const value of psql(source.name, ['-c', 'SELECT email FROM customer ORDER BY customer_id LIMIT 20'])
      .trim()
      .split('\n')) {
      expect(yaml).not.toContain(value);
    }
    expectCheckPasses(file, source.url, target.url);
  });

  describe.each([mariadb, sqlite])('Chinook on $name', (engine) => {
    let source: EngineDb;
    let target: EngineDb;

    it('masks every personal column and the draft passes check', async () => {
      [source, target] = await Promise.all([engine.chinook('scan_src'), engine.chinook('scan_dst', { empty: true })]);
      cleanup.push(source.drop, target.drop);
      const { file, yaml, masked } = scan(`chinook-${engine.name}`, source.url);
      expect(masked).toEqual(expect.arrayContaining(chinookPersonal));
      // Beyond the README: an employee's job title, and when and for how much a customer bought
      // (quasi-identifiers: dates and amounts of a person's invoice).
      expect(masked.filter((c) => !chinookPersonal.includes(c))).toEqual([
        'Employee.Title',
        'Invoice.InvoiceDate',
        'Invoice.Total',
      ]);
      // An address is drawn as one, the state as a code as Chinook writes it.
      expect(yaml).toMatch(
        / {6}BillingState: \{ transform: location\.state, group: billing_address, abbreviated: true \} {2,}#/,
      );
      expect(yaml).toMatch(/ {6}InvoiceDate: \{ transform: dateShift, days: 30, by: CustomerId \} {2,}#/);
      expectCheckPasses(file, source.url, target.url);
    });
  });

  it('never overwrites a file without --force', () => {
    const file = join(folder, 'reviewed.yaml');
    writeFileSync(file, '# reviewed rules\n');
    const result = runCli(['scan', '--source', 'sqlite:/nonexistent.db', '--output', file]);
    expect(result.status).toBe(2);
    expect(result.stderr).toContain(`${file} exists already: choose another --output, or add --force to overwrite it`);
    expect(readFileSync(file, 'utf8')).toBe('# reviewed rules\n');
  });
});
