/**
 * `masque scan` measured on a labelled corpus (issue 19): Pagila (PostgreSQL), Chinook and the
 * demo shop (SQLite), and two schemas written in the style of real applications, a CRM with
 * German column names and an HR system with French and Spanish ones (test/corpus/applications.ts).
 * Every column is labelled personal (p), quasi-identifier (q) or not (n)
 * (test/corpus/labels/*.txt, and beside the DDL for the two applications).
 * - **recall:** personal columns the draft flags, of all personal columns: at least 95 %;
 * - **false flags:** columns labelled not personal that the draft flags, of all it flags: at most
 *   15 %. Quasi-identifiers count either way (flagged or not, neither a miss nor a false flag).
 *   Dates the draft moves only so that a row's dates keep their order (not flagged: `along` in the
 *   scan report) are not flags.
 * The figures are printed per database and in total.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { scanSource } from '@masque/core';
import type { TableDraft } from '../packages/core/src/scan/suggest-rules.ts';
import { buildSampleDatabase } from '../packages/core/src/demo/build-sample.ts';
import { type Application, crm, hr, loadApplication } from './corpus/applications.ts';
import { createChinookSqlite, createPagilaSource, datasets, repoRoot, type TestDatabase } from './support/databases.ts';
import { createScratchDb, type ScratchDb } from './support/scratch-db.ts';

type Label = 'p' | 'q' | 'n';

function readLabels(name: string): Record<string, Label> {
  const text = readFileSync(join(repoRoot, 'test/corpus/labels', `${name}.txt`), 'utf8');
  return Object.fromEntries(
    text
      .split('\n')
      .filter((l) => l && !l.startsWith('#'))
      .map((l) => l.split(' ') as [string, Label]),
  );
}

interface Figures {
  name: string;
  columns: number;
  personal: number;
  found: number;
  flagged: number;
  falseFlags: number;
  missed: string[];
  wrong: string[];
}

/** The draft against the labels; every column of the draft must be labelled, and every label a column. */
function measure(name: string, tables: TableDraft[], labels: Record<string, Label>): Figures {
  const columns = tables.flatMap((t) =>
    t.columns
      .filter((c) => !c.generated)
      .map((c) => ({ key: `${t.table.replace(/^public\./, '')}.${c.column}`, flagged: c.flagged })),
  );
  expect(columns.map((c) => c.key).sort()).toEqual(Object.keys(labels).sort());
  const personal = columns.filter((c) => labels[c.key] === 'p');
  const flagged = columns.filter((c) => c.flagged);
  return {
    name,
    columns: columns.length,
    personal: personal.length,
    found: personal.filter((c) => c.flagged).length,
    flagged: flagged.length,
    falseFlags: flagged.filter((c) => labels[c.key] === 'n').length,
    missed: personal.filter((c) => !c.flagged).map((c) => c.key),
    wrong: flagged.filter((c) => labels[c.key] === 'n').map((c) => c.key),
  };
}

const pct = (a: number, b: number) => (b ? (100 * a) / b : 0);

const folder = mkdtempSync(join(tmpdir(), 'masque-corpus-'));
const figures: Figures[] = [];
const cleanup: (() => Promise<unknown>)[] = [];
afterAll(async () => {
  await Promise.all(cleanup.map((drop) => drop()));
  rmSync(folder, { recursive: true, force: true });
});

describe('scan on the labelled corpus', () => {
  let pagila: TestDatabase;
  const apps: [Application, ScratchDb][] = [];

  beforeAll(async () => {
    pagila = await createPagilaSource();
    cleanup.push(() => pagila.drop());
    for (const app of [crm, hr]) {
      const db = await createScratchDb('sqlite', 'corpus', app.ddl);
      cleanup.push(() => db.drop());
      await loadApplication(db, app);
      apps.push([app, db]);
    }
  }, 120_000);

  it('Pagila (PostgreSQL)', async () => {
    figures.push(measure('Pagila', (await scanSource(pagila.url)).tables, readLabels('pagila')));
  });

  it('Chinook (SQLite)', async () => {
    const chinook = createChinookSqlite('corpus');
    cleanup.push(() => chinook.drop());
    figures.push(measure('Chinook', (await scanSource(chinook.url)).tables, readLabels('chinook')));
    expect(datasets).toBeTruthy();
  });

  it('the demo shop (SQLite)', async () => {
    const path = join(folder, 'demo.sqlite');
    buildSampleDatabase(path);
    figures.push(measure('demo', (await scanSource(`sqlite:${path}`)).tables, readLabels('demo')));
  });

  it('a CRM and an HR system, column names in German, French and Spanish (SQLite)', async () => {
    for (const [app, db] of apps) figures.push(measure(app.name, (await scanSource(db.url)).tables, app.labels));
  });

  it('finds at least 95 % of personal columns, with at most 15 % false flags, in every database', () => {
    const sum = (key: 'columns' | 'personal' | 'found' | 'flagged' | 'falseFlags') =>
      figures.reduce((n, f) => n + f[key], 0);
    const total: Figures = {
      name: 'total',
      columns: sum('columns'),
      personal: sum('personal'),
      found: sum('found'),
      flagged: sum('flagged'),
      falseFlags: sum('falseFlags'),
      missed: [],
      wrong: [],
    };
    const rows = [...figures, total].map(
      (f) =>
        `${f.name.padEnd(22)} ${String(f.columns).padStart(4)} columns  recall ${f.found}/${f.personal} = ${pct(
          f.found,
          f.personal,
        ).toFixed(1)} %  false flags ${f.falseFlags}/${f.flagged} = ${pct(f.falseFlags, f.flagged).toFixed(1)} %` +
        (f.missed.length ? `  missed: ${f.missed.join(', ')}` : '') +
        (f.wrong.length ? `  false: ${f.wrong.join(', ')}` : ''),
    );
    console.log(`scan on the labelled corpus\n${rows.join('\n')}`);
    expect(figures).toHaveLength(5);
    for (const f of [...figures, total]) {
      expect(pct(f.found, f.personal), `${f.name} recall`).toBeGreaterThanOrEqual(95);
      expect(pct(f.falseFlags, f.flagged), `${f.name} false flags`).toBeLessThanOrEqual(15);
    }
  });
});
