/**
 * A staged load prepares a table's own unique columns while it copies the table (the column is
 * read once, its repaired rows patched before the table's write commits), where `--direct` scans
 * the column first: on PostgreSQL and MariaDB both give the same rows, row for row, with hundreds
 * of repairs in a key column, and in a `unique: true` column whose inputs repeat.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createPgDatabase, mysql, mysqlUrl, psql } from './support/databases.ts';
import { runCli } from './support/run-cli.ts';

const schema = `CREATE TABLE member (id INT PRIMARY KEY, last_name VARCHAR(40), email VARCHAR(60) NOT NULL UNIQUE,
  alias VARCHAR(60), note VARCHAR(20));`;

// 2000 members; every fourth has no alias, the others share 225 aliases (g % 300, odd or 2 mod 4).
const data = (series: string) => `
  INSERT INTO member SELECT g, CONCAT('Name', g % 50), CONCAT('m', g, '@corp.test'),
    CASE WHEN g % 4 = 0 THEN NULL ELSE CONCAT('alias', g % 300) END, 'n' FROM ${series};`;

// Emails from the masked last names alone (far fewer than 2000), so most need a repair; aliases
// hashed to 3 hex digits, 4096 outputs for 300 inputs, so a few.
const rules = `
source: \${MASQUE_SOURCE_URL}
target: \${MASQUE_TARGET_URL}
secret: unique-copy-secret
tables:
  member:
    columns:
      id: keep
      last_name: person.lastName
      email: { transform: template, template: "{{masked.last_name | lower}}@example.com" }
      alias: { transform: hash, length: 3, unique: true }
      note: keep
`;

const rowsSql = "SELECT id, email, COALESCE(alias, '-') FROM member ORDER BY id";

interface Database {
  url: string;
  query(sql: string): string;
  drop(): Promise<void>;
}

const engines = [
  {
    name: 'PostgreSQL',
    async create(role: string): Promise<Database> {
      const db = await createPgDatabase(`unique_copy_${role}`);
      return { url: db.url, drop: db.drop, query: (sql) => psql(db.name, ['-At', '-F', '\t', '-c', sql]) };
    },
    series: 'generate_series(1, 2000) g',
    analyze: 'ANALYZE member;',
    // A part goes to the cut-over as soon as it is staged: a split table is scanned first.
    preparesParts: false,
  },
  {
    name: 'MariaDB',
    async create(role: string): Promise<Database> {
      const name = `masque_unique_copy_${role}_${Math.random().toString(16).slice(2, 10)}`;
      mysql(undefined, ['-e', `CREATE DATABASE ${name}`]);
      return {
        url: mysqlUrl(name),
        drop: async () => void mysql(undefined, ['-e', `DROP DATABASE ${name}`]),
        query: (sql) => mysql(name, ['-N', '-e', sql]),
      };
    },
    series: '(SELECT seq AS g FROM seq_1_to_2000) s',
    analyze: 'ANALYZE TABLE member;',
    preparesParts: true,
  },
];

interface Event {
  type: string;
  table?: string;
  column?: string;
  repaired?: number;
}

describe.each(engines)('unique columns prepared while their table copies, on $name', (engine) => {
  let source: Database;
  let staged: Database;
  let direct: Database;
  let parted: Database;
  let events: Event[];
  let file: string;
  /** A run into `target` that succeeds; its events. */
  const runToEnd = (target: Database, extra: string[] = []): Event[] => {
    const result = runCli(['run', '--config', file, '--log', 'json', ...extra], {
      MASQUE_SOURCE_URL: source.url,
      MASQUE_TARGET_URL: target.url,
    });
    expect(result.stderr).toBe('');
    expect(result.status).toBe(0);
    return result.stdout
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line) as Event);
  };
  /** Whether the unique columns were prepared after rows were copied: a scan first comes before any. */
  const preparedWhileCopying = (events: Event[]): boolean => {
    const copied = events.findIndex((e) => e.type === 'table-progress');
    expect(copied).toBeGreaterThan(0);
    const prepared = events.filter((e) => e.type === 'unique').map((e) => events.indexOf(e));
    expect(prepared).toHaveLength(2);
    return prepared.every((at) => at > copied);
  };

  beforeAll(async () => {
    [source, staged, direct, parted] = await Promise.all([
      engine.create('src'),
      engine.create('dst'),
      engine.create('direct'),
      engine.create('parts'),
    ]);
    source.query(schema + data(engine.series) + engine.analyze);
    for (const target of [staged, direct, parted]) target.query(schema);
    file = join(mkdtempSync(join(tmpdir(), 'masque-unique-copy-')), 'rules.yaml');
    writeFileSync(file, rules);
    events = runToEnd(staged);
  });
  afterAll(async () => {
    await Promise.all([source?.drop(), staged?.drop(), direct?.drop(), parted?.drop()]);
  });

  it('prepares both columns during the copy of member, with repairs', () => {
    expect(preparedWhileCopying(events)).toBe(true);
    const done = events.findIndex((e) => e.type === 'table-done');
    for (const [column, repairs] of [
      ['email', 1000],
      ['alias', 0],
    ] as const) {
      const at = events.findIndex((e) => e.type === 'unique' && e.column === column);
      expect(at, column).toBeLessThan(done);
      expect(events[at]!.repaired, column).toBeGreaterThan(repairs);
    }
  });

  it('writes distinct emails, and one alias per distinct input alias', () => {
    const rows = staged.query(rowsSql).trim().split('\n');
    expect(rows).toHaveLength(2000);
    const emails = rows.map((row) => row.split('\t')[1]!);
    expect(new Set(emails).size).toBe(2000);
    for (const email of emails) expect(email).toMatch(/^[a-z' -]+\d*@example\.com$/);
    expect(emails.filter((email) => /\d@/.test(email)).length).toBeGreaterThan(1000);
    const inputs = source.query("SELECT COALESCE(alias, '-') FROM member ORDER BY id").trim().split('\n');
    const outputs = rows.map((row) => row.split('\t')[2]!);
    const pairs = new Set(inputs.map((input, i) => `${input}\t${outputs[i]}`));
    // Each input (225 aliases and NULL) has one output, and no two inputs share one.
    expect(new Set(inputs).size).toBe(226);
    expect(pairs.size).toBe(226);
    expect(new Set(outputs).size).toBe(226);
  });

  it('gives the same rows as --direct, which scans the columns before it copies', () => {
    expect(preparedWhileCopying(runToEnd(direct, ['--direct']))).toBe(false);
    expect(direct.query(rowsSql)).toBe(staged.query(rowsSql));
  });

  it(`gives the same rows with member copied in parts of 300 rows, ${engine.preparesParts ? 'prepared as they copy' : 'scanned first'}`, () => {
    const events = runToEnd(parted, ['--unit-rows', '300']);
    expect(events.filter((e) => e.type === 'table-start')).toHaveLength(1);
    expect(preparedWhileCopying(events)).toBe(engine.preparesParts);
    expect(parted.query(rowsSql)).toBe(staged.query(rowsSql));
  });
});
