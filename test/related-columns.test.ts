/**
 * Related columns stay related (issue 18), through the CLI on the real servers: on Pagila, rental
 * durations survive `dateShift … by: rental_id`, customer emails are built from the masked names of
 * their own row and stay unique, a cycle is a config error; on a schema of our own, an address
 * group gives a real city, region and postal code of the locale's country on PostgreSQL, MariaDB
 * and SQLite. Same secret, same output; another secret, another.
 */
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addressCountry } from '../packages/core/src/transformers/address-data.ts';
import { createPagilaSource, createPagilaTarget, psql, repoRoot, type TestDatabase } from './support/databases.ts';
import { pgColumnsMd5 } from './support/pg-checks.ts';
import { runCli } from './support/run-cli.ts';
import { createScratchDb, type EngineName, type ScratchDb } from './support/scratch-db.ts';

const folder = mkdtempSync(join(tmpdir(), 'masque-related-'));
const pagilaRules = readFileSync(join(repoRoot, 'rules/pagila.yaml'), 'utf8');

/** rules/pagila.yaml with some rules replaced, written to a file of its own. */
function pagilaWith(name: string, replacements: [string, string][]): string {
  let text = pagilaRules;
  for (const [from, to] of replacements) {
    expect(text).toContain(from);
    text = text.replace(from, to);
  }
  const file = join(folder, `${name}.yaml`);
  writeFileSync(file, text);
  return file;
}

const rentalsBy: [string, string][] = [
  ['rental_date: { transform: dateShift, days: 3 }', 'rental_date: { transform: dateShift, days: 30, by: rental_id }'],
  ['return_date: { transform: dateShift, days: 3 }', 'return_date: { transform: dateShift, days: 30, by: rental_id }'],
];
const customerEmail = (template: string): [string, string] => [
  '      email: email\n      address_id: keep',
  `      email: { transform: template, template: "${template}", unique: true }\n      address_id: keep`,
];

const namesRules = pagilaWith('names', [
  ...rentalsBy,
  customerEmail('{{masked.first_name | lower}}.{{masked.last_name | lower}}@example.com'),
]);
/** Last names alone: 599 customers share far fewer fake last names, so the unique repairs must work. */
const lastNameRules = pagilaWith('last-name', [customerEmail('{{masked.last_name | lower}}@example.com')]);
/** A person group over the customer's names and email: Pagila's names are upper case. */
const personRules = pagilaWith('person', [
  [
    '      first_name: person.firstName\n      last_name: person.lastName\n      email: email\n      address_id',
    '      first_name: { transform: person.firstName, group: person }\n' +
      '      last_name: { transform: person.lastName, group: person }\n' +
      '      email: { transform: email, group: person }\n      address_id',
  ],
]);
const cycleRules = pagilaWith('cycle', [
  ['      first_name: person.firstName\n      last_name: person.lastName\n      email: email\n      address_id', ''],
]);

let source: TestDatabase;
let target: TestDatabase;

beforeAll(async () => {
  [source, target] = await Promise.all([createPagilaSource(), createPagilaTarget()]);
});
afterAll(async () => {
  await Promise.all([source?.drop(), target?.drop()]);
});

const runPagila = (rules: string, secret: string) => {
  const env = { MASQUE_SOURCE_URL: source.url, MASQUE_TARGET_URL: target.url, MASQUE_SECRET: secret };
  const result = runCli(['run', '--config', rules, '--quiet'], env);
  expect(result.stderr).toBe('');
  expect(result.status).toBe(0);
};

/** `id|seconds` per rental with a return date, from psql. */
const durations = (db: string) =>
  psql(db, [
    '-c',
    'SELECT rental_id, extract(epoch FROM return_date - rental_date) FROM rental ' +
      'WHERE return_date IS NOT NULL ORDER BY rental_id',
  ]);

const customers = () =>
  psql(target.name, ['-c', 'SELECT first_name, last_name, email FROM customer ORDER BY customer_id'])
    .trim()
    .split('\n')
    .map((line) => line.split('|') as [string, string, string]);

/** Days from the epoch of each rental's date, by rental_id order. */
const rentalDays = (db: string) =>
  psql(db, ['-c', "SELECT (rental_date AT TIME ZONE 'UTC')::date - date '2000-01-01' FROM rental ORDER BY rental_id"])
    .trim()
    .split('\n')
    .map(Number);

