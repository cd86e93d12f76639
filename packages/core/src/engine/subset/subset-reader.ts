import type { Batch, KeyRange, ReadRequest, Row, SnapshotReader } from '../../dialects/dialect.ts';
import type { KeptRows } from './kept-rows.ts';
import { integerOf } from './row-key.ts';
import { lookupKeys } from './walk.ts';

/**
 * `reader`, reading only the kept rows of the tables a subset keeps some rows of: every read of
 * such a table — the copy's, the uniqueness scans', `verify`'s — fetches the kept keys back by
 * their primary key, thousands a statement, in the same snapshot. A read of a key range (a work
 * unit) fetches the kept keys in that range; `keyBounds` are the kept keys' own. Other tables read
 * as they are.
 */
export function subsetReader(reader: SnapshotReader, kept: ReadonlyMap<string, KeptRows>): SnapshotReader {
  const wrapped: SnapshotReader = {
    read: (request) => {
      const rows = kept.get(request.table.name);
      return rows ? readKept(reader, request, rows) : reader.read(request);
    },
    close: () => reader.close(),
  };
  if (reader.sourceVersions) wrapped.sourceVersions = (tables) => reader.sourceVersions!(tables);
  if (reader.share) wrapped.share = async () => subsetReader(await reader.share!(), kept);
  if (reader.keyBounds) {
    wrapped.keyBounds = async (table, column) => {
      const rows = kept.get(table.name);
      return rows ? (rows.bounds ?? null) : reader.keyBounds!(table, column);
    };
  }
  if (reader.readByKeys) wrapped.readByKeys = (lookup) => reader.readByKeys!(lookup);
  if (reader.countRows) wrapped.countRows = (table) => reader.countRows!(table);
  return wrapped;
}

async function* readKept(reader: SnapshotReader, request: ReadRequest, kept: KeptRows): AsyncIterable<Batch> {
  const { range, ...read } = request;
  const inRange = rangeTest(range, kept);
  const end = kept.rows.end;
  for (let at = 0; at < end; ) {
    const { rows, next } = kept.rows.read(at, end, lookupKeys);
    at = next;
    const keys: Row[] = [];
    for (const row of rows) if (inRange(row)) keys.push(kept.keyOf(row));
    if (keys.length) yield* reader.readByKeys!({ ...read, keyColumns: kept.identity, keys });
  }
}

/** Whether a kept row's key is in a work unit's key range (its table's one integer key). */
function rangeTest(range: KeyRange | undefined, kept: KeptRows): (row: Row) => boolean {
  if (!range || (range.from === undefined && range.to === undefined)) return () => true;
  const at = kept.link.indexOf(range.column);
  return (row) => {
    const key = integerOf(row[at]!);
    if (key === undefined) return false;
    return (range.from === undefined || key >= range.from) && (range.to === undefined || key < range.to);
  };
}
