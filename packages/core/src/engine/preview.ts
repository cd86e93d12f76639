import type { Rules } from '../config/rules.ts';
import type { Row } from '../dialects/dialect.ts';
import { ConfigError } from '../errors.ts';
import { createBatchMasker, readRequest } from './mask-batch.ts';
import { databaseUrls, withDatabases } from './open-databases.ts';
import { maskedColumnNames, planRun } from './plan.ts';
import { prepareTransformers } from './prepare-transformers.ts';

export interface Preview {
  table: string;
  columns: string[];
  /** The columns a rule changes. */
  masked: string[];
  rows: { before: Row; after: Row }[];
}

/**
 * The first `count` rows of one table before and after masking, from the source alone: nothing
 * is written and no target is needed (the source's own schema stands in for it). Unique columns
 * show their base output; the rare repairs a full run makes for collisions are not computed here.
 * This is the one place masque shows source values, on purpose.
 */
export async function previewTable(rules: Rules, table: string, count: number): Promise<Preview> {
  return withDatabases(databaseUrls(rules, 'unused'), async (source) => {
    const schema = await source.introspect();
    const plan = planRun(rules, schema, schema, { only: [table], prepared: await prepareTransformers(rules) });
    const tablePlan = plan.tables[0];
    if (!tablePlan) throw new ConfigError(`no table ${table} in the source`);
    const mask = createBatchMasker(tablePlan, source);
    const reader = await source.openSnapshot();
    const rows: Preview['rows'] = [];
    try {
      for await (const batch of reader.read(readRequest(tablePlan))) {
        const wanted = batch.slice(0, count - rows.length);
        const before = wanted.map((row) => row.slice(0, tablePlan.columns.length));
        for (const [i, after] of mask(wanted).entries()) rows.push({ before: before[i]!, after });
        if (rows.length >= count) break;
      }
    } finally {
      await reader.close();
    }
    return {
      table: tablePlan.source.name,
      columns: tablePlan.columns.map((c) => c.name),
      masked: maskedColumnNames(tablePlan),
      rows,
    };
  });
}
