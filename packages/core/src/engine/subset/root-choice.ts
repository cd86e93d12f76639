import type { Row, SnapshotReader } from '../../dialects/dialect.ts';
import { createKeyedHash } from '../../transformers/keyed-hash.ts';
import { SortedRuns } from '../sorted-runs.ts';
import type { KeptRows } from './kept-rows.ts';
import { integerOf, keyBytes } from './row-key.ts';
import { SipHash } from './sip-hash.ts';
import type { SubsetTable } from './subset-graph.ts';

const TWO_TO_53 = 2 ** 53;

/**
 * Keeps a root table's chosen rows: those passing the root's `where` (and the table's own), then
 * `percent` of them and at most `limit`, chosen by a keyed hash of each row's key under the run's
 * secret. Each row's draw depends on its key and the secret alone, never on the order rows arrive
 * in or on the other rows, so the same secret keeps the same rows in every run and another keeps
 * others. `percent` keeps the rows whose draw is below the share; `limit` the rows with the
 * smallest draws, found in a first pass that sorts the draws in bounded memory (SortedRuns, as the
 * uniqueness scan does) and a second that keeps the rows at or below the `limit`-th. Only the key
 * columns are read. Without a secret the draws are random, like every masked value then. Resolves
 * to the rows read: those passing the `where`s.
 */
export async function keepRoots(
  table: SubsetTable,
  kept: KeptRows,
  reader: SnapshotReader,
  secret: string | undefined,
): Promise<number> {
  const root = table.root!;
  const draw = drawer(table, kept, secret);
  const share = root.percent === undefined ? TWO_TO_53 : (root.percent / 100) * TWO_TO_53;
  const wheres = [root.where, table.plan.where].filter(Boolean).map((w) => `(${w})`);
  const request = {
    table: table.plan.source,
    columns: kept.link,
    ...(wheres.length && { where: wheres.join(' AND ') }),
  };
  let read = 0;
  const scan = async (visit: (row: Row, drawn: number) => void): Promise<void> => {
    read = 0;
    for await (const batch of reader.read(request)) {
      read += batch.length;
      for (const row of batch) {
        const drawn = share < TWO_TO_53 || root.limit !== undefined ? draw(row) : 0;
        if (drawn < share) visit(row, drawn);
      }
    }
  };
  if (root.limit === undefined) {
    await scan((row) => void kept.add(row));
    return read;
  }
  const draws = new SortedRuns();
  try {
    await scan((_, drawn) => draws.push(drawn));
    let threshold = Number.POSITIVE_INFINITY;
    if (draws.length > root.limit) {
      let seen = 0;
      draws.ascending((drawn) => {
        if (++seen === root.limit) threshold = drawn;
      });
    }
    await scan((row, drawn) => {
      if (drawn <= threshold) kept.add(row);
    });
  } finally {
    draws.close();
  }
  return read;
}

/**
 * A row's draw in [0, 2^53): SipHash-2-4 of its key's bytes (row-key.ts; an integer key's
 * decimal digits, however the engine typed it) under a 128-bit key of the table's own, the first
 * 16 bytes of HMAC-SHA256(secret, "subset" + table). SipHash, not an HMAC per row: a root table
 * of a million rows takes 0.15 s of draws instead of 1.5 s.
 */
function drawer(table: SubsetTable, kept: KeptRows, secret: string | undefined): (row: Row) => number {
  const key = createKeyedHash(secret, 'subset').digest(table.plan.source.name).subarray(0, 16);
  const sip = new SipHash(key);
  const columns = table.plan.source.columns;
  const categories = kept.identity.map((name) => columns.find((c) => c.name === name)!.category);
  if (categories.length === 1 && categories[0] === 'integer') {
    const at = kept.identityAt[0]!;
    const digits = Buffer.alloc(24);
    return (row) => {
      const value = row[at]!;
      const integer = typeof value === 'string' && /^-?\d+$/.test(value) ? value : integerOf(value)?.toString();
      if (integer === undefined) return sip.draw53(keyBytes([value], categories));
      return sip.draw53(digits, digits.write(integer, 'latin1'));
    };
  }
  return (row) => sip.draw53(keyBytes(kept.keyOf(row), categories));
}
