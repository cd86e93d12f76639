import { describe, expect, it } from 'vitest';
import { parseRules } from '../../config/load-rules.ts';
import type { ColumnInfo, DatabaseSchema, TableInfo } from '../../dialects/schema.ts';
import { ConfigError, formatProblem } from '../../errors.ts';
import { draftPlan } from '../plan.ts';
import { withRelations } from './relations.ts';

const col = (name: string): ColumnInfo => ({
  name,
  dataType: 'varchar(12)',
  category: 'text',
  maxLength: 12,
  nullable: false,
  generated: false,
  identity: false,
});
const table = (name: string, columns: string[], schema?: string): TableInfo => ({
  name: schema ? `${schema}.${name}` : name,
  table: name,
  ...(schema && { schema }),
  columns: columns.map(col),
  primaryKey: [columns[0]!],
  uniqueKeys: [],
  foreignKeys: [],
});
/** `a_orders.customer_ref` holds customer codes, and no key says so; it sorts before `customer`. */
const shop: DatabaseSchema = {
  tables: [table('a_orders', ['id', 'customer_ref']), table('customer', ['code', 'name'])],
};
const rules = (
  extra: string,
  tables = 'customer: { columns: { code: scramble, name: keep } }\n  a_orders: { columns: { id: keep } }',
) => parseRules(`secret: s\ntables:\n  ${tables}\n${extra}`, 'rules.yaml', {});
const relation = 'relations:\n  - { from: "a_orders(customer_ref)", to: "customer(code)" }\n';

describe('relations:', () => {
  it('count as a declared key: load order, masked keys followed, no rule needed under strict', () => {
    const without = draftPlan(rules(''), shop, shop);
    expect(without.plan.tables.map((t) => t.source.name)).toEqual(['a_orders', 'customer']);
    expect(without.problems.map(formatProblem)).toContain(
      'error: a_orders.customer_ref: no rule names this column (strict) (rules.yaml:4:3)',
    );
    const draft = draftPlan(rules(relation), shop, shop);
    expect(draft.problems).toEqual([]);
    expect(draft.plan.tables.map((t) => t.source.name)).toEqual(['customer', 'a_orders']);
    const [customer, orders] = draft.plan.tables;
    const ref = orders!.columns.find((c) => c.name === 'customer_ref')!;
    expect(ref.transform).toBe(customer!.columns.find((c) => c.name === 'code')!.transform);
    expect(draft.propagated.has(ref)).toBe(true);
    expect(draft.plan.keys).toEqual([
      {
        name: 'relation a_orders(customer_ref) → customer(code)',
        table: 'a_orders',
        columns: ['customer_ref'],
        referencedTable: 'customer',
        referencedColumns: ['code'],
      },
    ]);
  });

  it('leave the schema given as it was', () => {
    const before = JSON.stringify(shop);
    const { schema } = withRelations(shop, rules(relation).relations);
    expect(schema.tables[0]!.foreignKeys).toHaveLength(1);
    expect(JSON.stringify(shop)).toBe(before);
  });

  it('name an unknown table or column at the place it is written, with the closest name', () => {
    const wrong = 'relations:\n  - { from: "a_order(customer_ref)", to: "customer(cod)" }\n';
    const draft = draftPlan(rules(wrong), shop, shop);
    expect(draft.problems.filter((p) => p.message.startsWith('relation')).map(formatProblem)).toEqual([
      'error: a_order: relation: no such table in the source (did you mean a_orders?) (rules.yaml:6:13)',
      'error: customer.cod: relation: no such column (did you mean code?) (rules.yaml:6:42)',
    ]);
  });

  it('ask for a schema when a bare name names tables of several', () => {
    const twice: DatabaseSchema = {
      tables: [table('customer', ['code'], 'a'), table('customer', ['code'], 'b'), table('orders', ['id', 'ref'], 'a')],
    };
    const { problems } = withRelations(
      twice,
      rules('relations:\n  - { from: "a.orders(ref)", to: "customer(code)" }\n', 'x: skip').relations,
    );
    expect(problems.map(formatProblem)).toEqual([
      'error: customer: relation: names 2 tables (a.customer, b.customer); ' +
        'qualify it with its schema (rules.yaml:5:34)',
    ]);
  });
});

describe('relations: and subset: as written', () => {
  const errorOf = (extra: string): string => {
    try {
      rules(extra);
    } catch (error) {
      if (error instanceof ConfigError) return error.message;
      throw error;
    }
    throw new Error('expected a ConfigError');
  };

  it('read quoted names with parentheses, dots and commas in them, and composite keys', () => {
    const read = rules('relations:\n  - { from: \'"odd(t)".line("order, id", n)\', to: "public.orders(id, n)" }\n')
      .relations![0]!;
    expect([read.from.table, read.from.columns, read.to.table, read.to.columns]).toEqual([
      '"odd(t)".line',
      ['order, id', 'n'],
      'public.orders',
      ['id', 'n'],
    ]);
  });

  it('refuse what cannot be read as a key, a pattern, and sides of different widths, each at its place', () => {
    expect(errorOf('relations:\n  - { from: "orders.customer_ref", to: "customer(code)" }\n')).toBe(
      "rules.yaml:6:13: cannot read 'orders.customer_ref' as a key: write table(column) or table(a, b), " +
        'e.g. public.orders(customer_ref)',
    );
    expect(errorOf('relations:\n  - { from: "order*(ref)", to: "customer(code)" }\n')).toBe(
      "rules.yaml:6:13: 'order*(ref)': a relation names one table, not a pattern (quote a name holding * or ?)",
    );
    expect(errorOf('relations:\n  - { from: "orders(a, b)", to: "customer(code)" }\n')).toBe(
      'rules.yaml:6:5: relation orders(a, b) → customer(code): 2 column(s) reference 1; ' +
        'give both sides the same number, in matching order',
    );
  });

  it('check the subset section: known keys, a share in (0, 100], a whole limit', () => {
    expect(errorOf('subset:\n  roots:\n    customer: { precent: 5 }\n')).toBe(
      'rules.yaml:7:17: subset.roots.customer: unknown key "precent"; did you mean "percent"?',
    );
    expect(errorOf('subset:\n  roots:\n    customer: { percent: 150 }\n')).toContain(
      'rules.yaml:7:26: subset.roots.customer.percent:',
    );
    expect(errorOf('subset:\n  roots:\n    customer: { limit: 2.5 }\n')).toContain('subset.roots.customer.limit:');
    expect(errorOf('subset:\n  roots: {}\n  others: some\n')).toBe(
      'rules.yaml:7:11: subset.others: expected "all" or "none"',
    );
    const parsed = rules('subset:\n  roots:\n    customer: { where: "code > \'C1\'", limit: 10 }\n').subset!;
    expect(parsed).toMatchObject({ children: 'all', others: 'all' });
    expect(parsed.roots).toEqual([
      {
        pattern: 'customer',
        where: "code > 'C1'",
        limit: 10,
        place: { file: 'rules.yaml', line: 7, column: 5 },
        wherePlace: { file: 'rules.yaml', line: 7, column: 24 },
      },
    ]);
  });
});
