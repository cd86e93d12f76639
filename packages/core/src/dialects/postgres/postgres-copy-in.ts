import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type pg from 'pg';
import { from as copyFrom } from 'pg-copy-streams';
import type { Batch } from '../dialect.ts';
import { encodeRows } from './postgres-copy-text.ts';
import { quoteIdentifier } from './postgres-sql.ts';

/**
 * `COPY relation (columns) FROM STDIN` fed with the batches; resolves to the rows stored. A
 * failure upstream destroys the COPY stream, which sends CopyFail: the statement fails cleanly.
 */
export async function copyIn(
  client: pg.Client,
  relation: string,
  columns: string[],
  batches: AsyncIterable<Batch>,
): Promise<number> {
  const sink = client.query(copyFrom(`COPY ${relation} (${columns.map(quoteIdentifier).join(', ')}) FROM STDIN`));
  await pipeline(Readable.from(encode(batches)), sink);
  return sink.rowCount;
}

async function* encode(batches: AsyncIterable<Batch>): AsyncIterable<string> {
  for await (const batch of batches) yield encodeRows(batch);
}