describe('Pagila: related columns', () => {
  let first: string;

  it('keeps every rental’s duration under dateShift by rental_id, and moves the dates', () => {
    runPagila(namesRules, 'related-one');
    const before = durations(source.name);
    expect(before.trim().split('\n').length).toBeGreaterThan(15_000);
    expect(durations(target.name)).toBe(before);
    const [from, to] = [rentalDays(source.name), rentalDays(target.name)];
    expect(to).toHaveLength(16_044);
    const shifts = to.map((day, i) => day - from[i]!);
    expect(shifts.filter((d) => d === 0 || Math.abs(d) > 30)).toEqual([]);
    expect(new Set(shifts).size).toBe(60);
    first = pgColumnsMd5(target.name, 'rental', ['rental_id', 'rental_date', 'return_date']);
  });

  it('builds customer emails from the masked names of the same row, unique over 599 customers', () => {
    const rows = customers();
    expect(rows).toHaveLength(599);
    const sourceNames = psql(source.name, ['-c', 'SELECT first_name FROM customer ORDER BY customer_id']).split('\n');
    expect(rows.filter(([firstName], i) => firstName === sourceNames[i]).length).toBeLessThan(10);
    let numbered = 0;
    for (const [firstName, lastName, email] of rows) {
      const base = `${firstName.toLowerCase()}.${lastName.toLowerCase()}`;
      expect(email.startsWith(base) && email.endsWith('@example.com'), email).toBe(true);
      const between = email.slice(base.length, -'@example.com'.length);
      expect(between).toMatch(/^\d*$/);
      if (between) numbered++;
    }
    expect(numbered).toBeLessThan(10);
    expect(new Set(rows.map(([, , email]) => email)).size).toBe(599);
  });

  it('is deterministic: the same secret gives the same output, another secret another', () => {
    const emails = pgColumnsMd5(target.name, 'customer', ['customer_id', 'email']);
    runPagila(namesRules, 'related-one');
    expect(pgColumnsMd5(target.name, 'rental', ['rental_id', 'rental_date', 'return_date'])).toBe(first);
    expect(pgColumnsMd5(target.name, 'customer', ['customer_id', 'email'])).toBe(emails);
    runPagila(namesRules, 'related-two');
    expect(pgColumnsMd5(target.name, 'rental', ['rental_id', 'rental_date', 'return_date'])).not.toBe(first);
    expect(pgColumnsMd5(target.name, 'customer', ['customer_id', 'email'])).not.toBe(emails);
    expect(durations(target.name)).toBe(durations(source.name));
  });

  it('keeps a unique email unique when many masked names collide: repairs are numbered variants', () => {
    runPagila(lastNameRules, 'related-one');
    const rows = customers();
    const lastNames = new Set(rows.map(([, lastName]) => lastName));
    // Far fewer fake last names than customers: hundreds of emails had to be repaired.
    expect(lastNames.size).toBeLessThan(450);
    let numbered = 0;
    for (const [, lastName, email] of rows) {
      const match = /^(.*?)(\d*)@example\.com$/.exec(email);
      expect(match?.[1], email).toBe(lastName.toLowerCase());
      if (match![2]) numbered++;
    }
    expect(numbered).toBe(599 - lastNames.size);
    expect(new Set(rows.map(([, , email]) => email)).size).toBe(599);
  });

  it('draws each customer as one person: upper-case names as in the source, the email from those names', () => {
    runPagila(personRules, 'related-one');
    const rows = customers();
    const slug = (s: string) =>
      s
        .normalize('NFKD')
        .replace(/[^A-Za-z0-9]/g, '')
        .toUpperCase();
    const sourceRows = psql(source.name, ['-c', 'SELECT first_name, last_name FROM customer ORDER BY customer_id'])
      .trim()
      .split('\n');
    let same = 0;
    for (const [i, [firstName, lastName, email]] of rows.entries()) {
      expect(firstName).toBe(firstName.toUpperCase());
      expect(lastName).toBe(lastName.toUpperCase());
      expect(email).toBe(`${slug(firstName)}.${slug(lastName)}@example.com`);
      if (`${firstName}|${lastName}` === sourceRows[i]) same++;
    }
    expect(same).toBe(0);
    expect(new Set(rows.map(([firstName]) => firstName)).size).toBeGreaterThan(300);
  });

  it('refuses a cycle of masked values before anything is written, naming the columns and the place', () => {
    const cycle = readFileSync(cycleRules, 'utf8').replace(
      '      customer_id: keep\n      store_id: keep\n',
      '      customer_id: keep\n      store_id: keep\n' +
        '      first_name: { transform: template, template: "{{masked.email | initial}}x" }\n' +
        '      last_name: person.lastName\n' +
        '      email: { transform: template, template: "{{masked.first_name}}@example.com" }\n' +
        '      address_id',
    );
    writeFileSync(cycleRules, cycle);
    const before = pgColumnsMd5(target.name, 'customer', ['customer_id', 'email']);
    const env = { MASQUE_SOURCE_URL: source.url, MASQUE_TARGET_URL: target.url, MASQUE_SECRET: 'related-one' };
    const result = runCli(['run', '--config', cycleRules, '--quiet'], env);
    expect(result.status).toBe(2);
    expect(result.stderr).toContain(
      `${cycleRules}:17:7: public.customer: first_name → email → first_name read each other's masked values in a cycle`,
    );
    expect(pgColumnsMd5(target.name, 'customer', ['customer_id', 'email'])).toBe(before);
  });
});

