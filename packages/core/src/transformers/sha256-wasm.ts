/**
 * SHA-256 compression and the HMAC finish in WebAssembly, emitted as bytecode by `instantiateSha256` (no
 * build step, no dependency). Why WebAssembly: V8 compiles the 64 unrolled rounds, kept in locals and with
 * native rotates, to about twice the speed of the same rounds in JavaScript; and one call hashes a whole
 * short message, inner blocks, padding and outer block, so JavaScript pays one call per message.
 *
 * Memory layout: STATE is the running hash, OUT the finished digest (big-endian), OUTER the outer hash's one
 * block (the inner digest, then fixed padding), MSG the message, up to CAP bytes plus room for its padding.
 * The keys' states follow from KEYS, 64 bytes a key: the inner state, then the outer. States are native
 * (little-endian) words, as the rounds load them.
 */

export const STATE = 0;
export const OUT = 32;
export const OUTER = 64;
export const MSG = 128;
/** The most message bytes hashed in one call, a whole number of blocks; longer messages go in chunks. */
export const CAP = 16384;
export const KEYS = MSG + CAP + 128;

export interface Sha256Wasm {
  memory: WebAssembly.Memory;
  /** Compresses the block at `block` into the state at `state`. */
  compress(state: number, block: number): void;
  /** STATE := the inner state of the key at `key`. */
  start(key: number): void;
  /** Compresses the whole blocks of the `length` bytes at MSG into STATE (and returns, for `finish`, their end). */
  update(length: number): number;
  /** The `length` bytes at MSG, the padding for `total` bytes (below 4 GiB) and the outer hash into OUT. */
  finish(key: number, length: number, total: number): void;
  /** `start` and `finish` of a message of `length` bytes at MSG, in one call. */
  hmac(key: number, length: number): void;
}

const K = [
  0x428a2f98, 0x71374491, 0xb5c0fbcf, 0xe9b5dba5, 0x3956c25b, 0x59f111f1, 0x923f82a4, 0xab1c5ed5, 0xd807aa98,
  0x12835b01, 0x243185be, 0x550c7dc3, 0x72be5d74, 0x80deb1fe, 0x9bdc06a7, 0xc19bf174, 0xe49b69c1, 0xefbe4786,
  0x0fc19dc6, 0x240ca1cc, 0x2de92c6f, 0x4a7484aa, 0x5cb0a9dc, 0x76f988da, 0x983e5152, 0xa831c66d, 0xb00327c8,
  0xbf597fc7, 0xc6e00bf3, 0xd5a79147, 0x06ca6351, 0x14292967, 0x27b70a85, 0x2e1b2138, 0x4d2c6dfc, 0x53380d13,
  0x650a7354, 0x766a0abb, 0x81c2c92e, 0x92722c85, 0xa2bfe8a1, 0xa81a664b, 0xc24b8b70, 0xc76c51a3, 0xd192e819,
  0xd6990624, 0xf40e3585, 0x106aa070, 0x19a4c116, 0x1e376c08, 0x2748774c, 0x34b0bcb5, 0x391c0cb3, 0x4ed8aa4a,
  0x5b9cca4f, 0x682e6ff3, 0x748f82ee, 0x78a5636f, 0x84c87814, 0x8cc70208, 0x90befffa, 0xa4506ceb, 0xbef9a3f7,
  0xc67178f2,
];

/**
 * WebAssembly code: bytes, in nested arrays that `flat` joins once at the end (spreading them into each
 * other at every level took some 20 ms). Each instruction below is a function of its operands' code.
 */
type Code = number | Code[];

const flat = (code: Code): number[] => ([code] as unknown[]).flat(Infinity) as number[];

const uleb = (n: number): Code => (n < 0x80 ? n : [(n & 0x7f) | 0x80, uleb(n >>> 7)]);
const sleb = (n: number): Code => {
  const [low, rest] = [n & 0x7f, n >> 7];
  const done = (rest === 0 && !(low & 0x40)) || (rest === -1 && low & 0x40);
  return done ? low : [low | 0x80, sleb(rest)];
};
const vec = (items: Code[]): Code => [uleb(items.length), items];
/** A function's `n` locals after its parameters, all i32. */
const locals = (n: number): Code => vec(n ? [[n, 0x7f]] : []);

const get = (local: number): Code => [0x20, local];
const set = (local: number, value: Code): Code => [value, 0x21, local];
const tee = (local: number, value: Code): Code => [value, 0x22, local];
const i32 = (n: number): Code => [0x41, sleb(n | 0)];
const i64 = (n: number): Code => [0x42, sleb(n)];
const op =
  (opcode: number) =>
  (x: Code, y: Code): Code => [x, y, opcode];
