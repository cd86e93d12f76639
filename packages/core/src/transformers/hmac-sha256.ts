/**
 * HMAC-SHA256 (RFC 2104, FIPS 180-4) for many short messages under one key, byte-identical to
 * `createHmac('sha256', key)`. Why not node:crypto: a `createHmac` object per value costs far more
 * in call overhead than SHA-256 itself, and keyed transformers are bound by it. Here the key's
 * inner and outer pad blocks are compressed once, and a value shorter than 56 bytes (with the
 * domain) then takes two compressions and no allocation. The property test compares it with
 * node:crypto on random keys and messages.
 */

const K = new Int32Array([
  0x428a2f98, 0x71374491, 0xb5c0fbcf, 0xe9b5dba5, 0x3956c25b, 0x59f111f1, 0x923f82a4, 0xab1c5ed5, 0xd807aa98,
  0x12835b01, 0x243185be, 0x550c7dc3, 0x72be5d74, 0x80deb1fe, 0x9bdc06a7, 0xc19bf174, 0xe49b69c1, 0xefbe4786,
  0x0fc19dc6, 0x240ca1cc, 0x2de92c6f, 0x4a7484aa, 0x5cb0a9dc, 0x76f988da, 0x983e5152, 0xa831c66d, 0xb00327c8,
  0xbf597fc7, 0xc6e00bf3, 0xd5a79147, 0x06ca6351, 0x14292967, 0x27b70a85, 0x2e1b2138, 0x4d2c6dfc, 0x53380d13,
  0x650a7354, 0x766a0abb, 0x81c2c92e, 0x92722c85, 0xa2bfe8a1, 0xa81a664b, 0xc24b8b70, 0xc76c51a3, 0xd192e819,
  0xd6990624, 0xf40e3585, 0x106aa070, 0x19a4c116, 0x1e376c08, 0x2748774c, 0x34b0bcb5, 0x391c0cb3, 0x4ed8aa4a,
  0x5b9cca4f, 0x682e6ff3, 0x748f82ee, 0x78a5636f, 0x84c87814, 0x8cc70208, 0x90befffa, 0xa4506ceb, 0xbef9a3f7,
  0xc67178f2,
]);

const IV = new Int32Array([
  0x6a09e667, 0xbb67ae85, 0x3c6ef372, 0xa54ff53a, 0x510e527f, 0x9b05688c, 0x1f83d9ab, 0x5be0cd19,
]);

/** The message schedule, shared: compressions never overlap (JavaScript is single-threaded). */
const W = new Int32Array(64);

/** One SHA-256 compression of the 64 bytes of `block` at `at` into `state`. */
function compress(state: Int32Array, block: Uint8Array, at: number): void {
  for (let i = 0; i < 16; i++, at += 4) {
    W[i] = (block[at]! << 24) | (block[at + 1]! << 16) | (block[at + 2]! << 8) | block[at + 3]!;
  }
  for (let i = 16; i < 64; i++) {
    const w15 = W[i - 15]!;
    const w2 = W[i - 2]!;
    W[i] =
      (W[i - 16]! +
        (((w15 >>> 7) | (w15 << 25)) ^ ((w15 >>> 18) | (w15 << 14)) ^ (w15 >>> 3)) +
        W[i - 7]! +
        (((w2 >>> 17) | (w2 << 15)) ^ ((w2 >>> 19) | (w2 << 13)) ^ (w2 >>> 10))) |
      0;
  }
  let a = state[0]!,
    b = state[1]!,
    c = state[2]!,
    d = state[3]!;
  let e = state[4]!,
    f = state[5]!,
    g = state[6]!,
    h = state[7]!;
  for (let i = 0; i < 64; i += 4) {
    let t1 =
      (h +
        (((e >>> 6) | (e << 26)) ^ ((e >>> 11) | (e << 21)) ^ ((e >>> 25) | (e << 7))) +
        (g ^ (e & (f ^ g))) +
        K[i]! +
        W[i]!) |
      0;
    h =
      (t1 +
        (((a >>> 2) | (a << 30)) ^ ((a >>> 13) | (a << 19)) ^ ((a >>> 22) | (a << 10))) +
        ((a & b) | (c & (a | b)))) |
      0;
    d = (d + t1) | 0;
    t1 =
      (g +
        (((d >>> 6) | (d << 26)) ^ ((d >>> 11) | (d << 21)) ^ ((d >>> 25) | (d << 7))) +
        (f ^ (d & (e ^ f))) +
        K[i + 1]! +
        W[i + 1]!) |
      0;
    g =
      (t1 +
        (((h >>> 2) | (h << 30)) ^ ((h >>> 13) | (h << 19)) ^ ((h >>> 22) | (h << 10))) +
        ((h & a) | (b & (h | a)))) |
      0;
    c = (c + t1) | 0;
    t1 =
      (f +
        (((c >>> 6) | (c << 26)) ^ ((c >>> 11) | (c << 21)) ^ ((c >>> 25) | (c << 7))) +
        (e ^ (c & (d ^ e))) +
        K[i + 2]! +
        W[i + 2]!) |
      0;
    f =
      (t1 +
        (((g >>> 2) | (g << 30)) ^ ((g >>> 13) | (g << 19)) ^ ((g >>> 22) | (g << 10))) +
        ((g & h) | (a & (g | h)))) |
      0;
    b = (b + t1) | 0;
    t1 =
      (e +
        (((b >>> 6) | (b << 26)) ^ ((b >>> 11) | (b << 21)) ^ ((b >>> 25) | (b << 7))) +
        (d ^ (b & (c ^ d))) +
        K[i + 3]! +
        W[i + 3]!) |
      0;
    e =
      (t1 +
        (((f >>> 2) | (f << 30)) ^ ((f >>> 13) | (f << 19)) ^ ((f >>> 22) | (f << 10))) +
        ((f & g) | (h & (f | g)))) |
      0;
    a = (a + t1) | 0;
    // Four rounds unrolled, each writing its new `a` and `e` over the variables that drop out;
    // after them the roles have turned by four, and the names are put back.
    const ta = a,
      tb = b,
      tc = c,
      td = d;
    a = e;
    b = f;
    c = g;
    d = h;
    e = ta;
    f = tb;
    g = tc;
    h = td;
  }
  state[0] = (state[0]! + a) | 0;
  state[1] = (state[1]! + b) | 0;
  state[2] = (state[2]! + c) | 0;
  state[3] = (state[3]! + d) | 0;
  state[4] = (state[4]! + e) | 0;
  state[5] = (state[5]! + f) | 0;
  state[6] = (state[6]! + g) | 0;
  state[7] = (state[7]! + h) | 0;
}