// ---------------------------------------------------------------- address groups on every engine

const ADDRESS_DDL = `CREATE TABLE contact (
  id INTEGER PRIMARY KEY,
  name VARCHAR(80),
  street VARCHAR(100),
  city VARCHAR(60),
  region VARCHAR(60),
  region_code VARCHAR(8),
  postal_code VARCHAR(12),
  country VARCHAR(40)
)`;

/** 300 contacts: streets, cities and postal codes of no one country, a few NULL cities. */
function contacts(): unknown[][] {
  const cities = ['Berlin', 'Springfield', 'Lyon', 'Osaka', 'Fort Worth', 'Lao'];
  return Array.from({ length: 300 }, (_, i) => [
    i + 1,
    `Person ${i}`,
    `${i} Main Street`,
    i % 50 === 7 ? null : cities[i % cities.length],
    i % 3 ? 'Washington' : 'Bayern',
    i % 3 ? 'WA' : 'BY',
    String(10_000 + i * 37),
    i % 2 ? 'Germany' : 'United States',
  ]);
}

const addressRules = (locale: string) => {
  const file = join(folder, `address-${locale}.yaml`);
  writeFileSync(
    file,
    `source: \${MASQUE_SOURCE_URL}
target: \${MASQUE_TARGET_URL}
secret: \${MASQUE_SECRET}
locale: ${locale}
tables:
  contact:
    columns:
      id: keep
      name: keep
      street: { transform: location.streetAddress, group: address }
      city: { transform: location.city, group: address }
      region: { transform: location.state, group: address }
      region_code: { transform: location.state, abbreviated: true, group: address }
      postal_code: { transform: location.zipCode, group: address }
      country: { transform: location.country, group: address }
`,
  );
  return file;
};

const engines: [EngineName, string][] = [
  ['postgres', 'en'],
  ['mysql', 'de'],
  ['sqlite', 'it'],
];

describe.each(engines)('address group on %s (locale %s)', (engine, locale) => {
  let src: ScratchDb;
  let dst: ScratchDb;
  const select = 'SELECT id, street, city, region, region_code, postal_code, country FROM contact ORDER BY id';
  const run = (secret: string) => {
    const env = { MASQUE_SOURCE_URL: src.url, MASQUE_TARGET_URL: dst.url, MASQUE_SECRET: secret };
    const result = runCli(['run', '--config', addressRules(locale), '--quiet'], env);
    expect(result.stderr).toBe('');
    expect(result.status).toBe(0);
  };

  beforeAll(async () => {
    [src, dst] = await Promise.all([
      createScratchDb(engine, 'addr_src', ADDRESS_DDL),
      createScratchDb(engine, 'addr_dst', ADDRESS_DDL),
    ]);
    const rows = contacts();
    const insert = 'INSERT INTO contact VALUES (?, ?, ?, ?, ?, ?, ?, ?)';
    for (let i = 0; i < rows.length; i += 50) {
      const chunk = rows.slice(i, i + 50);
      const values = chunk.map(() => '(?, ?, ?, ?, ?, ?, ?, ?)').join(', ');
      await src.query(insert.replace('(?, ?, ?, ?, ?, ?, ?, ?)', values), chunk.flat());
    }
  });
  afterAll(async () => {
    await Promise.all([src?.drop(), dst?.drop()]);
  });

  it("writes real places of the locale's country: city, region, its code and postal code agree", async () => {
    run('address-one');
    const { places, name } = addressCountry(locale)!;
    const rows = await dst.query(select);
    expect(rows).toHaveLength(300);
    const cities = new Set<unknown>();
    for (const [id, street, city, region, code, postal, country] of rows) {
      expect(String(street).length).toBeGreaterThan(3);
      expect(country).toBe(name);
      if ((Number(id) - 1) % 50 === 7) {
        // NULL stays NULL; the row's other columns still make one place.
        expect(city).toBeNull();
        expect(places.some((p) => p[1] === region && p[2] === code && p[3] === postal)).toBe(true);
        continue;
      }
      expect(places).toContainEqual([city, region, code, postal]);
      cities.add(city);
    }
    expect(cities.size).toBeGreaterThan(places.length / 2);
  });

  it('is deterministic per secret', async () => {
    const first = await dst.query(select);
    run('address-one');
    expect(await dst.query(select)).toEqual(first);
    run('address-two');
    const other = await dst.query(select);
    expect(other.filter((row, i) => row[2] === first[i]![2] && row[1] === first[i]![1]).length).toBeLessThan(30);
  });
});
