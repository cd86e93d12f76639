/**
 * `subset:` on Chinook, MariaDB → MariaDB and SQLite → SQLite, through the CLI: rooted at
 * `Customer` (a fifth of them, their invoices and invoice lines), and rooted at one manager of
 * `Employee`, whose self-reference (`ReportsTo`) the subset follows down to the people reporting
 * to them and up to their own managers. The expected rows are worked out here from the source with
 * each engine's own client.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mariadb, sqlite, type EngineDb } from './support/engines.ts';
import { keptCounts, masqueJson, rulesWith } from './support/subset-cli.ts';

const catalogue = ['Album', 'Artist', 'Genre', 'MediaType', 'Playlist', 'PlaylistTrack', 'Track', 'Employee'];

describe.each([mariadb, sqlite])('subset of Chinook on $name', (engine) => {
  let source: EngineDb;
  let target: EngineDb;
  const q = engine.quote;
  const env = (secret: string) => ({
    MASQUE_SOURCE_URL: source.url,
    MASQUE_TARGET_URL: target.url,
    MASQUE_SECRET: secret,
  });
  const run = (rules: string, secret: string, ...args: string[]) =>
    masqueJson(['run', '--config', rules, ...args], env(secret));
  const ids = (db: EngineDb, sql: string) => db.query(sql).map(([v]) => v!);
  const sorted = (values: Iterable<string>) => [...new Set(values)].sort((a, b) => Number(a) - Number(b));
  const list = (values: Iterable<string>) => [...values].join(',') || 'NULL';
  const count = (db: EngineDb, table: string) => Number(db.query(`SELECT COUNT(*) FROM ${q(table)}`)[0]![0]);
  const customers = rulesWith('rules/chinook.yaml', 'subset:\n  roots:\n    Customer: { percent: 20 }\n');

  beforeAll(async () => {
    [source, target] = await Promise.all([engine.chinook('subset_src'), engine.chinook('subset_dst', { empty: true })]);
  });
  afterAll(async () => {
    await Promise.all([source?.drop(), target?.drop()]);
  });

  /** The customers' invoices and lines, from the source. */
  const invoicesOf = (kept: string[]) => {
    const invoices = ids(
      source,
      `SELECT ${q('InvoiceId')} FROM ${q('Invoice')} WHERE ${q('CustomerId')} IN (${list(kept)})`,
    );
    const lines = ids(
      source,
      `SELECT ${q('InvoiceLineId')} FROM ${q('InvoiceLine')} WHERE ${q('InvoiceId')} IN (${list(invoices)})`,
    );
    return { invoices: sorted(invoices), lines: sorted(lines) };
  };
  const targetIds = (table: string) => sorted(ids(target, `SELECT ${q(`${table}Id`)} FROM ${q(table)}`));

  let first: string[];

  it('keeps a fifth of the customers with every invoice and line, the catalogue whole, no broken key', () => {
    const result = run(customers, 'subset-one');
    expect(result.stderr).toBe('');
    expect(result.status).toBe(0);
    first = targetIds('Customer');
    expect(first.length).toBeGreaterThanOrEqual(5);
    expect(first.length).toBeLessThanOrEqual(20);
    const want = invoicesOf(first);
    expect(targetIds('Invoice')).toEqual(want.invoices);
    expect(targetIds('InvoiceLine')).toEqual(want.lines);
    for (const table of catalogue) expect(count(target, table), table).toBe(count(source, table));
    expect(target.brokenForeignKeys()).toEqual([]);
    const kept = keptCounts(result.summary);
    expect(kept.Customer).toEqual([first.length, 59]);
    expect(kept.InvoiceLine).toEqual([want.lines.length, 2240]);
    expect(kept.Track).toEqual([3503, 3503]);
  });

  it('verify passes: counts as the subset chose them, keys, leaks', () => {
    const result = masqueJson(['verify', '--config', customers], env('subset-one'));
    expect(result.stderr).toBe('');
    expect(result.status).toBe(0);
    const summary = result.events.find((e) => e.type === 'verify')!;
    expect(summary.findings).toBe(0);
    const invoice = summary.tables.find((t: { table: string }) => t.table === 'Invoice');
    expect(invoice.targetRows).toBe(invoice.sourceRows);
    expect(invoice.sourceRows).toBe(targetIds('Invoice').length);
  });

  it('keeps the same rows loading --direct', () => {
    const direct = run(customers, 'subset-one', '--direct');
    expect(direct.stderr).toBe('');
    expect(direct.status).toBe(0);
    expect(targetIds('Customer')).toEqual(first);
    expect(targetIds('InvoiceLine')).toEqual(invoicesOf(first).lines);
  });

  it('keeps the same customers under the same secret, others under another', () => {
    expect(run(customers, 'subset-one').status).toBe(0);
    expect(targetIds('Customer')).toEqual(first);
    expect(run(customers, 'subset-two').status).toBe(0);
    const other = targetIds('Customer');
    expect(other).not.toEqual(first);
    expect(targetIds('Invoice')).toEqual(invoicesOf(other).invoices);
    expect(target.brokenForeignKeys()).toEqual([]);
  });

  it('limit keeps exactly that many: the smallest draws, so inside any percent that holds that many', () => {
    const limit = (root: string) => rulesWith('rules/chinook.yaml', `subset:\n  roots:\n    Customer: ${root}\n`);
    expect(run(limit('{ limit: 7 }'), 'subset-one').status).toBe(0);
    const seven = targetIds('Customer');
    expect(seven).toHaveLength(7);
    expect(targetIds('Invoice')).toEqual(invoicesOf(seven).invoices);
    expect(run(limit('{ percent: 50 }'), 'subset-one').status).toBe(0);
    const half = targetIds('Customer');
    expect(half.length).toBeGreaterThan(15);
    expect(seven.every((c) => half.includes(c))).toBe(true);
    expect(run(limit('{ percent: 50, limit: 7 }'), 'subset-one').status).toBe(0);
    expect(targetIds('Customer')).toEqual(seven);
    expect(target.brokenForeignKeys()).toEqual([]);
  });

  it("with others: none, keeps the support reps and their managers up Employee's self-reference", () => {
    const rules = rulesWith('rules/chinook.yaml', 'subset:\n  roots:\n    Customer: { percent: 20 }\n  others: none\n');
    const result = run(rules, 'subset-one');
    expect(result.stderr).toBe('');
    expect(result.status).toBe(0);
    expect(targetIds('Customer')).toEqual(first);
    // The reps of the kept customers, then each one's manager, up to the top.
    let people = ids(
      source,
      `SELECT ${q('SupportRepId')} FROM ${q('Customer')} WHERE ${q('CustomerId')} IN (${list(first)})`,
    );
    for (let more = true; more; ) {
      const managers = ids(
        source,
        `SELECT ${q('ReportsTo')} FROM ${q('Employee')} WHERE ${q('EmployeeId')} IN (${list(people)}) AND ${q('ReportsTo')} IS NOT NULL`,
      );
      more = managers.some((m) => !people.includes(m));
      people = sorted([...people, ...managers]);
    }
    expect(targetIds('Employee')).toEqual(sorted(people));
    const tracks = ids(target, `SELECT ${q('TrackId')} FROM ${q('InvoiceLine')}`);
    expect(targetIds('Track')).toEqual(sorted(tracks));
    expect(count(target, 'Playlist')).toBe(0);
    expect(count(target, 'PlaylistTrack')).toBe(0);
    expect(target.brokenForeignKeys()).toEqual([]);
  });

  it('rooted at a manager, follows the self-reference down to everyone below, and up to theirs', () => {
    const rules = rulesWith(
      'rules/chinook.yaml',
      `subset:\n  roots:\n    Employee: { where: '${q('EmployeeId')} = 2' }\n  others: none\n`,
    );
    const result = run(rules, 'subset-one');
    expect(result.stderr).toBe('');
    expect(result.status).toBe(0);
    let below = ['2'];
    for (let more = true; more; ) {
      const next = ids(
        source,
        `SELECT ${q('EmployeeId')} FROM ${q('Employee')} WHERE ${q('ReportsTo')} IN (${list(below)})`,
      );
      more = next.some((e) => !below.includes(e));
      below = sorted([...below, ...next]);
    }
    expect(below.length).toBeGreaterThan(1);
    const managerOf2 = ids(source, `SELECT ${q('ReportsTo')} FROM ${q('Employee')} WHERE ${q('EmployeeId')} = 2`);
    expect(targetIds('Employee')).toEqual(sorted([...below, ...managerOf2]));
    const supported = ids(
      source,
      `SELECT ${q('CustomerId')} FROM ${q('Customer')} WHERE ${q('SupportRepId')} IN (${list(below)})`,
    );
    expect(targetIds('Customer')).toEqual(sorted(supported));
    expect(targetIds('Invoice')).toEqual(invoicesOf(supported).invoices);
    expect(target.brokenForeignKeys()).toEqual([]);
  });
});
