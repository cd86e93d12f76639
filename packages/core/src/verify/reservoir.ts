import type { Value } from '../dialects/dialect.ts';

/**
 * A uniform random sample of at most `size` items from a stream of unknown length (reservoir
 * sampling, Algorithm R). Seeded, so the same data gives the same sample in every run. While
 * fewer than `size` items have been seen, it holds all of them: small tables are checked whole.
 */
export class Reservoir<T> {
  readonly items: T[] = [];
  seen = 0;
  private state: number;

  constructor(
    readonly size: number,
    seed = 0x5eed,
  ) {
    this.state = seed >>> 0;
  }

  add(item: T): void {
    this.seen++;
    if (this.items.length < this.size) {
      this.items.push(item);
      return;
    }
    const slot = Math.floor(this.random() * this.seen);
    if (slot < this.size) this.items[slot] = item;
  }

  /** True when every item seen is in the sample. */
  get complete(): boolean {
    return this.seen <= this.size;
  }

  /** mulberry32: small, fast, and good enough to pick sample slots. */
  private random(): number {
    this.state = (this.state + 0x6d2b79f5) >>> 0;
    let t = this.state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }
}

/** How a value is compared: equal keys for equal values of one column, whatever their JS type. */
export function valueKey(value: Exclude<Value, null>): string {
  return Buffer.isBuffer(value) ? `\u0000x${value.toString('hex')}` : String(value);
}

/** A tuple of values (a composite key) as one comparable key; undefined when any part is NULL. */
export function tupleKey(values: readonly Value[]): string | undefined {
  if (values.some((v) => v === null)) return undefined;
  return values.length === 1 ? valueKey(values[0]!) : JSON.stringify(values.map((v) => valueKey(v!)));
}
