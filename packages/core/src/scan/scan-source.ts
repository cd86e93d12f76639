import type { Value } from '../dialects/dialect.ts';
import { openDialect } from '../dialects/open-dialect.ts';
import { redactUrl } from '../dialects/database-url.ts';
import type { TableInfo } from '../dialects/schema.ts';
import { renderDraft } from './draft-yaml.ts';
import { scanReport } from './scan-report.ts';
import { suggestRules, type Samples, type TableDraft } from './suggest-rules.ts';

export interface ScanOptions {
  /** Rows sampled per table, from the start of the table; default 1000. */
  sampleSize?: number;
  /** Path from the draft to the JSON Schema, written as the editor hint. */
  schemaPath?: string;
}

export interface ScanResult {
  tables: TableDraft[];
  /** The draft rules file. */
  yaml: string;
  /** One screen for the reviewer: the columns per category (scan-report.ts). */
  report: string;
}

/**
 * `masque scan`: reads the source's schema and the first rows of each table (read-only), and
 * drafts a complete rules file. Sampled values are only tested, never kept or printed.
 */
export async function scanSource(url: string, options: ScanOptions = {}): Promise<ScanResult> {
  const sampleSize = options.sampleSize ?? 1000;
  const dialect = await openDialect(url, 'source');
  const schema = await dialect.introspect().finally(() => dialect.close());
  const samples: Samples = new Map();
  // Partitions are read through their parent, as `run` reads them.
  for (const table of schema.tables.filter((t) => !t.partitionOf))
    samples.set(table.name, await sampleTable(url, table, sampleSize));
  const tables = suggestRules(schema, samples);
  const header = { source: redactUrl(url), sampleSize, ...(options.schemaPath && { schemaPath: options.schemaPath }) };
  return { tables, yaml: renderDraft(tables, header), report: scanReport(tables) };
}

/**
 * The first `count` rows of a table, column by column. Each table gets its own connection:
 * stopping a read early leaves a PostgreSQL connection mid-COPY, and only ending the connection
 * (closing the dialect) gets out of that cleanly.
 */
async function sampleTable(url: string, table: TableInfo, count: number): Promise<Map<string, Value[]>> {
  const columns = table.columns.filter((c) => !c.generated).map((c) => c.name);
  const values = new Map(columns.map((c) => [c, [] as Value[]]));
  if (count <= 0 || !columns.length) return values;
  const dialect = await openDialect(url, 'source');
  try {
    const reader = await dialect.openSnapshot();
    let rows = 0;
    for await (const batch of reader.read({ table, columns })) {
      for (const row of batch.slice(0, count - rows)) {
        for (const [i, c] of columns.entries()) values.get(c)!.push(row[i]!);
      }
      rows += batch.length;
      if (rows >= count) break;
    }
  } finally {
    await dialect.close();
  }
  return values;
}
