import type { Row, Value } from '../../dialects/dialect.ts';
import type { TableInfo } from '../../dialects/schema.ts';
import { KeySet, type MemoryBudget } from './key-set.ts';
import { RecordFile } from './record-file.ts';
import { integerOf, RowKeys } from './row-key.ts';

/**
 * The rows a subset keeps of one table, in bounded memory: each row's key (`identity`, its
 * primary key or a unique key of NOT NULL columns) as a fingerprint in a KeySet, so a row is kept
 * once however often it is reached, and the values the subset follows from it (`link`: the key,
 * and the columns of every foreign key into or out of the table) in a RecordFile, in the order
 * the rows were kept: the walk reads the rows kept since it last looked, and the copy reads the
 * keys back to fetch the rows whole.
 */
export class KeptRows {
  readonly rows = new RecordFile();
  private readonly keys: KeySet;
  private readonly rowKeys: RowKeys;
  /** Where each identity column is in a link row. */
  readonly identityAt: number[];
  private readonly fingerprint = new Uint32Array(4);
  /** The key is one integer column: its bounds are tracked. */
  private readonly integerKey: boolean;
  /** The smallest and largest kept key, when the key is one integer column (for key ranges). */
  bounds: { min: bigint; max: bigint } | undefined;

  constructor(
    readonly table: TableInfo,
    readonly identity: string[],
    readonly link: string[],
    budget: MemoryBudget,
  ) {
    this.keys = new KeySet(budget);
    this.rowKeys = new RowKeys(identity.map((name) => categoryOf(table, name)));
    this.identityAt = identity.map((name) => link.indexOf(name));
    this.integerKey = identity.length === 1 && categoryOf(table, identity[0]!) === 'integer';
  }

  get count(): number {
    return this.keys.size;
  }

  /** True when the set of keys went to disk. */
  get spilled(): boolean {
    return this.keys.spilled;
  }

  /** Keeps `row` (its link values); true when its key was not kept yet. */
  add(row: Row): boolean {
    const key = this.identityAt.map((i) => row[i]!);
    this.rowKeys.fingerprint(key, this.fingerprint);
    if (!this.keys.add(this.fingerprint)) return false;
    this.rows.append(row);
    if (this.integerKey) this.widen(key[0]!);
    return true;
  }

  /** Whether the row with this key (values in `identity` order) is kept. */
  has(key: readonly Value[]): boolean {
    this.rowKeys.fingerprint(key, this.fingerprint);
    return this.keys.has(this.fingerprint);
  }

  /** The key values of a link row, in `identity` order. */
  keyOf(row: Row): Row {
    return this.identityAt.map((i) => row[i]!);
  }

  close(): void {
    this.rows.close();
    this.keys.close();
  }

  private widen(value: Value): void {
    const integer = integerOf(value);
    if (integer === undefined) return;
    if (!this.bounds) this.bounds = { min: integer, max: integer };
    else if (integer < this.bounds.min) this.bounds.min = integer;
    else if (integer > this.bounds.max) this.bounds.max = integer;
  }
}

function categoryOf(table: TableInfo, column: string) {
  return table.columns.find((c) => c.name === column)?.category ?? 'other';
}
