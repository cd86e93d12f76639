/**
 * `subset:` on Pagila (PostgreSQL), through the CLI: a fifth of store 1's customers, all their
 * rentals and payments, every row those reference, the tables the subset does not reach whole
 * (`others: all`) or only as far as kept rows need them (`others: none`). The expected rows are
 * worked out here from the source with psql, not with masque's code: the roots are the target's
 * customers that kept every rental they have, and everything else follows from them.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createPagilaSource, createPagilaTarget, psql, type TestDatabase } from './support/databases.ts';
import { pgBrokenForeignKeys, pgRowCounts } from './support/pg-checks.ts';
import { spawnCli } from './support/spawn-cli.ts';
import { keptCounts, masqueJson, rulesWith } from './support/subset-cli.ts';

const fifth = `subset:
  roots:
    public.customer: { where: "store_id = 1", percent: 20 }
`;
const allRules = rulesWith('rules/pagila.yaml', fifth);
const noneRules = rulesWith('rules/pagila.yaml', `${fifth}  others: none\n`);

let source: TestDatabase;
let target: TestDatabase;
const env = (secret: string) => ({
  MASQUE_SOURCE_URL: source.url,
  MASQUE_TARGET_URL: target.url,
  MASQUE_SECRET: secret,
});
const run = (rules: string, secret: string, ...args: string[]) =>
  masqueJson(['run', '--config', rules, ...args], env(secret));

/** One column of a query, as a set of text values. */
const ids = (db: TestDatabase, sql: string): Set<string> =>
  new Set(psql(db.name, ['-c', sql]).trim().split('\n').filter(Boolean));
const list = (values: Iterable<string>) => [...values].join(',') || 'NULL';
const sorted = (values: Iterable<string>) => [...values].sort((a, b) => Number(a) - Number(b));

/** What the subset must hold, from the source alone, given the roots found in the target. */
function expected(roots: Set<string>) {
  const rentals = ids(source, `SELECT rental_id FROM rental WHERE customer_id IN (${list(roots)})`);
  // Payments reference customers and rentals: the roots' and their rentals' payments are children.
  const payments = ids(
    source,
    `SELECT payment_id FROM payment WHERE customer_id IN (${list(roots)}) OR rental_id IN (${list(rentals)})`,
  );
  // A payment of a kept rental may belong to someone else (Pagila has five): that customer and that
  // payment's rental come along as parents, without their own children.
  const parentRentals = ids(source, `SELECT rental_id FROM payment WHERE payment_id IN (${list(payments)})`);
  const allRentals = new Set([...rentals, ...parentRentals]);
  const customers = ids(
    source,
    `SELECT customer_id FROM rental WHERE rental_id IN (${list(allRentals)})
     UNION SELECT customer_id FROM payment WHERE payment_id IN (${list(payments)})`,
  );
  return { rentals: allRentals, payments, customers };
}

/** The roots: the target's customers that kept every rental they have in the source. */
function rootsInTarget(): Set<string> {
  const customers = ids(target, 'SELECT customer_id FROM customer');
  const rentals = ids(target, 'SELECT rental_id FROM rental');
  const bySource = psql(source.name, [
    '-c',
    `SELECT customer_id, string_agg(rental_id::text, ',') FROM rental WHERE customer_id IN (${list(customers)}) GROUP BY 1`,
  ])
    .trim()
    .split('\n')
    .filter(Boolean)
    .map((line) => line.split('|') as [string, string]);
  return new Set(bySource.filter(([, all]) => all.split(',').every((r) => rentals.has(r))).map(([c]) => c));
}

beforeAll(async () => {
  [source, target] = await Promise.all([createPagilaSource(), createPagilaTarget()]);
});
afterAll(async () => {
  await Promise.all([source?.drop(), target?.drop()]);
});