const [add, sub, and, or, xor] = [op(0x6a), op(0x6b), op(0x71), op(0x72), op(0x73)];
const [shl, shr, rotl, rotr] = [op(0x74), op(0x76), op(0x77), op(0x78)];
const [ltU, geU] = [op(0x49), op(0x4f)];
const [add64, sub64, and64, or64, shl64, shr64] = [op(0x7c), op(0x7d), op(0x83), op(0x84), op(0x86), op(0x88)];
const extendU = (x: Code): Code => [x, 0xad];
const wrap = (x: Code): Code => [x, 0xa7];
const select = (x: Code, y: Code, condition: Code): Code => [x, y, condition, 0x1b];
const load = (address: Code, offset = 0): Code => [address, 0x28, 2, uleb(offset)];
const store = (address: Code, value: Code, offset = 0): Code => [address, value, 0x36, 2, uleb(offset)];
const load64 = (address: Code, offset = 0): Code => [address, 0x29, 3, uleb(offset)];
const store64 = (address: Code, value: Code, offset = 0): Code => [address, value, 0x37, 3, uleb(offset)];
const call = (fn: number, ...args: Code[]): Code => [args, 0x10, fn];
const when = (condition: Code, body: Code): Code => [condition, 0x04, 0x40, body, 0x0b];
/** block { loop { if (!condition) break; body; continue } } */
const loopWhile = (condition: Code, body: Code): Code => [
  [0x02, 0x40, 0x03, 0x40, condition, 0x45, 0x0d, 1],
  [body, 0x0c, 0, 0x0b, 0x0b],
];

/** Big-endian words through the scratch local `tmp`: WebAssembly has no byte swap. */
const bswap = (x: Code, tmp: number): Code =>
  or(and(rotl(tee(tmp, x), i32(8)), i32(0x00ff00ff)), and(rotr(get(tmp), i32(8)), i32(0xff00ff00)));
/** 32 bytes from `from + offset` to `to`, as four 64-bit words: memory.copy calls out of the compiled code. */
const copy32 = (to: number, from: Code, offset: number): Code =>
  [0, 8, 16, 24].map((i) => store64(i32(to), load64(from, offset + i), i));

// Function indexes, in the order of the code section.
const [COMPRESS, START, UPDATE, FINISH] = [0, 1, 2, 3];

/** compress(state, block); locals: a..h, the schedule's last 16 words, t1, scratch, a ^ b, b ^ c. */
function compress(): Code {
  const [state, block, t, tmp, ab, bc] = [0, 1, 26, 27, 28, 29];
  const w = (i: number) => 10 + (i & 15);
  // rotr(x, a) ^ rotr(x, a + b) ^ rotr(x, a + b + c) as rotr(rotr(rotr(x, c) ^ x, b) ^ x, a): x is copied
  // once, not three times (x86 rotates in place); about 10% faster. The small sigmas end in a shift.
  const big = (x: number, a: number, b: number, c: number) =>
    rotr(xor(rotr(xor(rotr(get(x), i32(c)), get(x)), i32(b)), get(x)), i32(a));
  const small = (x: number, a: number, b: number, s: number) =>
    xor(rotr(xor(rotr(get(x), i32(b)), get(x)), i32(a)), shr(get(x), i32(s)));
  const code: Code[] = [];
  for (let i = 0; i < 16; i++) code.push(set(w(i), bswap(load(get(block), 4 * i), tmp)));
  for (let i = 0; i < 8; i++) code.push(set(2 + i, load(get(state), 4 * i)));
  code.push(set(bc, xor(get(3), get(4))));
  // The names of a..h turn instead of the values: round i writes its new `a` over `h`, and after 64 rounds
  // the names are back in place. The schedule keeps 16 words: W[i] replaces W[i - 16].
  let v = [2, 3, 4, 5, 6, 7, 8, 9];
  for (let i = 0; i < 64; i++) {
    if (i >= 16) {
      const [s0, s1] = [small(w(i + 1), 7, 11, 3), small(w(i + 14), 17, 2, 10)];
      code.push(set(w(i), add(add(get(w(i)), s0), add(get(w(i + 9)), s1))));
    }
    const [a, b, , d, e, f, g, h] = v as [number, number, number, number, number, number, number, number];
    const ch = xor(get(g), and(get(e), xor(get(f), get(g))));
    // Maj(a, b, c) = b ^ ((a ^ b) & (b ^ c)), and this round's b ^ c is the last round's a ^ b.
    const maj = xor(get(b), and(tee(ab, xor(get(a), get(b))), get(bc)));
    code.push(set(t, add(add(add(get(h), add(get(w(i)), i32(K[i]!))), ch), big(e, 6, 5, 14))));
    code.push(set(d, add(get(d), get(t))), set(h, add(get(t), add(big(a, 2, 11, 9), maj))), set(bc, get(ab)));
    v = [h, ...v.slice(0, 7)];
  }
  for (let i = 0; i < 8; i++) code.push(store(get(state), add(load(get(state), 4 * i), get(2 + i)), 4 * i));
  return [locals(28), code];
}

