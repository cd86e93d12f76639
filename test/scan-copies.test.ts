/**
 * Every copy of a personal value, end to end (issue 19), on PostgreSQL, MariaDB and SQLite, with
 * the CRM of the scan corpus (test/corpus/applications.ts): `masque scan` finds that
 * `auftraege.liefer_name` copies `kunden.firma` in most orders (no foreign key says so) and that
 * `auftraege.notiz` names customers; the draft, run as written, leaves no customer's company in
 * the copy, every copied company equal to its customer's masked one, and every note that named a
 * customer naming that customer's masked name instead. `verify --deep` then passes.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { crm, loadApplication } from './corpus/applications.ts';
import { runCli } from './support/run-cli.ts';
import { createScratchDb, type EngineName, type ScratchDb } from './support/scratch-db.ts';

const folder = mkdtempSync(join(tmpdir(), 'masque-copies-'));
afterAll(() => rmSync(folder, { recursive: true, force: true }));

type Order = [number, number, string | null, string | null];

describe.each<EngineName>(['postgres', 'mysql', 'sqlite'])('the CRM on %s', (engine) => {
  let source: ScratchDb;
  let target: ScratchDb;
  let draft: string;
  const env = () => ({ MASQUE_SOURCE_URL: source.url, MASQUE_TARGET_URL: target.url, MASQUE_SECRET: 'copy-secret' });
  const orders = async (db: ScratchDb) =>
    (await db.query('SELECT auftrag_id, kunde_id, liefer_name, notiz FROM auftraege ORDER BY auftrag_id')) as Order[];
  const customers = async (db: ScratchDb) =>
    new Map(
      (
        (await db.query('SELECT kunde_id, vorname, nachname, firma FROM kunden')) as [number, string, string, string][]
      ).map(([id, ...rest]) => [Number(id), rest]),
    );

  beforeAll(async () => {
    [source, target] = await Promise.all([
      createScratchDb(engine, 'copies_src', crm.ddl),
      createScratchDb(engine, 'copies_dst', crm.ddl),
    ]);
    await loadApplication(source, crm);
    const file = join(folder, `crm-${engine}.yaml`);
    const scan = runCli(['scan', '--source', source.url, '--output', file]);
    expect(scan.status, scan.stderr).toBe(0);
    expect(scan.stderr).toMatch(/copies of personal columns, masked alike \(1\):\n\s+\S*auftraege\.liefer_name/);
    expect(scan.stderr).toMatch(/free text naming people \(mentions\) \(1\):\n\s+\S*auftraege\.notiz/);
    draft = readFileSync(file, 'utf8');
    const run = runCli(['run', '--config', file, '--quiet'], env());
    expect(run.status, run.stderr).toBe(0);
  }, 180_000);
  afterAll(async () => Promise.all([source?.drop(), target?.drop()]));

  it('links the copy to its original under one consistent domain, with what it copies and how much', () => {
    const line = draft.split('\n').find((l) => l.trim().startsWith('liefer_name:'))!;
    expect(line).toMatch(/liefer_name: \{ transform: company\.name, consistent: \S*kunden\.firma \}/);
    expect(line).toMatch(/# copies \S*kunden\.firma in \d+ of 200 sampled rows/);
    const original = draft.split('\n').find((l) => l.trim().startsWith('firma:') && l.includes('consistent'))!;
    expect(original).toMatch(/firma: \{ transform: company\.name, consistent: \S*kunden\.firma \}/);
  });

  it('leaves no source company in the copy, and the copy equals its masked original', async () => {
    const [sourceOrders, targetOrders] = [await orders(source), await orders(target)];
    const [sourceCustomers, targetCustomers] = [await customers(source), await customers(target)];
    const companies = new Set([...sourceCustomers.values()].map(([, , firma]) => firma));
    let copies = 0;
    targetOrders.forEach(([id, customer, name], i) => {
      expect(companies.has(name!), `order ${id}`).toBe(false);
      // Where the source copied its customer's company, the target holds the masked one.
      if (sourceOrders[i]![2] === sourceCustomers.get(Number(customer))![2]) {
        expect(name).toBe(targetCustomers.get(Number(customer))![2]);
        copies++;
      }
    });
    expect(copies).toBeGreaterThan(150);
  });

  it("turns a note naming a customer into one naming the customer's masked name", async () => {
    const [sourceOrders, targetOrders] = [await orders(source), await orders(target)];
    const [sourceCustomers, targetCustomers] = [await customers(source), await customers(target)];
    let named = 0;
    targetOrders.forEach(([id, customer, , note], i) => {
      const [first, last] = sourceCustomers.get(Number(customer))!;
      if (!sourceOrders[i]![3]!.includes(`${first} ${last}`)) return;
      const [maskedFirst, maskedLast] = targetCustomers.get(Number(customer))!;
      expect(note, `order ${id}`).toContain(`Rückruf von ${maskedFirst} ${maskedLast} wegen der Lieferung`);
      expect(note).not.toContain(`${first} ${last}`);
      named++;
    });
    expect(named).toBeGreaterThan(50);
  });

  it('passes verify --deep after the run', () => {
    const result = runCli(['verify', '--config', join(folder, `crm-${engine}.yaml`), '--deep', '--log', 'json'], env());
    expect(result.status, result.stdout + result.stderr).toBe(0);
  });
});
