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

describe('UniqueColumn prepared while its table copies', () => {
  /** Rows [id, value]: the copy masks them in order, recording; then the repairs and the rows to patch. */
  async function copy(rows: [number, Value][], batchSize = 7) {
    const unique = new UniqueColumn(coarse('coarse'), wide, 't.c');
    unique.record();
    const written = rows.map((row) => [row[0], unique.transform(row[1], row)]);
    async function* scan(): AsyncIterable<Batch> {
      for (let i = 0; i < rows.length; i += batchSize) yield rows.slice(i, i + batchSize);
    }
    const { report, rows: patches } = await unique.recorded(scan, 1, [0]);
    return { unique, report, written, patches };
  }

  it('ends with the outputs a scan first gives: the written rows, patched, are the scanned column', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.oneof(fc.string({ minLength: 1, maxLength: 6 }), fc.constant(null)), {
          minLength: 2,
          maxLength: 150,
        }),
        fc.integer({ min: 1, max: 40 }),
        async (values, batch) => {
          const rows = values.map((v, i): [number, Value] => [i + 1, v]);
          const { unique, report, written, patches } = await copy(rows, batch);
          const scanned = await mask(values, batch);
          const byId = new Map(written.map(([id, out]) => [id, out]));
          for (const [id, repaired] of patches) byId.set(id as number, repaired!);
          expect(rows.map(([id]) => byId.get(id))).toEqual(scanned);
          // Repeated inputs: every row of a repaired input is patched, and only those.
          expect(patches.length).toBe(
            rows.filter(([id, v]) => byId.get(id) !== written[id - 1]![1] && v !== null).length,
          );
          expect(report.values).toBe(values.filter((v) => v !== null).length);
          // Once recorded, the transform gives the repaired outputs itself (a later table, verify).
          expect(rows.map(([id, v]) => unique.transform(v, [id, v]))).toEqual(scanned);
        },
      ),
      { numRuns: 40 },
    );
  });

  it('refuses to end a recording it never began, naming the column', async () => {
    const unique = new UniqueColumn(coarse('coarse'), wide, 'public.t.email');
    await expect(unique.recorded(async function* () {}, 1, [0])).rejects.toThrow(
      'public.t.email: no copy was recorded',
    );
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
