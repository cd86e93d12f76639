import type { Row, SnapshotReader } from '../../dialects/dialect.ts';
import { createKeyedHash } from '../../transformers/keyed-hash.ts';
import { SortedRuns } from '../sorted-runs.ts';
import type { KeptRows } from './kept-rows.ts';
import { keyBytes } from './row-key.ts';
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
 * columns are read. Without a secret the draws are random, like every masked value then.
 */
export async function keepRoots(
  table: SubsetTable,
  kept: KeptRows,
  reader: SnapshotReader,
  secret: string | undefined,
): Promise<void> {
  const root = table.root!;
  const hash = createKeyedHash(secret, `subset\u0000${table.plan.source.name}`);
  const categories = kept.identity.map((name) => table.plan.source.columns.find((c) => c.name === name)!.category);
  const draw = (row: Row): number => {
    const digest = hash.digest(keyBytes(kept.keyOf(row), categories));
    // 53 bits: exact in a double, so draws sort and compare as integers.
    return digest.readUIntBE(0, 6) * 32 + (digest[6]! >> 3);
  };
  const share = root.percent === undefined ? TWO_TO_53 : (root.percent / 100) * TWO_TO_53;
  const wheres = [root.where, table.plan.where].filter(Boolean).map((w) => `(${w})`);
  const request = {
    table: table.plan.source,
    columns: kept.link,
    ...(wheres.length && { where: wheres.join(' AND ') }),
  };
  const scan = async (visit: (row: Row, drawn: number) => void): Promise<void> => {
    for await (const batch of reader.read(request)) {
      for (const row of batch) {
        const drawn = share < TWO_TO_53 || root.limit !== undefined ? draw(row) : 0;
        if (drawn < share) visit(row, drawn);
      }
    }
  };
  if (root.limit === undefined) return scan((row) => void kept.add(row));
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
}
