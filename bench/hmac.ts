/**
 * HMAC-SHA256 of short messages, µs per call: the WebAssembly version against the last pure-JavaScript
 * one (read from git at BEFORE: no copy of it in the tree), in the same process:
 * `npx --yes tsx bench/hmac.ts [--calls N] [--rounds K]`. The messages are what keyed-hash.ts hashes,
 * `domain NUL value` with emails, names and notes, 10–58 bytes, in a longer buffer. Rounds alternate
 * between the two; the best of K (3) is shown, because on a shared machine the slower rounds measure
 * the neighbours.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { createHmacSha256, type HmacSha256 } from '../packages/core/src/transformers/hmac-sha256.ts';

/** The last commit of hmac-sha256.ts with its SHA-256 in JavaScript. */
const BEFORE = 'c8e14c5341b572af60a2beb90116bfa5987a1481';
const FILE = 'packages/core/src/transformers/hmac-sha256.ts';

const arg = (name: string) => Number(process.argv[process.argv.indexOf(name) + 1]);
const calls = arg('--calls') || 2_000_000;
const rounds = arg('--rounds') || 3;

const dir = mkdtempSync(join(tmpdir(), 'masque-hmac-'));
const oldFile = join(dir, 'hmac-sha256-js.ts');
writeFileSync(oldFile, execFileSync('git', ['show', `${BEFORE}:${FILE}`], { encoding: 'utf8' }));
const old = (await import(pathToFileURL(oldFile).href)) as { createHmacSha256: typeof createHmacSha256 };
rmSync(dir, { recursive: true });

const first = ['anna', 'bernd', 'chloe', 'dmitri', 'eve', 'farid', 'grace', 'hiro'];
const note = 'Called about the invoice; wants a callback after 5pm.';
const values = (i: number) => [
  `email\u0000${first[i % 8]}.user${i}@corp-${i % 97}.example`,
  `first_name\u0000${first[i % 8]}`,
  `name\u0000${first[i % 8]} ${first[(i * 7) % 8]}son`,
  `note\u0000${note.slice(0, 5 + (i % 50))}`,
];
// As keyed-hash.ts passes them: the message at the start of a longer buffer, which it reuses.
const messages = Array.from({ length: 1024 }, (_, i) => values(i)).flat();
const buffers = messages.map((m) => {
  const buffer = Buffer.alloc(300);
  return { buffer, length: buffer.write(m) };
});
const lengths = buffers.map((b) => b.length);
console.log(`${buffers.length} messages of ${Math.min(...lengths)}–${Math.max(...lengths)} bytes, ${calls} calls`);

/** µs per call; the digests' first bytes are summed so that no call can be left out. */
function time(hmac: HmacSha256): number {
  let sink = 0;
  const start = process.hrtime.bigint();
  for (let i = 0; i < calls; i++) {
    const { buffer, length } = buffers[i & 4095]!;
    sink += hmac(buffer, length)[0]!;
  }
  const elapsed = Number(process.hrtime.bigint() - start) / 1000;
  if (sink < 0) console.log(sink);
  return elapsed / calls;
}

const key = 'bench-secret-0123456789';
const js = old.createHmacSha256(key);
const wasm = createHmacSha256(key);
for (const { buffer, length } of buffers) {
  if (!js(buffer, length).equals(wasm(buffer, length))) throw new Error('the digests differ');
}
const best = { js: Infinity, wasm: Infinity };
for (let round = 0; round < rounds; round++) {
  best.js = Math.min(best.js, time(js));
  best.wasm = Math.min(best.wasm, time(wasm));
}
console.log(`JavaScript   ${best.js.toFixed(3)} µs/op`);
console.log(`WebAssembly  ${best.wasm.toFixed(3)} µs/op`);
console.log(`ratio        ${(best.js / best.wasm).toFixed(2)}x`);
