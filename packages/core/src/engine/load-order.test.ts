import { describe, expect, it } from 'vitest';
import type { TableInfo } from '../dialects/schema.ts';
import { loadOrder } from './load-order.ts';

/** A table with keys to `parents` (each `parent` or `parent.column`), optionally a partition of `of`. */
function table(name: string, parents: string[] = [], of?: string): TableInfo {
  const info: TableInfo = {
    name,
    table: name,
    columns: [],
    primaryKey: ['id'],
    uniqueKeys: [],
    foreignKeys: parents.map((parent) => ({
      name: `${name}_${parent}_fkey`,
      table: name,
      columns: [`${parent}_id`],
      referencedTable: parent,
      referencedColumns: ['id'],
    })),
  };
  if (of) info.partitionOf = of;
  return info;
}

const names = (tables: TableInfo[]): string[] => tables.map((t) => t.name);

describe('loadOrder', () => {
  it('puts parents before children, whatever order they come in', () => {
    const order = loadOrder(
      [table('rental', ['customer']), table('customer', ['address']), table('address')],
      (n) => n,
    );
    expect(names(order)).toEqual(['address', 'customer', 'rental']);
  });

  it("orders a partitioned table after the parents of its partitions' keys (Pagila's payment)", () => {
    // payment declares no key itself; each partition references rental and customer.
    const payment = table('payment');
    const partitions = [
      table('payment_p1', ['rental', 'customer'], 'payment'),
      table('payment_p2', ['rental'], 'payment'),
    ];
    const roots = [payment, table('rental', ['customer']), table('customer')];
    const rootOf = (n: string): string => partitions.find((p) => p.name === n)?.partitionOf ?? n;
    // Without the partitions, nothing holds payment back: it stays first.
    expect(names(loadOrder(roots, rootOf))).toEqual(['payment', 'customer', 'rental']);
    expect(names(loadOrder(roots, rootOf, [...roots, ...partitions]))).toEqual(['customer', 'rental', 'payment']);
  });

  it('keeps partitions given among the tables right after their root', () => {
    const tables = [table('payment_p1', ['rental'], 'payment'), table('payment'), table('rental')];
    const rootOf = (n: string): string => (n === 'payment_p1' ? 'payment' : n);
    expect(names(loadOrder(tables, rootOf))).toEqual(['rental', 'payment_p1', 'payment']);
  });

  it('breaks a cycle at its back edge and ignores self-references and tables not given', () => {
    const order = loadOrder(
      [table('store', ['staff', 'address']), table('staff', ['store', 'staff']), table('address', ['city'])],
      (n) => n,
    );
    expect(names(order)).toEqual(['staff', 'address', 'store']);
  });
});