describe('subset of Pagila, others: all', () => {
  let firstCustomers: Set<string>;
  let storeOne: number;

  it('keeps about a fifth of store 1 customers, says so per table, and reports rows kept of source rows', () => {
    const result = run(allRules, 'subset-one');
    expect(result.stderr).toBe('');
    expect(result.status).toBe(0);
    const subset = result.events.find((e) => e.type === 'subset')!;
    expect(subset.tables).toBe(3); // customer, rental, payment: the others are whole
    const counts = keptCounts(result.summary);
    storeOne = Number(psql(source.name, ['-c', 'SELECT count(*) FROM customer WHERE store_id = 1']).trim());
    const [kept, of] = counts['public.customer']!;
    expect(of).toBe(599);
    expect(counts['public.rental']![1]).toBe(16044);
    expect(counts['public.film']).toEqual([1000, 1000]);
    expect(subset.rows).toBe(kept + counts['public.rental']![0] + counts['public.payment']![0]);
    const roots = rootsInTarget();
    expect(roots.size).toBeGreaterThan(storeOne * 0.12);
    expect(roots.size).toBeLessThan(storeOne * 0.28);
    firstCustomers = ids(target, 'SELECT customer_id FROM customer');
    expect(firstCustomers.size).toBe(kept);
  });

  it('holds every rental and payment of the chosen customers, and the rows those reference, nothing more', () => {
    const roots = rootsInTarget();
    const inStoreOne = ids(source, `SELECT customer_id FROM customer WHERE store_id = 1`);
    for (const root of roots) expect(inStoreOne.has(root), `customer ${root}`).toBe(true);
    const want = expected(roots);
    expect(sorted(ids(target, 'SELECT rental_id FROM rental'))).toEqual(sorted(want.rentals));
    expect(sorted(ids(target, 'SELECT payment_id FROM payment'))).toEqual(sorted(want.payments));
    expect(sorted(ids(target, 'SELECT customer_id FROM customer'))).toEqual(sorted(want.customers));
  });

  it('copies the tables the subset does not reach whole, and breaks no key', () => {
    const [before, after] = [pgRowCounts(source.name), pgRowCounts(target.name)];
    for (const table of ['actor', 'category', 'film', 'film_actor', 'film_category', 'language', 'inventory']) {
      expect(after[`public.${table}`], table).toBe(before[`public.${table}`]);
    }
    for (const table of ['store', 'staff', 'address', 'city', 'country']) {
      expect(after[`public.${table}`], table).toBe(before[`public.${table}`]);
    }
    expect(after['public.rental']).toBeLessThan(before['public.rental']! / 5);
    expect(pgBrokenForeignKeys(target.name)).toEqual([]);
  });

  it('verify compares the target with what the subset keeps, and passes', () => {
    const result = masqueJson(['verify', '--config', allRules], env('subset-one'));
    expect(result.stderr).toBe('');
    expect(result.status).toBe(0);
    const summary = result.events.find((e) => e.type === 'verify')!;
    expect(summary.findings).toBe(0);
    const customer = summary.tables.find((t: { table: string }) => t.table === 'public.customer');
    expect(customer).toMatchObject({ sourceRows: firstCustomers.size, targetRows: firstCustomers.size });
  });

  it('verify finds a row the subset keeps missing from the target', () => {
    const [payment] = ids(target, 'SELECT max(payment_id) FROM payment');
    psql(target.name, ['-c', `DELETE FROM payment WHERE payment_id = ${payment}`]);
    const result = masqueJson(['verify', '--config', allRules], env('subset-one'));
    expect(result.status).toBe(1);
    const findings = result.events.filter((e) => e.type === 'finding');
    expect(findings).toEqual([expect.objectContaining({ kind: 'rows', subject: 'public.payment', count: 1 })]);
    expect(findings[0]!.message).toContain('(rows the subset keeps)');
  });

  it('keeps the same customers under the same secret, other ones under another', () => {
    expect(run(allRules, 'subset-one').status).toBe(0);
    expect(sorted(ids(target, 'SELECT customer_id FROM customer'))).toEqual(sorted(firstCustomers));
    expect(run(allRules, 'subset-two').status).toBe(0);
    const other = rootsInTarget();
    const same = [...other].filter((c) => firstCustomers.has(c)).length;
    expect(other.size).toBeGreaterThan(storeOne * 0.12);
    // Two independent fifths share about a fifth of their customers, far from all of them.
    expect(same).toBeLessThan(other.size / 2);
    expect(pgBrokenForeignKeys(target.name)).toEqual([]);
  });

  it('gives the same rows loading --direct with two jobs as staged', () => {
    expect(run(allRules, 'subset-one').status).toBe(0);
    const staged = ['customer', 'rental', 'payment'].map((t) => sorted(ids(target, `SELECT ${t}_id FROM ${t}`)));
    const direct = run(allRules, 'subset-one', '--direct', '--jobs', '2');
    expect(direct.stderr).toBe('');
    expect(direct.status).toBe(0);
    expect(['customer', 'rental', 'payment'].map((t) => sorted(ids(target, `SELECT ${t}_id FROM ${t}`)))).toEqual(
      staged,
    );
  });

  it('--resume reuses what a killed subset run staged, and a changed subset starts over', async () => {
    const args = (rules: string, ...extra: string[]) => ['run', '--config', rules, '--log', 'json', ...extra];
    const killed = spawnCli(args(allRules), env('subset-three'));
    await killed.waitFor((e) => e.type === 'table-done' && e.summary.table === 'public.actor');
    killed.child.kill('SIGKILL');
    await killed.exited;
    const resumed = masqueJson(['run', '--config', allRules, '--resume'], env('subset-three'));
    expect(resumed.status).toBe(0);
    const notes = resumed.events.filter((e) => e.type === 'warning').map((e) => e.problem.message);
    expect(notes.some((n: string) => n.startsWith('resuming: reusing the'))).toBe(true);
    const afterResume = sorted(ids(target, 'SELECT customer_id FROM customer'));
    expect(run(allRules, 'subset-three').status).toBe(0);
    expect(sorted(ids(target, 'SELECT customer_id FROM customer'))).toEqual(afterResume);

    const killedAgain = spawnCli(args(allRules), env('subset-three'));
    await killedAgain.waitFor((e) => e.type === 'table-done' && e.summary.table === 'public.actor');
    killedAgain.child.kill('SIGKILL');
    await killedAgain.exited;
    const changed = rulesWith('rules/pagila.yaml', fifth.replace('percent: 20', 'percent: 30'));
    const restarted = masqueJson(['run', '--config', changed, '--resume'], env('subset-three'));
    expect(restarted.status).toBe(0);
    const why = restarted.events.filter((e) => e.type === 'warning').map((e) => e.problem.message);
    expect(why.some((n: string) => n.startsWith('cannot resume: the rules'))).toBe(true);
  });
});

