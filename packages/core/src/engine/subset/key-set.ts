import { closeSync, ftruncateSync, mkdtempSync, openSync, readSync, rmSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** Bytes of memory the fingerprint sets of one subset may hold together; beyond, they go to disk. */
export const defaultSetMemory = 64 * 2 ** 20;
/** A set that went to disk keeps this many bytes of its file in memory (its most recent pages). */
const pageCacheBytes = 2 * 2 ** 20;
const SLOT_WORDS = 4;
const SLOT_BYTES = 16;
/** Slots per page of a set on disk: 4 KB pages. */
const PAGE_SLOTS = 256;

/** Memory shared by the sets of one subset: a set grows in memory while there is some left. */
export class MemoryBudget {
  constructor(private available = defaultSetMemory) {}

  take(bytes: number): boolean {
    if (bytes > this.available) return false;
    this.available -= bytes;
    return true;
  }

  give(bytes: number): void {
    this.available += bytes;
  }
}

/** Where a set's slots live: a typed array, or a file behind a small cache of its pages. */
interface Slots {
  readonly capacity: number;
  /** The four words of `slot` into `out`. */
  get(slot: number, out: Uint32Array): void;
  set(slot: number, words: Uint32Array): void;
  close(): void;
}

/**
 * A set of 128-bit fingerprints (row-key.ts), open addressing with linear probing at most half
 * full, in bounded memory: the table grows in memory while the shared budget allows, then moves
 * to a temporary file (unlinked at once, so nothing outlives the process) read and written through
 * a 2 MB cache of its pages, as a database keeps a hash table bigger than its work memory. A
 * million keys take 32 MB in memory; on disk, a lookup costs a page read when its page is not
 * cached (the kernel's cache usually has it).
 */
export class KeySet {
  private slots: Slots;
  private readonly probe = new Uint32Array(SLOT_WORDS);
  size = 0;

  constructor(private readonly budget: MemoryBudget = new MemoryBudget()) {
    this.slots = this.allocate(1024);
  }

  /** True when the set went to disk. */
  get spilled(): boolean {
    return this.slots instanceof FileSlots;
  }

  has(fingerprint: Uint32Array): boolean {
    return this.find(fingerprint) < 0;
  }

  /** Adds `fingerprint`; true when it was not in the set yet. */
  add(fingerprint: Uint32Array): boolean {
    const at = this.find(fingerprint);
    if (at < 0) return false;
    this.slots.set(at, fingerprint);
    if (++this.size * 2 > this.slots.capacity) this.grow();
    return true;
  }

  close(): void {
    this.slots.close();
    if (this.slots instanceof MemorySlots) this.budget.give(this.slots.capacity * SLOT_BYTES);
    this.slots = new MemorySlots(0);
  }

  /** The slot holding `fingerprint` as -1, or the empty slot where it belongs. */
  private find(fingerprint: Uint32Array): number {
    const { slots, probe } = this;
    const mask = slots.capacity - 1;
    let at = mix(fingerprint) & mask;
    for (;;) {
      slots.get(at, probe);
      if ((probe[0]! | probe[1]! | probe[2]! | probe[3]!) === 0) return at;
      if (
        probe[0] === fingerprint[0] &&
        probe[1] === fingerprint[1] &&
        probe[2] === fingerprint[2] &&
        probe[3] === fingerprint[3]
      )
        return -1;
      at = (at + 1) & mask;
    }
  }

  private grow(): void {
    const old = this.slots;
    this.slots = this.allocate(old.capacity * 2);
    const words = new Uint32Array(SLOT_WORDS);
    for (let slot = 0; slot < old.capacity; slot++) {
      old.get(slot, words);
      if ((words[0]! | words[1]! | words[2]! | words[3]!) === 0) continue;
      this.slots.set(this.find(words), words);
    }
    old.close();
    if (old instanceof MemorySlots) this.budget.give(old.capacity * SLOT_BYTES);
  }

  private allocate(capacity: number): Slots {
    return this.budget.take(capacity * SLOT_BYTES) ? new MemorySlots(capacity) : new FileSlots(capacity);
  }
}

/** A slot's start from its fingerprint: the words are hashes already, or an integer key mixed here. */
function mix(words: Uint32Array): number {
  let h = (words[3]! ^ Math.imul(words[2]!, 0x9e3779b1) ^ Math.imul(words[1]!, 0x85ebca6b)) >>> 0;
  h = Math.imul(h ^ (h >>> 16), 0x85ebca6b);
  h = Math.imul(h ^ (h >>> 13), 0xc2b2ae35);
  return (h ^ (h >>> 16)) >>> 0;
}

class MemorySlots implements Slots {
  private readonly words: Uint32Array;

  constructor(readonly capacity: number) {
    this.words = new Uint32Array(capacity * SLOT_WORDS);
  }

  get(slot: number, out: Uint32Array): void {
    const at = slot * SLOT_WORDS;
    out[0] = this.words[at]!;
    out[1] = this.words[at + 1]!;
    out[2] = this.words[at + 2]!;
    out[3] = this.words[at + 3]!;
  }

  set(slot: number, words: Uint32Array): void {
    this.words.set(words, slot * SLOT_WORDS);
  }

  close(): void {}
}

/** The slots in a file, through a cache of its most recently used pages (written back when evicted). */
class FileSlots implements Slots {
  private fd: number | undefined;
  private readonly pages = new Map<number, { words: Uint32Array; dirty: boolean }>();
  private readonly maxPages = Math.max(4, Math.floor(pageCacheBytes / (PAGE_SLOTS * SLOT_BYTES)));

  constructor(readonly capacity: number) {
    this.fd = openUnlinked();
    ftruncateSync(this.fd, capacity * SLOT_BYTES); // reads as zeros: every slot empty
  }

  get(slot: number, out: Uint32Array): void {
    const page = this.page(Math.floor(slot / PAGE_SLOTS));
    const at = (slot % PAGE_SLOTS) * SLOT_WORDS;
    out[0] = page.words[at]!;
    out[1] = page.words[at + 1]!;
    out[2] = page.words[at + 2]!;
    out[3] = page.words[at + 3]!;
  }

  set(slot: number, words: Uint32Array): void {
    const page = this.page(Math.floor(slot / PAGE_SLOTS));
    page.words.set(words, (slot % PAGE_SLOTS) * SLOT_WORDS);
    page.dirty = true;
  }

  close(): void {
    if (this.fd !== undefined) closeSync(this.fd);
    this.fd = undefined;
    this.pages.clear();
  }

  private page(index: number): { words: Uint32Array; dirty: boolean } {
    let page = this.pages.get(index);
    if (page) {
      // Most recently used last: a Map keeps insertion order.
      this.pages.delete(index);
      this.pages.set(index, page);
      return page;
    }
    if (this.pages.size >= this.maxPages) {
      const [oldest, evicted] = this.pages.entries().next().value!;
      this.pages.delete(oldest);
      if (evicted.dirty) this.write(oldest, evicted.words);
    }
    const bytes = Buffer.alloc(PAGE_SLOTS * SLOT_BYTES);
    const position = index * bytes.length;
    for (let got = 0; got < bytes.length; ) {
      const read = readSync(this.fd!, bytes, got, bytes.length - got, position + got);
      if (read === 0) break; // past the end: zeros
      got += read;
    }
    page = { words: new Uint32Array(bytes.buffer, bytes.byteOffset, PAGE_SLOTS * SLOT_WORDS), dirty: false };
    this.pages.set(index, page);
    return page;
  }

  private write(index: number, words: Uint32Array): void {
    const bytes = new Uint8Array(words.buffer, words.byteOffset, words.byteLength);
    const position = index * bytes.length;
    for (let written = 0; written < bytes.length; ) {
      written += writeSync(this.fd!, bytes, written, bytes.length - written, position + written);
    }
  }
}

/** A new temporary file, readable only by us, already unlinked: it lives as long as the descriptor. */
function openUnlinked(): number {
  const dir = mkdtempSync(join(tmpdir(), 'masque-subset-'));
  try {
    return openSync(join(dir, 'keys'), 'w+', 0o600);
  } finally {
    rmSync(dir, { recursive: true });
  }
}
