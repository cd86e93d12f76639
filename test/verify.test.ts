/**
 * `masque verify` through the CLI after real runs: it passes after a clean run on Pagila, Chinook
 * on MariaDB and on SQLite, and fails naming the column (never the value) when a source value is
 * planted in the target, a row goes missing, a foreign key breaks or a unique column repeats.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  createPagilaSource,
  createPagilaTarget,
  psql,
  psqlAdmin,
  repoRoot,
  type TestDatabase,
} from './support/databases.ts';
import { mariadb, sqlite, type EngineDb } from './support/engines.ts';
import { runCli } from './support/run-cli.ts';

const folder = mkdtempSync(join(tmpdir(), 'masque-verify-'));
afterAll(() => rmSync(folder, { recursive: true, force: true }));

interface VerifyRun {
  status: number | null;
  output: string;
  findings: { kind: string; subject: string; count: number; message: string }[];
  summary: {
    findings: number;
    sampleSize: number;
    tables: { table: string; sourceRows: number; targetRows: number; sampledRows: number }[];
  };
}

function verify(rules: string, env: Record<string, string>, ...args: string[]): VerifyRun {
  const result = runCli(['verify', '--config', rules, '--log', 'json', ...args], env);
  const lines = result.stdout
    .trim()
    .split('\n')
    .filter(Boolean)
    .map((l) => JSON.parse(l));
  return {
    status: result.status,
    output: result.stdout + result.stderr,
    findings: lines.filter((l) => l.type === 'finding').map(({ type: _, ...finding }) => finding),
    summary: lines.find((l) => l.type === 'verify'),
  };
}

describe('Pagila', () => {
  let source: TestDatabase;
  let target: TestDatabase;
  const rules = join(repoRoot, 'rules/pagila.yaml');
  const env = () => ({ MASQUE_SOURCE_URL: source.url, MASQUE_TARGET_URL: target.url, MASQUE_SECRET: 'verify-secret' });
  const sql = (db: TestDatabase, query: string) => psql(db.name, ['-c', query]).trim();
  // Only a superuser may switch a foreign key's triggers off, to plant a broken key.
  const sqlAsAdmin = (db: TestDatabase, query: string) => psqlAdmin(db.name, ['-c', query]).trim();
  let sourceEmail: string;

  beforeAll(async () => {
    [source, target] = await Promise.all([createPagilaSource(), createPagilaTarget()]);
    const run = runCli(['run', '--config', rules, '--quiet'], env());
    expect(run.status, run.stderr).toBe(0);
    sourceEmail = sql(source, 'SELECT email FROM customer WHERE customer_id = 7');
  });
  afterAll(async () => Promise.all([source?.drop(), target?.drop()]));

  it('passes after a clean run, with every row counted', () => {
    const result = verify(rules, env());
    expect(result.status, result.output).toBe(0);
    expect(result.findings).toEqual([]);
    const rental = result.summary.tables.find((t) => t.table === 'public.rental')!;
    expect(rental).toEqual({ table: 'public.rental', sourceRows: 16044, targetRows: 16044, sampledRows: 16044 });
    expect(result.summary.tables.reduce((n, t) => n + t.targetRows, 0)).toBe(49636);
  });

  it('fails naming public.customer.email when one source email is planted in the target', () => {
    const original = sql(target, 'SELECT email FROM customer WHERE customer_id = 100');
    sql(target, `UPDATE customer SET email = '${sourceEmail}' WHERE customer_id = 100`);
    try {
      const result = verify(rules, env());
      expect(result.status).toBe(1);
      expect(result.findings).toEqual([
        {
          kind: 'leak',
          subject: 'public.customer.email',
          count: 1,
          message: "1 row(s) hold 1 value(s) of the source's own column unmasked",
        },
      ]);
      expect(result.output).not.toContain(sourceEmail);
    } finally {
      sql(target, `UPDATE customer SET email = '${original}' WHERE customer_id = 100`);
    }
  });

  it('with --deep, passes after a clean run and says what it looked for', () => {
    const result = verify(rules, env(), '--deep');
    expect(result.status, result.output).toBe(0);
    expect(result.findings).toEqual([]);
    const deep = (result.summary as unknown as { deep: { values: number; targetColumns: number } }).deep;
    // Emails, street addresses, phones and whole names of customers and staff…
    expect(deep.values).toBeGreaterThan(1500);
    // …in every text column of the target.
    expect(deep.targetColumns).toBeGreaterThan(20);
    const pretty = runCli(['verify', '--config', rules, '--log', 'pretty', '--deep'], env());
    expect(pretty.stdout).toMatch(
      /note: --deep looked for [\d,]+ source value\(s\) of \d+ masked column\(s\) in \d+ text/,
    );
    expect(pretty.stdout).toContain('codes of fewer than 7 digits');
  });

  it("with --deep, finds a source email and a customer's name inside kept text columns, not a short code", () => {
    const [first, last] = sql(source, 'SELECT first_name, last_name FROM customer WHERE customer_id = 12').split('|');
    const postal = sql(source, "SELECT postal_code FROM address WHERE postal_code ~ '^[0-9]{5}$' LIMIT 1");
    sql(target, `UPDATE film SET description = description || ' Write to ${sourceEmail}.' WHERE film_id = 3`);
    sql(target, `UPDATE film SET description = description || ' Ask ${first} ${last} first' WHERE film_id = 4`);
    sql(target, `UPDATE film SET description = description || ' Code ${postal}' WHERE film_id = 5`);
    try {
      expect(verify(rules, env()).status).toBe(0);
      const result = verify(rules, env(), '--deep');
      expect(result.status).toBe(1);
      expect(result.findings).toEqual([
        {
          kind: 'deep-leak',
          subject: 'public.film.description',
          count: 1,
          message: `1 row(s) contain values of the masked column public.customer.email (e.g. "${shapeOf(sourceEmail)}")`,
        },
        {
          kind: 'deep-leak',
          subject: 'public.film.description',
          count: 1,
          message: `1 row(s) contain values of the masked column public.customer.first_name, last_name (e.g. "${shapeOf(
            `${first} ${last}`,
          )}")`,
        },
      ]);
      expect(result.output).not.toContain(sourceEmail);
      expect(result.output).not.toContain(last);
    } finally {
      sql(
        target,
        "UPDATE film SET description = regexp_replace(description, ' (Write to|Ask|Code) .*$', '') WHERE film_id IN (3, 4, 5)",
      );
    }
  });

  it('finds a missing row and a broken foreign key', () => {
    const kept = sql(target, 'SELECT film_id, category_id FROM film_category ORDER BY 1 LIMIT 1').split('|');
    sql(target, `DELETE FROM film_category WHERE film_id = ${kept[0]} AND category_id = ${kept[1]}`);
    sqlAsAdmin(
      target,
      'ALTER TABLE rental DISABLE TRIGGER ALL; UPDATE rental SET customer_id = 99999 WHERE rental_id IN (1, 2); ALTER TABLE rental ENABLE TRIGGER ALL',
    );
    const customers = sql(source, 'SELECT customer_id FROM rental WHERE rental_id IN (1, 2) ORDER BY rental_id').split(
      '\n',
    );
    try {
      const result = verify(rules, env());
      expect(result.status).toBe(1);
      expect(result.findings).toEqual([
        {
          kind: 'rows',
          subject: 'public.film_category',
          count: 1,
          message: '2366 row(s) in the target, 2367 expected',
        },
        {
          kind: 'foreign-key',
          subject: 'public.rental.customer_id',
          count: 2,
          message: '2 row(s) reference no row of public.customer (customer_id)',
        },
      ]);
    } finally {
      sql(target, `INSERT INTO film_category (film_id, category_id) VALUES (${kept[0]}, ${kept[1]})`);
      sqlAsAdmin(
        target,
        `ALTER TABLE rental DISABLE TRIGGER ALL; UPDATE rental SET customer_id = ${customers[0]} WHERE rental_id = 1; UPDATE rental SET customer_id = ${customers[1]} WHERE rental_id = 2; ALTER TABLE rental ENABLE TRIGGER ALL`,
      );
    }
    expect(verify(rules, env()).status).toBe(0);
  });

  it('finds a repeated value in a column the rules say is unique', () => {
    const uniqueRules = join(folder, 'unique.yaml');
    writeFileSync(
      uniqueRules,
      readFileSync(rules, 'utf8').replace(
        '      email: email\n      address_id',
        '      email: { transform: email, unique: true }\n      address_id',
      ),
    );
    const original = sql(target, 'SELECT email FROM customer WHERE customer_id = 2');
    sql(target, 'UPDATE customer SET email = (SELECT email FROM customer WHERE customer_id = 1) WHERE customer_id = 2');
    try {
      const result = verify(uniqueRules, env());
      expect(result.findings).toEqual([
        {
          kind: 'unique',
          subject: 'public.customer.email',
          count: 1,
          message: 'must be unique: 1 row(s) repeat a value of another row',
        },
      ]);
    } finally {
      sql(target, `UPDATE customer SET email = '${original}' WHERE customer_id = 2`);
    }
  });

  it('samples large tables when asked, and says how many rows it looked at', () => {
    const result = verify(rules, env(), '--sample', '500');
    expect(result.status).toBe(0);
    expect(result.summary.sampleSize).toBe(500);
    expect(result.summary.tables.find((t) => t.table === 'public.rental')).toEqual({
      table: 'public.rental',
      sourceRows: 16044,
      targetRows: 16044,
      sampledRows: 500,
    });
    const pretty = runCli(['verify', '--config', rules, '--log', 'pretty', '--sample', '500'], env());
    expect(pretty.stdout).toContain('note: public.rental: values checked on a sample of 500 of 16,044 rows');
  });
});

describe.each([mariadb, sqlite])('Chinook on $name', (engine) => {
  let source: EngineDb;
  let target: EngineDb;
  const rules = join(repoRoot, 'rules/chinook.yaml');
  const env = () => ({ MASQUE_SOURCE_URL: source.url, MASQUE_TARGET_URL: target.url, MASQUE_SECRET: 'verify-secret' });

  beforeAll(async () => {
    [source, target] = await Promise.all([engine.chinook('verify_src'), engine.chinook('verify_dst', { empty: true })]);
    const run = runCli(['run', '--config', rules, '--quiet'], env());
    expect(run.status, run.stderr).toBe(0);
  });
  afterAll(async () => Promise.all([source?.drop(), target?.drop()]));

  it('passes after a clean run and names Customer.Email when a source email is planted', () => {
    expect(verify(rules, env()).findings).toEqual([]);
    const [[email]] = source.query(
      `SELECT ${engine.quote('Email')} FROM ${engine.quote('Customer')} WHERE ${engine.quote('CustomerId')} = 5`,
    ) as [[string]];
    const plant = (value: string) =>
      engine.name === 'SQLite' ? sqliteWrite(target.url, value) : mariadbWrite(target, value);
    plant(email);
    const result = verify(rules, env());
    expect(result.status).toBe(1);
    expect(result.findings.map((f) => `${f.kind} ${f.subject} ${f.count}`)).toEqual(['leak Customer.Email 1']);
    expect(result.output).not.toContain(email);
  });
});

/** What verify shows of a value: its shape (`Mary` → `Xxxx`), never its letters. */
const shapeOf = (text: string) =>
  text
    .replace(/\p{Lu}/gu, 'X')
    .replace(/\p{Ll}/gu, 'x')
    .replace(/\d/g, '9');

/** Sets customer 9's email in a target through the engine's own client. */
function mariadbWrite(target: EngineDb, email: string): void {
  target.query(`UPDATE Customer SET Email = '${email}' WHERE CustomerId = 9`);
}
function sqliteWrite(url: string, email: string): void {
  const db = new Database(url.slice('sqlite:'.length));
  db.prepare('UPDATE Customer SET Email = ? WHERE CustomerId = 9').run(email);
  db.close();
}