describe('subset of Pagila, others: none', () => {
  it('keeps only the rows kept rows reference in the other tables, and breaks no key', () => {
    const result = run(noneRules, 'subset-one');
    expect(result.stderr).toBe('');
    expect(result.status).toBe(0);
    const counts = pgRowCounts(target.name);
    for (const table of ['actor', 'category', 'film_actor', 'film_category']) expect(counts[`public.${table}`]).toBe(0);
    expect(pgBrokenForeignKeys(target.name)).toEqual([]);
    const films = ids(target, 'SELECT film_id FROM inventory');
    expect(sorted(ids(target, 'SELECT film_id FROM film'))).toEqual(sorted(films));
    const addresses = ids(
      target,
      'SELECT address_id FROM customer UNION SELECT address_id FROM staff UNION SELECT address_id FROM store',
    );
    expect(sorted(ids(target, 'SELECT address_id FROM address'))).toEqual(sorted(addresses));
    const inventory = ids(target, 'SELECT inventory_id FROM rental');
    expect(sorted(ids(target, 'SELECT inventory_id FROM inventory'))).toEqual(sorted(inventory));
    // The same customers as with others: all, under the same secret.
    const kept = keptCounts(result.summary);
    expect(kept['public.actor']).toEqual([0, 200]);
    expect(kept['public.film']![0]).toBe(films.size);
  });
});
