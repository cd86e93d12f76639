import { describe, expect, it } from 'vitest';
import type { Batch, Value } from '../../dialects/dialect.ts';
import { RuntimeError } from '../../errors.ts';
import { createKeyedHash } from '../../transformers/keyed-hash.ts';
import { UniqueColumn } from '../unique-column.ts';
import { exportRepairs, importRepairs, openRepairs, type Repairs, sealRepairs } from './repairs.ts';

/** 40 possible outputs: distinct inputs collide, so the scan repairs many of them. */
const coarse = () => {
  const keyed = createKeyedHash('secret', 'coarse');
  return (value: Value) => (value === null ? null : `user${keyed.digest(value).readUInt32BE(0) % 40}@example.com`);
};
const wide = (attempt: number) => {
  const keyed = createKeyedHash('secret', `coarse#${attempt}`);
  return (value: Value) => (value === null ? null : `u${keyed.digest(value).toString('hex', 0, 6)}@example.com`);
};

const inputs = Array.from({ length: 300 }, (_, i) => `person${i}@real.example`);

async function scanned(): Promise<UniqueColumn> {
  const unique = new UniqueColumn(coarse(), wide, 't.email');
  async function* scan(): AsyncIterable<Batch> {
    yield inputs.map((v) => [v]);
  }
  await unique.prepare(scan, 0);
  return unique;
}

describe('unique repairs shared between shards', () => {
  it('masks in another shard exactly as in the shard that scanned, without scanning', async () => {
    const shard0 = await scanned();
    const sealed = sealRepairs(exportRepairs(new Map([['public.t\u0000email', shard0]])), 's3cret', 'plan-1');
    const shard1 = new UniqueColumn(coarse(), wide, 't.email');
    importRepairs(new Map([['public.t\u0000email', shard1]]), openRepairs(sealed, 's3cret', 'plan-1'));
    const out = inputs.map((v) => shard1.transform(v, [v]));
    expect(out).toEqual(inputs.map((v) => shard0.transform(v, [v])));
    expect(new Set(out).size).toBe(inputs.length);
    // Without the repairs the base transform collides: they are what made the outputs distinct.
    const bare = new UniqueColumn(coarse(), wide, 't.email');
    expect(new Set(inputs.map((v) => bare.transform(v, [v]))).size).toBeLessThan(41);
  });

  it('keeps the source values out of the target: the sealed repairs name none of them', async () => {
    const sealed = sealRepairs(exportRepairs(new Map([['t\u0000email', await scanned()]])), 's3cret', 'plan-1');
    const text = sealed.toString('latin1');
    expect(inputs.some((v) => text.includes(v) || text.includes('real.example'))).toBe(false);
  });

  it('opens only with the same secret and plan', () => {
    const repairs: Repairs = {
      't\u0000c': [
        ['a', 'x'],
        ['b', null],
      ],
    };
    const sealed = sealRepairs(repairs, 's3cret', 'plan-1');
    expect(openRepairs(sealed, 's3cret', 'plan-1')).toEqual(repairs);
    expect(() => openRepairs(sealed, 'other', 'plan-1')).toThrow(RuntimeError);
    expect(() => openRepairs(sealed, 's3cret', 'plan-2')).toThrow(/secret differs from shard 0's/);
  });

  it('carries every kind of masked value', async () => {
    const values: Value[] = ['text', 42.5, 12345678901234567890n, true, Buffer.from([0, 255, 7]), null];
    const unique = new UniqueColumn(coarse(), wide, 't.c');
    const table = (unique as unknown as { repairs: Map<string, Value> }).repairs;
    for (const [i, v] of values.entries()) table.set(`k${i}`, v);
    const copy = new UniqueColumn(coarse(), wide, 't.c');
    const sealed = sealRepairs(exportRepairs(new Map([['c', unique]])), 'k', 'p');
    importRepairs(new Map([['c', copy]]), openRepairs(sealed, 'k', 'p'));
    expect([...(copy as unknown as { repairs: Map<string, Value> }).repairs.values()]).toEqual(values);
  });

  it('refuses repairs of a column this shard does not plan', () => {
    expect(() => importRepairs(new Map(), { 'public.other\u0000c': [['a', 'b']] })).toThrow(/does not plan/);
  });
});
