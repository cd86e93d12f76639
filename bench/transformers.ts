/**
 * Values per second of every builtin transformer (and a few faker methods) on realistic inputs:
 * `pnpm bench:transformers [--values N]`. Each transformer is built as the engine builds it (one
 * keyed hash per column, parameters parsed with defaults), warmed up, then timed over N distinct
 * values in one tight loop, as mask-batch calls it, in several rounds; the best round is shown,
 * because on a shared machine the slower rounds measure the neighbours. Single thread: per core.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ColumnInfo, Row, TableInfo, Value } from '../packages/core/src/index.ts';
import { builtinTransformers } from '../packages/core/src/transformers/builtins.ts';
import { createKeyedHash } from '../packages/core/src/transformers/keyed-hash.ts';
import { resolveTransformer } from '../packages/core/src/transformers/registry.ts';

const arg = (name: string) => Number(process.argv[process.argv.indexOf(name) + 1]);
const count = arg('--values') || 200_000;
const rounds = arg('--rounds') || 3;
const SECRET = 'bench-secret-0123456789';

interface Case {
  /** Label in the table; the transformer name unless several cases share one. */
  label: string;
  transform: string;
  params?: Record<string, unknown>;
  column?: Partial<ColumnInfo>;
  /** The i-th input value. */
  input(i: number): Value;
}

const first = ['anna', 'bernd', 'chloé', 'dmitri', 'eve', 'farid', 'grace', 'hiro'];
const email = (i: number) => `${first[i % 8]}.user${i}@corp-${i % 97}.example`;
const card = (i: number) =>
  `4111 ${String(i).padStart(4, '0').slice(-4)} ${String(i * 7)
    .padStart(4, '0')
    .slice(-4)} 1111`;
const date = (i: number) => new Date(Date.UTC(1950, 0, 1) + (i % 25_000) * 86_400_000).toISOString().slice(0, 10);

const moduleDir = mkdtempSync(join(tmpdir(), 'masque-bench-'));
writeFileSync(
  join(moduleDir, 'mask.mjs'),
  "export default (value, row, ctx) => 'u' + ctx.digest(value).toString('hex').slice(0, 12);\n",
);

const cases: Case[] = [
  { label: 'keep', transform: 'keep', input: email },
  { label: 'null', transform: 'null', input: email },
  { label: 'constant', transform: 'constant', params: { value: 'x' }, input: email },
  { label: 'redact', transform: 'redact', input: email },
  { label: 'email', transform: 'email', column: { maxLength: 255 }, input: email },
  { label: 'hash', transform: 'hash', params: { length: 16 }, input: email },
  { label: 'partial', transform: 'partial', input: (i) => `DE${String(i).padStart(20, '0')}` },
  { label: 'scramble', transform: 'scramble', input: (i) => `${first[i % 8]} Street ${i}, Apt ${i % 40}` },
  {
    label: 'template',
    transform: 'template',
    params: { template: '{{person.firstName}}.{{row.id}}@example.org' },
    input: email,
  },
  {
    label: 'regex',
    transform: 'regex',
    params: { pattern: '\\d', replacement: '#' },
    input: (i) => `Order ${i} for card 4111-${i}`,
  },
  {
    label: 'noise (integer)',
    transform: 'noise',
    params: { percent: 10 },
    column: { category: 'integer', dataType: 'integer' },
    input: (i) => String(1000 + i),
  },
  {
    label: 'noise (decimal)',
    transform: 'noise',
    params: { absolute: 5 },
    column: { category: 'decimal', dataType: 'numeric(10,2)', precision: 10, scale: 2 },
    input: (i) => `${i}.${i % 100}`,
  },
  {
    label: 'dateShift',
    transform: 'dateShift',
    params: { days: 30 },
    column: { category: 'date', dataType: 'date' },
    input: date,
  },
  {
    label: 'uuid',
    transform: 'uuid',
    column: { category: 'uuid', dataType: 'uuid' },
    input: (i) => `00000000-0000-4000-8000-${String(i).padStart(12, '0')}`,
  },
  { label: 'phone', transform: 'phone', input: (i) => `+49 (30) ${String(i).padStart(7, '0')}` },
  { label: 'creditCard', transform: 'creditCard', input: card },
  {
    label: 'iban',
    transform: 'iban',
    input: (i) =>
      `DE89 3704 0044 ${String(i)
        .padStart(10, '0')
        .replace(/(\d{4})(?=\d)/g, '$1 ')}`,
  },
  {
    label: 'ip',
    transform: 'ip',
    column: { category: 'other', dataType: 'inet' },
    input: (i) => `10.${(i >> 16) & 255}.${(i >> 8) & 255}.${i & 255}`,
  },
  {
    label: 'json',
    transform: 'json',
    column: { category: 'json', dataType: 'jsonb' },
    params: { paths: { '$.email': 'email', '$.cards[*].number': { transform: 'partial', keepLast: 4 } } },
    input: (i) =>
      `{"id": ${i}, "email": "${email(i)}", "cards": [{"number": "${card(i)}", "exp": "12/29"}], "tags": ["a", "b"]}`,
  },
  { label: 'custom', transform: 'custom', params: { module: 'mask.mjs' }, input: email },
  {
    // Nothing learnt here (no source): the cost of looking every word and run of words up.
    label: 'mentions (scan only)',
    transform: 'mentions',
    params: { of: { 'customer.name': 'person.fullName' } },
    input: (i) => `Call ${first[i % 8]} about order ${i}, she asked to deliver after noon on Friday.`,
  },
  { label: 'person.firstName', transform: 'person.firstName', input: email },
  { label: 'location.city', transform: 'location.city', input: email },
  { label: 'internet.password', transform: 'internet.password', input: email },
];

