import { closeSync, mkdtempSync, openSync, readSync, rmSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Row, Value } from '../../dialects/dialect.ts';

/** Bytes kept in memory before they go to the file: small for the many tables a subset keeps few rows of. */
const firstBuffer = 4096;
const flushAt = 1 << 20;

/** Value tags in a record. */
enum Tag {
  Null = 0,
  Text = 1,
  Number = 2,
  BigInt = 3,
  True = 4,
  False = 5,
  Bytes = 6,
}

/**
 * An append-only list of rows (the values of a table's kept rows that the subset follows), in
 * bounded memory: up to 1 MB in a buffer, the rest in a temporary file, read back by byte
 * position. Each value keeps its JavaScript type (text, number, bigint, boolean, bytes, NULL), so
 * a key read back is the key the reader gave. The file is unlinked as soon as it is opened, so
 * even `kill -9` leaves nothing behind; it holds key values of the source and lives only as long
 * as the run.
 */
export class RecordFile {
  private buffer = Buffer.alloc(firstBuffer);
  private used = 0;
  /** Bytes already in the file. */
  private flushed = 0;
  private fd: number | undefined;
  /** Rows appended. */
  length = 0;

  /** The position after the last row appended: where the next one starts. */
  get end(): number {
    return this.flushed + this.used;
  }

  append(row: Row): void {
    let size = 4 + 2;
    for (const value of row) size += sizeOf(value);
    this.reserve(size);
    const buffer = this.buffer;
    let at = this.used;
    buffer.writeUInt32LE(size - 4, at);
    buffer.writeUInt16LE(row.length, at + 4);
    at += 6;
    for (const value of row) at = writeValue(buffer, at, value);
    this.used = at;
    this.length++;
  }

  /**
   * Up to `max` rows from byte position `from` (a row's start) and before `to`, and the position
   * after the last one read. Synchronous, so rows appended meanwhile never move what is read.
   */
  read(from: number, to: number, max: number): { rows: Row[]; next: number } {
    const rows: Row[] = [];
    let at = from;
    const stop = Math.min(to, this.end);
    while (at < stop && rows.length < max) {
      const bytes = this.bytesAt(at, stop);
      let local = 0;
      while (local + 4 <= bytes.length && rows.length < max) {
        const size = bytes.readUInt32LE(local);
        if (local + 4 + size > bytes.length) break;
        rows.push(readRow(bytes, local + 4));
        local += 4 + size;
      }
      if (local === 0) throw new Error('a kept row does not fit the read window');
      at += local;
    }
    return { rows, next: at };
  }

  /** Frees the memory and the file. */
  close(): void {
    if (this.fd !== undefined) closeSync(this.fd);
    this.fd = undefined;
    this.buffer = Buffer.alloc(0);
    this.used = 0;
  }

  /** The bytes from `at` up to `stop` (both row boundaries): in memory, or up to 1 MB read from the
   *  file (more for a longer row), since rows never straddle the file and the buffer. */
  private bytesAt(at: number, stop: number): Buffer {
    if (at >= this.flushed) return this.buffer.subarray(at - this.flushed, stop - this.flushed);
    const end = Math.min(stop, this.flushed);
    let length = Math.min(flushAt, end - at);
    for (;;) {
      const bytes = Buffer.allocUnsafe(length);
      for (let got = 0; got < length; ) {
        const read = readSync(this.fd!, bytes, got, length - got, at + got);
        if (read === 0) throw new Error("the subset's temporary file ended early");
        got += read;
      }
      const size = bytes.readUInt32LE(0) + 4;
      if (size <= length) return bytes;
      length = size; // a row longer than the window: read again, big enough for it
    }
  }

  private reserve(size: number): void {
    if (this.used + size <= this.buffer.length) return;
    if (this.used && this.used + size > flushAt) this.flush();
    if (this.used + size > this.buffer.length) {
      const grown = Buffer.alloc(Math.max(this.used + size, Math.min(flushAt, this.buffer.length * 4)));
      this.buffer.copy(grown, 0, 0, this.used);
      this.buffer = grown;
    }
  }

  private flush(): void {
    this.fd ??= openUnlinked();
    for (let written = 0; written < this.used; ) {
      written += writeSync(this.fd, this.buffer, written, this.used - written, this.flushed + written);
    }
    this.flushed += this.used;
    this.used = 0;
  }
}

function sizeOf(value: Value): number {
  if (value === null || typeof value === 'boolean') return 1;
  if (typeof value === 'number') return 9;
  if (typeof value === 'bigint') return 5 + value.toString().length;
  if (Buffer.isBuffer(value)) return 5 + value.length;
  return 5 + Buffer.byteLength(value, 'utf8');
}

function writeValue(buffer: Buffer, at: number, value: Value): number {
  if (value === null) {
    buffer[at] = Tag.Null;
    return at + 1;
  }
  if (typeof value === 'boolean') {
    buffer[at] = value ? Tag.True : Tag.False;
    return at + 1;
  }
  if (typeof value === 'number') {
    buffer[at] = Tag.Number;
    buffer.writeDoubleLE(value, at + 1);
    return at + 9;
  }
  if (Buffer.isBuffer(value)) {
    buffer[at] = Tag.Bytes;
    buffer.writeUInt32LE(value.length, at + 1);
    value.copy(buffer, at + 5);
    return at + 5 + value.length;
  }
  const text = typeof value === 'bigint' ? value.toString() : value;
  buffer[at] = typeof value === 'bigint' ? Tag.BigInt : Tag.Text;
  const length = buffer.write(text, at + 5, 'utf8');
  buffer.writeUInt32LE(length, at + 1);
  return at + 5 + length;
}

function readRow(bytes: Buffer, at: number): Row {
  const count = bytes.readUInt16LE(at);
  at += 2;
  const row: Row = new Array(count);
  for (let i = 0; i < count; i++) {
    const tag = bytes[at++] as Tag;
    switch (tag) {
      case Tag.Null:
        row[i] = null;
        break;
      case Tag.True:
      case Tag.False:
        row[i] = tag === Tag.True;
        break;
      case Tag.Number:
        row[i] = bytes.readDoubleLE(at);
        at += 8;
        break;
      default: {
        const length = bytes.readUInt32LE(at);
        const start = at + 4;
        at = start + length;
        // Copies: a slice would keep the whole read window alive.
        if (tag === Tag.Bytes) row[i] = Buffer.from(bytes.subarray(start, at));
        else if (tag === Tag.BigInt) row[i] = BigInt(bytes.toString('latin1', start, at));
        else row[i] = bytes.toString('utf8', start, at);
      }
    }
  }
  return row;
}

/** A new temporary file, readable only by us, already unlinked: it lives as long as the descriptor. */
function openUnlinked(): number {
  const dir = mkdtempSync(join(tmpdir(), 'masque-subset-'));
  try {
    return openSync(join(dir, 'rows'), 'w+', 0o600);
  } finally {
    rmSync(dir, { recursive: true });
  }
}
