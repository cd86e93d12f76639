/**
 * The subset keeps its kept keys in bounded memory: with the fingerprint sets' memory cut to
 * 16 KB, every set goes to disk, and the subset chosen — on Chinook's SQLite file, all of Customer
 * and their invoices, lines and every parent — is the very same as in memory.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDialect, parseRules, planRun, type Dialect } from '@masque/core';
import { computeSubset } from '../packages/core/src/engine/subset/compute-subset.ts';
import { prepareTransformers } from '../packages/core/src/engine/prepare-transformers.ts';
import { createChinookSqlite, repoRoot, type TestFile } from './support/databases.ts';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

describe('a subset with its kept keys on disk', () => {
  let file: TestFile;
  let source: Dialect;
  beforeAll(async () => {
    file = createChinookSqlite('memory');
    source = await openDialect(file.url);
  });
  afterAll(async () => {
    await source?.close();
    await file?.drop();
  });

  it('chooses the same rows as in memory', async () => {
    const text = `${readFileSync(join(repoRoot, 'rules/chinook.yaml'), 'utf8')}
subset:
  roots:
    Customer: { percent: 60 }
  others: none
`;
    const rules = parseRules(text, 'chinook.yaml', {
      MASQUE_SOURCE_URL: file.url,
      MASQUE_TARGET_URL: file.url,
      MASQUE_SECRET: 'm',
    });
    const schema = await source.introspect();
    const plan = planRun(rules, schema, schema, { prepared: await prepareTransformers(rules) });
    const choose = async (memory?: number) => {
      const reader = await source.openSnapshot();
      const subset = await computeSubset(plan, rules.subset!, rules.secret, reader, () => {}, memory);
      try {
        const kept: Record<string, string[]> = {};
        const wrapped = subset.reader(reader);
        for (const table of plan.tables) {
          const key = table.source.primaryKey;
          const ids: string[] = [];
          for await (const batch of wrapped.read({ table: table.source, columns: key })) {
            for (const row of batch) ids.push(row.map(String).join('/'));
          }
          kept[table.source.name] = ids.sort();
        }
        return { kept, spilled: subset.spilled };
      } finally {
        subset.close();
        await reader.close();
      }
    };
    const inMemory = await choose();
    const onDisk = await choose(16 * 1024);
    expect(inMemory.spilled).toBe(false);
    expect(onDisk.spilled).toBe(true);
    expect(onDisk.kept).toEqual(inMemory.kept);
    expect(inMemory.kept.Customer!.length).toBeGreaterThan(25);
    expect(inMemory.kept.InvoiceLine!.length).toBeGreaterThan(1000);
    expect(inMemory.kept.Track!.length).toBeGreaterThan(1000);
  });
});
