import { closeSync, mkdtempSync, openSync, readSync, rmSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** Fingerprints held in memory at most: 8 MB. Beyond that, sorted runs go to a temporary file. */
export const defaultRunLength = 2 ** 20;
/** Entries read from the file at a time, per run, while merging. */
const readLength = 2 ** 13;

interface Run {
  /** Byte offset of the run in the file. */
  start: number;
  length: number;
}

/**
 * An append-only list of numbers (fingerprints) read back in ascending order, in bounded memory:
 * the way a database sorts more than fits in its work memory. At most `runLength` values are kept
 * in a typed array; each time it fills, it is sorted and written out as a run, and reading merges
 * the runs. Up to `runLength` values (1M by default) nothing is written; beyond, memory stays at
 * one run's 8 MB (plus 64 KB per run while merging), so a uniqueness scan does not grow with the table.
 *
 * The file is unlinked as soon as it is opened, so the kernel frees it when the process ends,
 * even by `kill -9`. It holds 53-bit hashes, never a value.
 */
export class SortedRuns {
  private buffer: Float64Array;
  private filled = 0;
  private readonly runs: Run[] = [];
  private fd: number | undefined;
  length = 0;

  constructor(private readonly runLength = defaultRunLength) {
    this.buffer = new Float64Array(Math.min(runLength, 1024));
  }

  push(value: number): void {
    if (this.filled === this.buffer.length) this.makeRoom();
    this.buffer[this.filled++] = value;
    this.length++;
  }

  /** Bytes of memory held: the run buffer (the file is not counted). */
  get bytes(): number {
    return this.buffer.byteLength;
  }

  /** Calls `visit` with every value in ascending order (a k-way merge of the runs). */
  ascending(visit: (value: number) => void): void {
    const last = this.buffer.subarray(0, this.filled).sort();
    if (!this.runs.length) {
      for (const value of last) visit(value);
      return;
    }
    // A binary min-heap of the runs by their next value: log(runs) per value, however many runs.
    const heap = [...this.runs.map((run) => this.cursor(run)), memoryCursor(last)].filter((c) => c.head !== undefined);
    for (let i = (heap.length >> 1) - 1; i >= 0; i--) siftDown(heap, i);
    while (heap.length) {
      const top = heap[0]!;
      visit(top.head!);
      if (top.advance() === undefined) {
        const end = heap.pop()!;
        if (end !== top) heap[0] = end;
      }
      siftDown(heap, 0);
    }
  }

  /** Which of `wanted` are the key (`keyOf`) of some value held: one pass, in no particular order. */
  present(wanted: ReadonlySet<number>, keyOf: (value: number) => number): Set<number> {
    const found = new Set<number>();
    const check = (values: Float64Array): void => {
      for (const value of values) if (wanted.has(keyOf(value))) found.add(keyOf(value));
    };
    check(this.buffer.subarray(0, this.filled));
    const chunk = new Float64Array(readLength);
    for (const run of this.runs) {
      for (let done = 0; done < run.length; done += readLength) {
        check(this.read(run, done, chunk));
      }
    }
    return found;
  }

  /** Frees the memory and the file. */
  close(): void {
    if (this.fd !== undefined) closeSync(this.fd);
    this.fd = undefined;
    this.buffer = new Float64Array(0);
    this.filled = 0;
  }

  /** Grows the buffer up to a run's length, then writes it out as a sorted run and starts over. */
  private makeRoom(): void {
    if (this.buffer.length < this.runLength) {
      const grown = new Float64Array(Math.min(this.runLength, this.buffer.length * 4));
      grown.set(this.buffer);
      this.buffer = grown;
      return;
    }
    this.fd ??= openUnlinked();
    const start = this.runs.reduce((end, run) => end + run.length * 8, 0);
    const sorted = this.buffer.sort();
    writeAll(this.fd, new Uint8Array(sorted.buffer, sorted.byteOffset, sorted.byteLength), start);
    this.runs.push({ start, length: this.filled });
    this.filled = 0;
  }

  private cursor(run: Run): Cursor {
    const chunk = new Float64Array(readLength);
    let done = 0;
    let values = this.read(run, 0, chunk);
    let at = 0;
    const cursor: Cursor = {
      head: values[0],
      advance: () => {
        if (++at === values.length) {
          done += values.length;
          values = done < run.length ? this.read(run, done, chunk) : new Float64Array(0);
          at = 0;
        }
        cursor.head = values[at];
        return cursor.head;
      },
    };
    return cursor;
  }

  /** Up to `chunk.length` values of `run` from its `from`-th, into `chunk`. */
  private read(run: Run, from: number, chunk: Float64Array): Float64Array {
    const count = Math.min(chunk.length, run.length - from);
    const bytes = new Uint8Array(chunk.buffer, 0, count * 8);
    for (let got = 0; got < bytes.length; ) {
      const read = readSync(this.fd!, bytes, got, bytes.length - got, run.start + from * 8 + got);
      if (read === 0) throw new Error("the uniqueness scan's temporary file ended early");
      got += read;
    }
    return chunk.subarray(0, count);
  }
}

interface Cursor {
  head: number | undefined;
  advance(): number | undefined;
}

function siftDown(heap: Cursor[], at: number): void {
  for (;;) {
    const left = 2 * at + 1;
    let min = at;
    if (left < heap.length && heap[left]!.head! < heap[min]!.head!) min = left;
    if (left + 1 < heap.length && heap[left + 1]!.head! < heap[min]!.head!) min = left + 1;
    if (min === at) return;
    [heap[at], heap[min]] = [heap[min]!, heap[at]!];
    at = min;
  }
}

function memoryCursor(values: Float64Array): Cursor {
  let at = 0;
  const cursor: Cursor = { head: values[0], advance: () => (cursor.head = values[++at]) };
  return cursor;
}

/** A new temporary file, readable only by us, already unlinked: it lives as long as the descriptor. */
function openUnlinked(): number {
  const dir = mkdtempSync(join(tmpdir(), 'masque-unique-'));
  try {
    return openSync(join(dir, 'runs'), 'w+', 0o600);
  } finally {
    rmSync(dir, { recursive: true });
  }
}

function writeAll(fd: number, bytes: Uint8Array, position: number): void {
  for (let written = 0; written < bytes.length; ) {
    written += writeSync(fd, bytes, written, bytes.length - written, position + written);
  }
}
