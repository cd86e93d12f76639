import { describe, expect, it } from 'vitest';
import { parseRules } from '../../config/load-rules.ts';
import type { ColumnInfo, DatabaseSchema, ForeignKey, TableInfo } from '../../dialects/schema.ts';
import { formatProblem } from '../../errors.ts';
import { draftPlan } from '../plan.ts';
import { subsetGraph } from './subset-graph.ts';

const col = (name: string, nullable = true): ColumnInfo => ({
  name,
  dataType: 'integer',
  category: 'integer',
  nullable,
  generated: false,
  identity: false,
});
const fk = (table: string, column: string, parent: string): ForeignKey => ({
  name: `${table}_${column}`,
  table,
  columns: [column],
  referencedTable: parent,
  referencedColumns: ['id'],
});
const table = (
  name: string,
  columns: string[],
  keys: ForeignKey[] = [],
  extra: Partial<TableInfo> = {},
): TableInfo => ({
  name,
  table: name,
  columns: columns.map((c) => col(c, c !== 'id' && c !== 'at' && !(name === 'log' && c === 'customer_id'))),
  primaryKey: ['id'],
  uniqueKeys: [],
  foreignKeys: keys,
  ...extra,
});

/** A shop: customers in stores, their orders and the orders' lines of products; a log without a key. */
const shop: DatabaseSchema = {
  tables: [
    table('store', ['id', 'manager_id'], [fk('store', 'manager_id', 'staff')]),
    table('staff', ['id', 'store_id'], [fk('staff', 'store_id', 'store')]),
    table(
      'customer',
      ['id', 'store_id', 'referrer_id'],
      [fk('customer', 'store_id', 'store'), fk('customer', 'referrer_id', 'customer')],
    ),
    table('orders', ['id', 'customer_id'], [fk('orders', 'customer_id', 'customer')]),
    table(
      'line',
      ['id', 'order_id', 'product_id'],
      [fk('line', 'order_id', 'orders'), fk('line', 'product_id', 'product')],
    ),
    table('product', ['id']),
    table('review', ['id', 'product_id'], [fk('review', 'product_id', 'product')]),
    // No primary key, but a unique key of NOT NULL columns tells its rows apart.
    table('log', ['at', 'customer_id'], [fk('log', 'customer_id', 'customer')], {
      primaryKey: [],
      uniqueKeys: [['customer_id', 'at']],
    }),
    table('setting', ['name'], [], { primaryKey: [] }),
  ],
};

const rulesOf = (subset: string) => parseRules(`secret: s\nstrict: false\ntables: {}\n${subset}`, 'rules.yaml', {});

function graphOf(subset: string) {
  const rules = rulesOf(subset);
  const { plan } = draftPlan(rules, shop, shop);
  return subsetGraph(plan.tables, plan.keys, rules.subset!);
}
const roles = (graph: ReturnType<typeof graphOf>) =>
  Object.fromEntries([...graph.tables].map(([name, t]) => [name, `${t.role} ${t.mode}`]));

describe('subsetGraph', () => {
  it('makes roots, their children down every key, and the rest others, copied whole', () => {
    const graph = graphOf('subset:\n  roots:\n    customer: { percent: 10 }\n  others: all\n');
    expect(graph.problems).toEqual([]);
    expect(roles(graph)).toEqual({
      store: 'other whole',
      staff: 'other whole',
      customer: 'root keyed',
      orders: 'child keyed',
      line: 'child keyed',
      product: 'other whole',
      review: 'other whole',
      log: 'child keyed',
      setting: 'other whole',
    });
    const line = graph.tables.get('line')!;
    expect(line.identity).toEqual(['id']);
    expect(line.link).toEqual(['id', 'order_id', 'product_id']);
    expect(line.parents.map((k) => k.parent.plan.source.name)).toEqual(['orders', 'product']);
    expect(graph.tables.get('log')!.identity).toEqual(['customer_id', 'at']);
  });

  it('with children: none, only the roots are followed, and others: none keeps the rest by key', () => {
    const graph = graphOf('subset:\n  roots:\n    customer: {}\n  children: none\n  others: none\n');
    expect(roles(graph).orders).toBe('other keyed');
    expect(roles(graph).product).toBe('other keyed');
    // Nothing references `setting`: it can hold no kept row, and needs no key to tell its rows apart.
    expect(graph.tables.get('setting')!.identity).toEqual([]);
  });

  it('refuses a table it must keep some rows of without a key to tell them apart, and unknown roots', () => {
    const graph = graphOf('subset:\n  roots:\n    customer: {}\n    custmer: {}\n    "*": {}\n');
    expect(graph.problems.map(formatProblem)).toEqual([
      'error: custmer: subset root: no such table among those the run copies (did you mean customer?) (rules.yaml:7:5)',
      "error: customer: subset root: also named by 'customer'; give each table one root (rules.yaml:8:5)",
      'error: setting: the subset keeps some of its rows, but it has no primary key nor a unique key of NOT NULL ' +
        'columns to tell them apart: give it one (rules.yaml:8:5)',
    ]);
  });

  it('reports its problems with the plan, so check and run both refuse before reading a row', () => {
    const rules = rulesOf('subset:\n  roots:\n    nobody: { limit: 5 }\n');
    const draft = draftPlan(rules, shop, shop);
    expect(draft.problems.filter((p) => p.severity === 'error').map(formatProblem)).toEqual([
      'error: nobody: subset root: no such table among those the run copies (rules.yaml:6:5)',
    ]);
  });
});
