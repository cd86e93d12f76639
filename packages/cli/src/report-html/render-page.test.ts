import { describe, expect, it } from 'vitest';
import { renderPage } from './render-page.ts';
import type { ReviewModel } from './review-model.ts';
import { readSnapshot } from './snapshot.ts';

const hostile = '</script><script>alert(1)</script>';

const model: ReviewModel = {
  generatedAt: '2026-01-01T00:00:00.000Z',
  rulesFile: 'rules <b>.yaml',
  strict: true,
  sampleSize: 0,
  examples: false,
  problems: [],
  configErrors: [],
  tables: [
    {
      table: 'public."odd<table>"',
      skip: false,
      findings: [],
      comment: hostile,
      columns: [
        { column: 'a&b', dataType: 'text', state: 'masked', rule: `template (template: "${hostile}")`, signals: [] },
        { column: 'kept', dataType: 'text', state: 'kept-personal', rule: 'keep', signals: [], comment: '<i>why</i>' },
      ],
    },
  ],
};

describe('the page', () => {
  const html = renderPage(model);

  it('escapes every name, rule and comment: no markup of the rules reaches the page', () => {
    expect(html.match(/<script/g)).toHaveLength(1);
    expect(html).not.toContain('<i>why</i>');
    expect(html).not.toContain('<b>.yaml');
    expect(html).toContain('&lt;/script&gt;&lt;script&gt;alert(1)&lt;/script&gt;');
  });

  it('carries its snapshot for the next report, read back exactly', () => {
    const snapshot = readSnapshot(html)!;
    expect(snapshot.columns).toEqual([
      { table: 'public."odd<table>"', column: 'a&b', state: 'masked', rule: `template (template: "${hostile}")` },
      { table: 'public."odd<table>"', column: 'kept', state: 'kept-personal', rule: 'keep' },
    ]);
    expect(readSnapshot('<html>not a report</html>')).toBeUndefined();
  });

  it("shows a subset's kept share of the source's rows when the run report carries it", () => {
    const table = { table: 't', rows: 50, bytes: 900, seconds: 0.5, skipped: false, maskedColumns: ['a'] };
    const run = {
      status: 'ok' as const,
      exitCode: 0,
      startedAt: '2026-01-01T00:00:00.000Z',
      finishedAt: '2026-01-01T00:00:01.000Z',
      seconds: 1,
      cutoverSeconds: 0.25,
      rows: 60,
      bytes: 1000,
      tables: [
        { ...table, sourceRows: 200 },
        { ...table, table: 'u', rows: 10, sourceRows: undefined },
      ],
    };
    const page = renderPage({ ...model, run });
    expect(page).toContain('<th class="n">kept of source rows</th>');
    expect(page).toContain('<td class="n">50 of 200 (25 %)</td>');
    expect(page).toContain('<th>cut-over</th><td>250 ms</td>');
    expect(page).toContain('100 rows/s');
    expect(renderPage(model)).not.toContain('kept of source rows');
  });

  it('counts the columns per state where the coverage shows them', () => {
    expect(html).toMatch(/<td class="n" data-state="masked">1<\/td>/);
    expect(html).toMatch(/<td class="n" data-state="kept-personal">1<\/td>/);
    expect(html).toContain('Needs a look: 1 column(s)');
  });
});
