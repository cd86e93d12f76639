/**
 * The unique repairs of a sharded run. Shard 0 scans each masked unique column once (see
 * UniqueColumn) and publishes the repairs; every shard puts them into its own plan's columns
 * before it masks a table that needs them, so all shards mask alike. A repair is keyed by the
 * source value, which must not sit readable in the target: the whole set is sealed with AES-256-GCM
 * under a key derived from the secret, bound to the plan, and only shards with the secret open it.
 */
import { createCipheriv, createDecipheriv, createHmac, randomBytes } from 'node:crypto';
import { gunzipSync, gzipSync } from 'node:zlib';
import type { Value } from '../../dialects/dialect.ts';
import { RuntimeError } from '../../errors.ts';
import type { Plan } from '../plan.ts';
import type { UniqueColumn } from '../unique-column.ts';

/** Per unique column (`table\0column` of the column that defines it), its repairs: value key → masked value. */
export type Repairs = Record<string, [string, EncodedValue][]>;

/** A masked value in JSON: strings as they are; other types tagged. */
type EncodedValue = string | null | { n: number } | { b: string } | { t: boolean } | { x: string };

/**
 * The unique columns of `plan`, each under the name of the column that defines it (the first whose
 * transform is the column's own; foreign keys that took it share it). Equal in every shard that
 * planned the same run: the plan is built from the same rules and schemas.
 */
export function uniqueColumns(plan: Plan): Map<string, UniqueColumn> {
  const found = new Map<string, UniqueColumn>();
  const seen = new Set<UniqueColumn>();
  for (const table of plan.tables) {
    for (const column of table.columns) {
      const unique = column.unique;
      if (!unique || column.transform !== unique.transform || seen.has(unique)) continue;
      seen.add(unique);
      found.set(`${table.target.name}\u0000${column.name}`, unique);
    }
  }
  return found;
}

/**
 * The repair table of a unique column. UniqueColumn keeps it private and has no way to hand it
 * over; reading it here keeps the sharding out of that class (another change reworks it), and this
 * is the one place to replace once it has one.
 */
function repairsOf(unique: UniqueColumn): Map<string, Value> {
  return (unique as unknown as { repairs: Map<string, Value> }).repairs;
}

/** The repairs of the columns named, which must be prepared (their scans finished). */
export function exportRepairs(columns: Map<string, UniqueColumn>): Repairs {
  const repairs: Repairs = {};
  for (const [name, unique] of columns) {
    const entries = [...repairsOf(unique)].map(([key, value]): [string, EncodedValue] => [key, encode(value)]);
    if (entries.length) repairs[name] = entries;
  }
  return repairs;
}

/** Puts published repairs into this shard's own columns; a name it does not plan is a different run. */
export function importRepairs(columns: Map<string, UniqueColumn>, repairs: Repairs): void {
  for (const [name, entries] of Object.entries(repairs)) {
    const unique = columns.get(name);
    if (!unique)
      throw new RuntimeError(`--shards: shard 0 repaired a unique column this shard does not plan (${name})`);
    const table = repairsOf(unique);
    for (const [key, value] of entries) table.set(key, decode(value));
  }
}

/** The AES-256 key of the repairs: the secret's, for this purpose only. */
function keyOf(secret: string): Buffer {
  return createHmac('sha256', secret).update('masque-shard-repairs').digest();
}

/** Sealed: 12 bytes of IV, 16 of tag, then the gzipped JSON, encrypted. `planId` is authenticated with it. */
export function sealRepairs(repairs: Repairs, secret: string, planId: string): Buffer {
  const iv = randomBytes(12);
  const cipher = createCipheriv('aes-256-gcm', keyOf(secret), iv).setAAD(Buffer.from(planId));
  const body = Buffer.concat([cipher.update(gzipSync(JSON.stringify(repairs))), cipher.final()]);
  return Buffer.concat([iv, cipher.getAuthTag(), body]);
}

export function openRepairs(sealed: Buffer, secret: string, planId: string): Repairs {
  try {
    const decipher = createDecipheriv('aes-256-gcm', keyOf(secret), sealed.subarray(0, 12));
    decipher.setAAD(Buffer.from(planId)).setAuthTag(sealed.subarray(12, 28));
    const plain = Buffer.concat([decipher.update(sealed.subarray(28)), decipher.final()]);
    return JSON.parse(gunzipSync(plain).toString('utf8')) as Repairs;
  } catch {
    throw new RuntimeError(
      "--shards: cannot open shard 0's unique repairs: " +
        "this shard's secret differs from shard 0's, or they were altered",
    );
  }
}

function encode(value: Value): EncodedValue {
  if (value === null || typeof value === 'string') return value;
  if (typeof value === 'number') return { n: value };
  if (typeof value === 'bigint') return { b: value.toString() };
  if (typeof value === 'boolean') return { t: value };
  return { x: value.toString('hex') };
}

function decode(value: EncodedValue): Value {
  if (value === null || typeof value === 'string') return value;
  if ('n' in value) return value.n;
  if ('b' in value) return BigInt(value.b);
  if ('t' in value) return value.t;
  return Buffer.from(value.x, 'hex');
}
