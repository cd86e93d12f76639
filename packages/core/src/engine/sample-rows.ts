import type { Row } from '../dialects/dialect.ts';
import { openDialect } from '../dialects/open-dialect.ts';
import { findTable } from '../dialects/schema.ts';
import { DatabaseError } from '../errors.ts';

/** The first `count` rows of a table as the database returns them (for demo and preview output). */
export async function sampleRows(url: string, table: string, columns: string[], count: number): Promise<Row[]> {
  const dialect = await openDialect(url, 'source');
  try {
    const info = findTable(await dialect.introspect(), table);
    if (!info) throw new DatabaseError(`no table ${table} in the database`);
    const reader = await dialect.openSnapshot();
    const rows: Row[] = [];
    try {
      for await (const batch of reader.read({ table: info, columns })) {
        rows.push(...batch.slice(0, count - rows.length));
        if (rows.length >= count) break;
      }
    } finally {
      await reader.close();
    }
    return rows;
  } finally {
    await dialect.close();
  }
}
