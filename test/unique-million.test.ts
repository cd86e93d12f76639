/**
 * Uniqueness at scale: 1,000,000 distinct emails and 1,000,000 distinct integer keys masked with
 * `unique: true` give zero duplicate outputs, and the same outputs on a second run whose
 * fingerprints spill to a file in sorted runs of 128k (8 runs), in 1 MiB of memory instead of 8.
 * Engine-level (no database): the values are generated on the fly.
 */
import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { parseRules, type Batch, type ColumnInfo, type TableInfo } from '@masque/core';
import { buildColumnTransform } from '../packages/core/src/engine/column-transform.ts';
import { UniqueColumn } from '../packages/core/src/engine/unique-column.ts';

const count = 1_000_000;

function columnRule(yamlRule: string) {
  const rules = parseRules(
    `secret: million-secret\ntables:\n  t:\n    columns:\n      c: ${yamlRule}\n`,
    'million.yaml',
    {},
  );
  return { rules, rule: rules.tables[0]!.columns[0]! };
}

async function maskAll(yamlRule: string, column: ColumnInfo, valueAt: (i: number) => string, runLength?: number) {
  const { rules, rule } = columnRule(yamlRule);
  const table: TableInfo = {
    name: 't',
    table: 't',
    columns: [column],
    primaryKey: [column.name],
    uniqueKeys: [],
    foreignKeys: [],
  };
  const problems = { config: [], schema: [] };
  const built = buildColumnTransform(rule, table, column, rules, problems)!;
  expect(problems).toEqual({ config: [], schema: [] });
  const unique = new UniqueColumn(built.transform, built.variant, 't.c');
  async function* scan(): AsyncIterable<Batch> {
    for (let start = 0; start < count; start += 10_000) {
      yield Array.from({ length: Math.min(10_000, count - start) }, (_, i) => [valueAt(start + i)]);
    }
  }
  const heapBefore = process.memoryUsage().heapUsed;
  const report = await unique.prepare(scan, 0, runLength);
  const heapAfter = process.memoryUsage().heapUsed;
  const seen = new Set<string>();
  const digest = createHash('sha256');
  for (let i = 0; i < count; i++) {
    const value = valueAt(i);
    const out = String(unique.transform(value, [value])).toLowerCase();
    seen.add(out);
    digest.update(out).update('\n');
  }
  return { report, distinct: seen.size, digest: digest.digest('hex'), heapGrowth: heapAfter - heapBefore };
}

describe.each([
  {
    kind: 'emails',
    rule: '{ transform: email, unique: true }',
    column: { name: 'c', dataType: 'varchar(80)', category: 'text', maxLength: 80 },
    value: (i: number) => `person${i}@company${i % 97}.example`,
  },
  {
    kind: 'integer keys',
    rule: '{ transform: number.int, min: 1, max: 2147483647, unique: true }',
    column: { name: 'c', dataType: 'integer', category: 'integer' },
    value: (i: number) => String(i + 1),
  },
])('1,000,000 distinct $kind with unique: true', ({ rule, column, value }) => {
  let first: Awaited<ReturnType<typeof maskAll>>;

  it('gives 1,000,000 distinct outputs', async () => {
    first = await maskAll(rule, { nullable: false, generated: false, identity: false, ...column } as ColumnInfo, value);
    expect(first.report.values).toBe(count);
    expect(first.distinct).toBe(count);
    // The fingerprints: 8 bytes a value, all in memory (one run of at most 2²⁰).
    expect(first.report.bytes).toBe(8 * 2 ** 20);
    // Heap growth includes garbage not yet collected, so it is reported, not asserted.
    console.log(
      `${column.name}: ${first.report.repaired} repaired of ${count}, fingerprints ${(first.report.bytes / 2 ** 20).toFixed(1)} MiB, heap growth ${(first.heapGrowth / 2 ** 20).toFixed(1)} MiB`,
    );
  });

  it('gives identical outputs on a second run, with the fingerprints in runs on disk', async () => {
    const second = await maskAll(
      rule,
      { nullable: false, generated: false, identity: false, ...column } as ColumnInfo,
      value,
      2 ** 17,
    );
    expect(second.report.bytes).toBe(8 * 2 ** 17);
    expect(second.digest).toBe(first.digest);
    expect(second.report.repaired).toBe(first.report.repaired);
  });
});
