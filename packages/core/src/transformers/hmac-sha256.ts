import { createHash } from 'node:crypto';
import { CAP, instantiateSha256, KEYS, MSG, OUT, type Sha256Wasm } from './sha256-wasm.ts';

/**
 * HMAC-SHA256 (RFC 2104, FIPS 180-4) for many short messages under one key, byte-identical to
 * `createHmac('sha256', key)`. Why not node:crypto: a `createHmac` object per value costs far more
 * in call overhead than SHA-256 itself, and keyed transformers are bound by it. Here the key's
 * inner and outer pad blocks are compressed once, into the key's slot of WebAssembly memory; a
 * message is copied into that memory and hashed by one call (sha256-wasm.ts: about 1.5x the
 * speed of the same in JavaScript, bench/hmac.ts), and a value shorter than 56 bytes (with the
 * domain) takes two compressions. The property test compares it with node:crypto.
 */

const IV = [0x6a09e667, 0xbb67ae85, 0x3c6ef372, 0xa54ff53a, 0x510e527f, 0x9b05688c, 0x1f83d9ab, 0x5be0cd19];

// Made for the first key, not at import: emitting and compiling the module takes milliseconds that commands
// without a secret need not spend.
let wasm: Sha256Wasm | undefined;
// Views of the memory, made again when it grows (a grown memory has a new buffer).
let bytes: Uint8Array;
let digest: Uint8Array;
let view: DataView;

function views({ buffer }: WebAssembly.Memory): void {
  bytes = new Uint8Array(buffer);
  digest = new Uint8Array(buffer, OUT, 32);
  view = new DataView(buffer);
}

/** The slots of collected HMAC functions, for new keys: a long-lived process may make keys without end. */
const free: number[] = [];
const slots = new FinalizationRegistry<number>((slot) => free.push(slot));
let next = KEYS;

function allocate(memory: WebAssembly.Memory): number {
  const slot = free.pop();
  if (slot !== undefined) return slot;
  if (next + 64 > memory.buffer.byteLength) {
    memory.grow(1);
    views(memory);
  }
  next += 64;
  return next - 64;
}

/** Copies `message[from, to)` to MSG. */
function copyIn(message: Uint8Array, from: number, to: number): void {
  if (to - from > 64) {
    bytes.set(message.subarray(from, to), MSG);
    return;
  }
  // On the short values that matter a loop beats the native copy (and the subarray it needs), and a word
  // at a time takes half the time of a byte at a time. A DataView writes little-endian words anywhere.
  const words = view;
  const at = MSG - from;
  let i = from;
  for (; i + 4 <= to; i += 4) {
    words.setInt32(
      at + i,
      message[i]! | (message[i + 1]! << 8) | (message[i + 2]! << 16) | (message[i + 3]! << 24),
      true,
    );
  }
  for (; i < to; i++) bytes[at + i] = message[i]!;
}

/** Keyed with `key`: hashes `message[0, length)` into a new 32-byte Buffer. */
export type HmacSha256 = (message: Uint8Array, length: number) => Buffer;

export function createHmacSha256(key: string | Uint8Array): HmacSha256 {
  let keyBytes: Uint8Array = typeof key === 'string' ? Buffer.from(key, 'utf8') : key;
  if (keyBytes.length > 64) keyBytes = createHash('sha256').update(keyBytes).digest();
  if (!wasm) {
    wasm = instantiateSha256();
    views(wasm.memory);
  }
  const { compress, hmac: hash, start, update, finish } = wasm;
  const slot = allocate(wasm.memory);
  // The inner state at the slot and the outer after it: each the initial value compressed with its pad.
  const padded = (state: number, pad: number) => {
    for (let i = 0; i < 64; i++) bytes[MSG + i] = (keyBytes[i] ?? 0) ^ pad;
    for (let i = 0; i < 8; i++) view.setInt32(state + 4 * i, IV[i]!, true);
    compress(state, MSG);
  };
  padded(slot, 0x36);
  padded(slot + 32, 0x5c);

  const hmac: HmacSha256 = (message, length) => {
    if (length <= CAP) {
      copyIn(message, 0, length);
      hash(slot, length);
    } else {
      start(slot);
      let at = 0;
      for (; length - at > CAP; at += CAP) {
        copyIn(message, at, at + CAP);
        update(CAP);
      }
      copyIn(message, at, length);
      finish(slot, length - at, length);
    }
    const out = Buffer.allocUnsafe(32);
    out.set(digest);
    return out;
  };
  slots.register(hmac, slot);
  return hmac;
}
