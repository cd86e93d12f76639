import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { Batch, Value } from '../dialects/dialect.ts';
import { createKeyedHash } from '../transformers/keyed-hash.ts';
import { UniqueColumn } from './unique-column.ts';

/** A deliberately poor transform: 40 possible outputs, so distinct inputs collide often. */
const coarse = (domain: string) => {
  const keyed = createKeyedHash('secret', domain);
  return (value: Value) => (value === null ? null : `user${keyed.digest(value).readUInt32BE(0) % 40}@example.com`);
};
/** Variants draw from a wide space, as real transformers do. */
const wide = (attempt: number) => {
  const keyed = createKeyedHash('secret', `coarse#${attempt}`);
  return (value: Value) => (value === null ? null : `u${keyed.digest(value).toString('hex', 0, 6)}@example.com`);
};

async function mask(values: Value[], batchSize = 7, runLength?: number): Promise<Value[]> {
  const unique = new UniqueColumn(coarse('coarse'), wide, 't.c');
  const rows = values.map((v) => [v]);
  async function* scan(): AsyncIterable<Batch> {
    for (let i = 0; i < rows.length; i += batchSize) yield rows.slice(i, i + batchSize);
  }
  await unique.prepare(scan, 0, runLength);
  return values.map((v) => unique.transform(v, [v]));
}

describe('UniqueColumn', () => {
  it('gives distinct outputs for distinct inputs, whatever the row order', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.uniqueArray(fc.string({ minLength: 1 }), { minLength: 2, maxLength: 200 }),
        fc.integer({ min: 1, max: 50 }),
        async (inputs, batch) => {
          const out = await mask(inputs, batch);
          expect(new Set(out).size).toBe(inputs.length);
          const reversed = await mask([...inputs].reverse(), batch);
          expect(reversed.reverse()).toEqual(out);
          // The same outputs when the fingerprints spill to the file in runs of 3.
          expect(await mask(inputs, batch, 3)).toEqual(out);
        },
      ),
      { numRuns: 40 },
    );
  });

  it('keeps NULLs and repeated inputs as they are: same input, same output', async () => {
    const out = await mask(['a', null, 'a', 'b', null]);
    expect(out[1]).toBeNull();
    expect(out[0]).toBe(out[2]);
    expect(out[3]).not.toBe(out[0]);
  });

  it('repairs case-only differences too (MySQL collations compare without case)', async () => {
    const upper = new UniqueColumn(
      (v) => (v === 'x' ? 'A@b.c' : 'a@b.c'),
      (k) => () => `v${k}@b.c`,
      't.c',
    );
    await upper.prepare(async function* () {
      yield [['x'], ['y']];
    }, 0);
    expect(
      new Set([upper.transform('x', ['x']), upper.transform('y', ['y'])].map((s) => String(s).toLowerCase())).size,
    ).toBe(2);
  });

  it('refuses a transformer that cannot vary, naming the column', async () => {
    const constant = new UniqueColumn(
      () => 'same',
      () => () => 'same',
      'public.t.code (rule at r.yaml:3:7)',
    );
    await expect(
      constant.prepare(async function* () {
        yield [['1'], ['2']];
      }, 0),
    ).rejects.toThrow('public.t.code (rule at r.yaml:3:7): must be unique');
  });
});

describe('UniqueColumn with the other columns of its composite key', () => {
  it('repairs only where the whole key would repeat, whatever the row order', async () => {
    // 400 rows: 40 possible outputs, 10 values of the kept column: tuples collide far less.
    const rows = Array.from({ length: 400 }, (_, i) => [`v${i}`, `k${i % 10}`]);
    const run = async (ordered: Value[][]) => {
      const unique = new UniqueColumn(coarse('coarse'), wide, 't.c');
      unique.uniqueWith([1]);
      const report = await unique.prepare(async function* () {
        yield ordered;
      }, 0);
      return { report, out: rows.map((row) => unique.transform(row[0]!, row)) };
    };
    const { report, out } = await run(rows);
    const tuples = rows.map((row, i) => `${out[i]}|${row[1]}`);
    expect(new Set(tuples).size).toBe(400);
    // Alone the column would need 360 repairs; as a tuple, at most 400 - 40 * 10.
    expect(new Set(out).size).toBeLessThan(400);
    expect(report.repaired).toBeLessThan(360);
    expect(report.repaired).toBe(out.filter((o) => !String(o).startsWith('user')).length);
    expect((await run([...rows].reverse())).out).toEqual(out);
  });
});