/** The state after compressing one 64-byte block from the initial value. */
function stateAfter(block: Uint8Array): Int32Array {
  const state = IV.slice();
  compress(state, block, 0);
  return state;
}

function writeState(state: Int32Array, out: Uint8Array, at: number): void {
  for (let i = 0; i < 8; i++, at += 4) {
    const word = state[i]!;
    out[at] = word >>> 24;
    out[at + 1] = word >>> 16;
    out[at + 2] = word >>> 8;
    out[at + 3] = word;
  }
}

/** Keyed with `key`: hashes `message[0, length)` into a new 32-byte Buffer. */
export type HmacSha256 = (message: Uint8Array, length: number) => Buffer;

export function createHmacSha256(key: string | Uint8Array): HmacSha256 {
  let keyBytes: Uint8Array = typeof key === 'string' ? Buffer.from(key, 'utf8') : key;
  if (keyBytes.length > 64) keyBytes = new Uint8Array(sha256(keyBytes));
  const pad = new Uint8Array(64);
  for (let i = 0; i < 64; i++) pad[i] = (keyBytes[i] ?? 0) ^ 0x36;
  const inner = stateAfter(pad);
  for (let i = 0; i < 64; i++) pad[i] = (keyBytes[i] ?? 0) ^ 0x5c;
  const outer = stateAfter(pad);

  const state = new Int32Array(8);
  const tail = new Uint8Array(128);
  return (message, length) => {
    state.set(inner);
    finish(state, message, length, 64, tail);
    // The outer hash: the inner digest plus padding is one block after the outer pad.
    tail.fill(0, 0, 64);
    writeState(state, tail, 0);
    tail[32] = 0x80;
    tail[62] = 0x03; // (64 + 32) bytes = 768 bits, big-endian in the last 8 bytes
    state.set(outer);
    compress(state, tail, 0);
    const out = Buffer.allocUnsafe(32);
    writeState(state, out, 0);
    return out;
  };
}

/** Plain SHA-256 (for keys longer than a block). */
function sha256(message: Uint8Array): Buffer {
  const state = IV.slice();
  finish(state, message, message.length, 0, new Uint8Array(128));
  const out = Buffer.allocUnsafe(32);
  writeState(state, out, 0);
  return out;
}

/** Compresses `message[0, length)` and the padding; `before` bytes were hashed already. */
function finish(state: Int32Array, message: Uint8Array, length: number, before: number, tail: Uint8Array): void {
  let at = 0;
  for (; at + 64 <= length; at += 64) compress(state, message, at);
  const rest = length - at;
  tail.fill(0);
  for (let i = 0; i < rest; i++) tail[i] = message[at + i]!;
  tail[rest] = 0x80;
  const blocks = rest < 56 ? 1 : 2;
  const bits = (before + length) * 8;
  const end = blocks * 64;
  // Messages here are far below 2^32 bits; the high word stays zero except for its low bits.
  const high = Math.floor(bits / 0x100000000);
  tail[end - 8] = high >>> 24;
  tail[end - 7] = high >>> 16;
  tail[end - 6] = high >>> 8;
  tail[end - 5] = high;
  tail[end - 4] = bits >>> 24;
  tail[end - 3] = bits >>> 16;
  tail[end - 2] = bits >>> 8;
  tail[end - 1] = bits;
  compress(state, tail, 0);
  if (blocks === 2) compress(state, tail, 64);
}