const missing = builtinTransformers.filter((d) => !cases.some((c) => c.transform === d.name)).map((d) => d.name);
if (missing.length) throw new Error(`no benchmark case for ${missing.join(', ')}`);

/** Builds the transform as the engine does: params parsed, prepare awaited, one keyed hash per column. */
async function build(c: Case) {
  const definition = resolveTransformer(c.transform)!;
  const params = definition.params.parse(c.params ?? {});
  const column: ColumnInfo = {
    name: 'c',
    dataType: 'text',
    category: 'text',
    nullable: true,
    generated: false,
    identity: false,
    ...c.column,
  };
  const id: ColumnInfo = {
    name: 'id',
    dataType: 'integer',
    category: 'integer',
    nullable: false,
    generated: false,
    identity: true,
  };
  const table: TableInfo = {
    name: 'bench',
    table: 'bench',
    columns: [id, column],
    primaryKey: ['id'],
    uniqueKeys: [],
    foreignKeys: [],
  };
  const prepared = await definition.prepare?.(params, { baseDir: moduleDir });
  return definition.create(params, {
    table,
    column,
    locale: 'en',
    keyed: createKeyedHash(SECRET, c.transform),
    columnIndex: (name) => table.columns.findIndex((col) => col.name === name),
    prepared,
  });
}

const rows: Row[] = [];
console.log(
  `${count.toLocaleString('en')} distinct values per transformer, best of ${rounds} rounds, node ${process.version}\n`,
);
console.log(`${'transformer'.padEnd(20)} ${'values/s'.padStart(12)} ${'µs/value'.padStart(9)}`);
for (const c of cases) {
  const transform = await build(c);
  rows.length = 0;
  for (let i = 0; i < count; i++) rows.push([i, c.input(i)]);
  // Warm up so the JIT has compiled the hot path before the clock starts.
  for (let i = 0; i < Math.min(count, 20_000); i++) transform(rows[i]![1]!, rows[i]!);
  let seconds = Infinity;
  for (let round = 0; round < rounds; round++) {
    let written = 0;
    const started = process.hrtime.bigint();
    for (let i = 0; i < count; i++) if (transform(rows[i]![1]!, rows[i]!) !== null) written++;
    seconds = Math.min(seconds, Number(process.hrtime.bigint() - started) / 1e9);
    // Counting outputs keeps the loop from being optimised away, and checks nothing went NULL.
    if (written !== (c.transform === 'null' ? 0 : count)) throw new Error(`${c.label}: unexpected NULL outputs`);
  }
  const perSecond = count / seconds;
  console.log(
    `${c.label.padEnd(20)} ${Math.round(perSecond).toLocaleString('en').padStart(12)} ${((seconds / count) * 1e6).toFixed(2).padStart(9)}`,
  );
}
rmSync(moduleDir, { recursive: true, force: true });