/** update(length) → the address of the bytes after the whole blocks. */
function update(): Code {
  const [length, p] = [0, 1];
  const body = [
    call(COMPRESS, i32(STATE), get(p)),
    set(p, add(get(p), i32(64))),
    set(length, sub(get(length), i32(64))),
  ];
  return [locals(1), set(p, i32(MSG)), loopWhile(geU(get(length), i32(64)), body), get(p)];
}

/** finish(key, length, total): the padding goes in place after the message. */
function finish(): Code {
  const [key, length, total, p, end, at, tmp] = [0, 1, 2, 3, 4, 5, 6];
  // Written in 64-bit words, not with memory.fill (a call out of the compiled code): the word holding the
  // message's end keeps the bytes before it and gets 0x80 after them (little-endian), and the 8 words after
  // it are zeroed. They reach past a one-block padding at times, never past MSG's room.
  const word = and(get(at), i32(~7));
  const shift = extendU(shl(and(get(at), i32(7)), i32(3)));
  const last = or64(and64(load64(word), sub64(shl64(i64(1), shift), i64(1))), shl64(i64(0x80), shift));
  // (64 + total) * 8 bits, big-endian: the inner hash began with the key's pad block.
  const bits = shl64(add64(extendU(get(total)), i64(64)), i64(3));
  const code: Code[] = [
    set(p, call(UPDATE, get(length))),
    set(length, and(get(length), i32(63))),
    set(at, add(get(p), get(length))),
    store64(word, last),
    ...[1, 2, 3, 4, 5, 6, 7, 8].map((i) => store64(word, i64(0), 8 * i)),
    set(end, add(get(p), select(i32(64), i32(128), ltU(get(length), i32(56))))),
    store(sub(get(end), i32(8)), bswap(wrap(shr64(bits, i64(32))), tmp)),
    store(sub(get(end), i32(4)), bswap(wrap(bits), tmp)),
    call(COMPRESS, i32(STATE), get(p)),
    when(geU(get(length), i32(56)), call(COMPRESS, i32(STATE), add(get(p), i32(64)))),
  ];
  // The outer hash: the inner digest (big-endian) before OUTER's fixed padding, from the key's outer state.
  for (let i = 0; i < 8; i++) code.push(store(i32(0), bswap(load(i32(0), STATE + 4 * i), tmp), OUTER + 4 * i));
  code.push(copy32(STATE, get(key), 32), call(COMPRESS, i32(STATE), i32(OUTER)));
  for (let i = 0; i < 8; i++) code.push(store(i32(0), bswap(load(i32(0), STATE + 4 * i), tmp), OUT + 4 * i));
  return [locals(4), code];
}

function moduleBytes(): Uint8Array<ArrayBuffer> {
  const i32s = (n: number): Code => vec(Array(n).fill(0x7f));
  const type = (params: number, results: number): Code => [0x60, i32s(params), i32s(results)];
  // compress, start, update, finish, hmac: their types, names and bodies.
  const types = [type(2, 0), type(1, 0), type(1, 1), type(3, 0)];
  const typeOf = [0, 1, 2, 3, 0];
  const names = ['compress', 'start', 'update', 'finish', 'hmac'];
  const bodies = [
    compress(),
    [locals(0), copy32(STATE, get(0), 0)],
    update(),
    finish(),
    [locals(0), call(START, get(0)), call(FINISH, get(0), get(1), get(1))],
  ].map((body) => {
    const bytes = flat(body);
    return [uleb(bytes.length + 1), bytes, 0x0b];
  });
  const name = (s: string): Code => vec([...s].map((c) => c.charCodeAt(0)));
  const exports = [...names.map((n, i) => [name(n), 0, i]), [name('memory'), 2, 0]];
  const section = (id: number, items: Code[]): Code => {
    const bytes = flat(vec(items));
    return [id, uleb(bytes.length), bytes];
  };
  const module = [
    [0x00, 0x61, 0x73, 0x6d, 1, 0, 0, 0],
    section(1, types),
    section(3, typeOf),
    section(5, [[0, 1]]), // one memory, at least one page
    section(7, exports),
    section(10, bodies),
  ];
  return new Uint8Array(flat(module));
}

/** One instance for the process: every key keeps its states in this one memory. */
export function instantiateSha256(): Sha256Wasm {
  const wasm = new WebAssembly.Instance(new WebAssembly.Module(moduleBytes())).exports as unknown as Sha256Wasm;
  // The outer block's padding never changes: a 32-byte digest after a 64-byte pad is 768 bits.
  const bytes = new Uint8Array(wasm.memory.buffer);
  bytes[OUTER + 32] = 0x80;
  bytes[OUTER + 62] = 0x03;
  return wasm;
}
