import { describe, expect, it } from 'vitest';
import type { SnapshotReader } from '../dialects/dialect.ts';
import type { ColumnInfo, TableInfo } from '../dialects/schema.ts';
import { testColumn } from '../transformers/test-context.ts';
import type { TablePlan } from './plan.ts';
import { planWorkUnits } from './work-units.ts';

/** A NOT NULL column of `category`, typed as its category. */
const column = (name: string, category: ColumnInfo['category']): ColumnInfo =>
  testColumn({ name, dataType: category, category, nullable: false });

const table = (
  name: string,
  estimatedRows: number,
  primaryKey = ['id'],
  category: ColumnInfo['category'] = 'integer',
): TablePlan => {
  const info: TableInfo = {
    name,
    table: name,
    columns: [column('id', category), column('k', 'integer')],
    primaryKey,
    uniqueKeys: [],
    foreignKeys: [],
    estimatedRows,
  };
  return { source: info, target: info, skip: false, columns: info.columns.map((c) => ({ name: c.name })) };
};

// Only the key bounds are asked of the reader here; reading rows is the integration tests' part.
const reader = (min: bigint, max: bigint): SnapshotReader => ({
  read: () => {
    throw new Error('not read');
  },
  keyBounds: async () => ({ min, max }),
  close: async () => {},
});

describe('planWorkUnits', () => {
  it('splits a big table into contiguous key ranges, open at both ends', async () => {
    const units = await planWorkUnits([table('big', 10_000)], reader(101n, 1100n), true, 2_500);
    expect(units.map((u) => [u.part?.index, u.part?.count])).toEqual([
      [0, 4],
      [1, 4],
      [2, 4],
      [3, 4],
    ]);
    expect(units.map((u) => u.part?.range)).toEqual([
      { column: 'id', to: 351n },
      { column: 'id', from: 351n, to: 601n },
      { column: 'id', from: 601n, to: 851n },
      { column: 'id', from: 851n },
    ]);
  });

  it('keeps a table whole when not splitting, when it is small, or without one integer key', async () => {
    const whole = async (plan: TablePlan, split = true) =>
      (await planWorkUnits([plan], reader(1n, 1_000_000n), split, 1_000)).length;
    expect(await whole(table('big', 100_000), false)).toBe(1);
    expect(await whole(table('small', 2_000))).toBe(1);
    expect(await whole(table('composite', 100_000, ['id', 'k']))).toBe(1);
    expect(await whole(table('texty', 100_000, ['id'], 'text'))).toBe(1);
    expect(await whole(table('big', 100_000))).toBe(100);
  });

  it('keeps a table whole when the source cannot tell key bounds (no rows)', async () => {
    const empty: SnapshotReader = {
      read: () => {
        throw new Error('not read');
      },
      keyBounds: async () => null,
      close: async () => {},
    };
    expect(await planWorkUnits([table('big', 100_000)], empty, true, 1_000)).toEqual([{ table: expect.anything() }]);
  });
});
