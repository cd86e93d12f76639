/**
 * The fast write path: `LOAD DATA LOCAL INFILE` fed from a stream of the batches, in the
 * tab-separated text format that `FIELDS ESCAPED BY '\\'` defines.
 */
import { Readable } from 'node:stream';
import { DatabaseError } from '../../errors.ts';
import type { Batch, Value } from '../dialect.ts';
import type { TableInfo } from '../schema.ts';
import { statementError } from '../driver-error.ts';
import type { ExecResult, MysqlSession } from './mysql-driver.ts';
import { failOnWarnings, quoteIdentifier } from './mysql-sql.ts';
import { LoadDataBuffer } from './mysql-load-data-buffer.ts';
import { loadsAsHex } from './mysql-types.ts';

/** Chunks handed to the driver stay around this size, whatever the batch size. */
const chunkBytes = 1 << 20;
const tab = 9;
const newline = 10;

const escapes: Record<string, string> = { '\\': '\\\\', '\t': '\\t', '\n': '\\n', '\r': '\\r', '\0': '\\0' };
const special = /[\\\t\n\r\0]/;
const specials = /[\\\t\n\r\0]/g;

/** One field in LOAD DATA's text format: `\N` is NULL, so a literal `\N` goes out as `\\N`. */
export function encodeField(value: Value, hex: boolean): string {
  if (value === null) return '\\N';
  if (hex) return (Buffer.isBuffer(value) ? value : Buffer.from(String(value), 'utf8')).toString('hex');
  if (typeof value === 'boolean') return value ? '1' : '0';
  const text = Buffer.isBuffer(value) ? value.toString('utf8') : String(value);
  return special.test(text) ? text.replace(specials, (c) => escapes[c]!) : text;
}

/**
 * The statement for `columns`. Binary columns go through a user variable and `UNHEX`, so their
 * bytes never pass through a character set. Once there is a SET clause, MariaDB (10.11) no longer
 * honours NO_AUTO_VALUE_ON_ZERO for an auto-increment column loaded directly and turns a copied 0
 * into a new id; routing that column through a variable as well keeps the 0.
 */
export function loadDataSql(table: TableInfo, columns: string[], into = table.table): { sql: string; hex: boolean[] } {
  const infos = columns.map((name) => table.columns.find((c) => c.name === name));
  const hex = infos.map(loadsAsHex);
  const anySet = hex.includes(true);
  const targets: string[] = [];
  const sets: string[] = [];
  columns.forEach((name, i) => {
    if (hex[i] || (anySet && infos[i]?.identity)) {
      targets.push(`@v${i}`);
      sets.push(`${quoteIdentifier(name)} = ${hex[i] ? `UNHEX(@v${i})` : `@v${i}`}`);
    } else {
      targets.push(quoteIdentifier(name));
    }
  });
  const sql =
    `LOAD DATA LOCAL INFILE 'masque' INTO TABLE ${quoteIdentifier(into)} CHARACTER SET utf8mb4 ` +
    `FIELDS TERMINATED BY '\\t' ESCAPED BY '\\\\' LINES TERMINATED BY '\\n' (${targets.join(', ')})` +
    (sets.length > 0 ? ` SET ${sets.join(', ')}` : '');
  return { sql, hex };
}

/**
 * Loads all batches with one LOAD DATA statement into `into` (the table itself, or its shadow);
 * resolves to the rows written. Messages name the table.
 */
export async function loadData(
  session: MysqlSession,
  table: TableInfo,
  columns: string[],
  batches: AsyncIterable<Batch>,
  into = table.table,
): Promise<number> {
  const subject = `loading table ${quoteIdentifier(table.table)}`;
  const { sql, hex } = loadDataSql(table, columns, into);
  const width = columns.length;
  const last = width - 1;
  let sent = 0;
  let upstream: { error: unknown } | undefined;
  // Set once the statement has failed: the file is read no further, and its batches are let go
  // at the next one rather than at the next full chunk.
  let failed = false;

  async function* chunks(): AsyncGenerator<Buffer> {
    try {
      const out = new LoadDataBuffer(chunkBytes);
      for await (const batch of batches) {
        if (failed) return;
        for (const row of batch) {
          if (row.length !== width) {
            throw new DatabaseError(`${subject}: a row has ${row.length} values for ${width} columns`);
          }
          for (let i = 0; i < width; i++) {
            const value = row[i]!;
            if (typeof value === 'string' && !hex[i]) out.text(value);
            else if (value === null || hex[i]) out.ascii(encodeField(value, hex[i]!));
            else
              out.text(
                Buffer.isBuffer(value)
                  ? value.toString('utf8')
                  : typeof value === 'boolean'
                    ? value
                      ? '1'
                      : '0'
                    : String(value),
              );
            out.byte(i === last ? newline : tab);
          }
          sent++;
          if (out.full) {
            // Backpressure: mysql2 writes every chunk straight to the socket, so wait for the
            // socket to drain rather than let a fast source fill memory.
            await session.socketDrained();
            yield out.take();
          }
        }
      }
      if (!out.empty) yield out.take();
    } catch (error) {
      upstream = { error };
      throw error;
    }
  }

  let result: ExecResult;
  try {
    result = await session.exec(sql, { infile: () => Readable.from(chunks(), { objectMode: false }) });
  } catch (err) {
    failed = true;
    // A failure upstream (masking, reading) ends the file early; report that, not its echo.
    if (upstream) throw upstream.error;
    throw statementError(subject, err);
  }
  await failOnWarnings(session, subject, result.warningStatus);
  if (result.affectedRows !== sent) {
    throw new DatabaseError(`${subject}: sent ${sent} rows but the server stored ${result.affectedRows}`);
  }
  return sent;
}
