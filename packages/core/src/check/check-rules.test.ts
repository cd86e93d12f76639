import { describe, expect, it } from 'vitest';
import { parseRules } from '../config/load-rules.ts';
import type { ColumnInfo, DatabaseSchema, TableInfo, TypeCategory } from '../dialects/schema.ts';
import { formatProblem } from '../errors.ts';
import { checkRules } from './check-rules.ts';

const col = (name: string, category: TypeCategory, extra: Partial<ColumnInfo> = {}): ColumnInfo => ({
  name,
  category,
  dataType: extra.dataType ?? category,
  nullable: true,
  generated: false,
  identity: false,
  ...extra,
});
const table = (name: string, columns: ColumnInfo[], extra: Partial<TableInfo> = {}): TableInfo => ({
  name,
  table: name,
  columns,
  primaryKey: [columns[0]!.name],
  uniqueKeys: [],
  foreignKeys: [],
  ...extra,
});

/** A shop: customers, their orders (a foreign key to customer), and a status enum. */
function shop(): DatabaseSchema {
  return {
    tables: [
      table('customer', [
        col('id', 'integer'),
        col('email', 'text'),
        col('city', 'text'),
        col('age', 'integer'),
        col('born', 'date', { nullable: false }),
      ]),
      table(
        'orders',
        [
          col('id', 'integer'),
          col('customer_id', 'integer'),
          col('status', 'enum', { dataType: 'order_status', enumValues: ['new', 'paid'] }),
          col('ip', 'other', { dataType: 'inet' }),
        ],
        {
          foreignKeys: [
            {
              name: 'orders_customer',
              table: 'orders',
              columns: ['customer_id'],
              referencedTable: 'customer',
              referencedColumns: ['id'],
            },
          ],
        },
      ),
    ],
  };
}

const rules = (body: string, head = 'secret: s\n') => parseRules(`${head}tables:\n${body}`, 'rules.yaml', {});
const lines = (report: ReturnType<typeof checkRules>) => report.problems.map(formatProblem);

describe('checkRules', () => {
  it('passes complete rules with no problem at all', () => {
    const report = checkRules(
      rules(`
  customer:
    columns:
      id: keep
      email: email
      city: location.city
      age: { transform: noise, percent: 5 }
      born: { transform: dateShift, days: 9 }
  orders: { columns: { id: keep, customer_id: keep, status: keep, ip: null } }
`),
      shop(),
      shop(),
    );
    expect(report.configErrors).toEqual([]);
    expect(lines(report)).toEqual([]);
    expect([report.tables, report.columns]).toEqual([2, 9]);
  });

  it("reports every problem at once, each with table.column and the rule's place", () => {
    const report = checkRules(
      rules(`
  customer:
    columns:
      id: keep
      emial: email
      city: keep
      age: person.firstName
      born: null
  orders: { columns: { id: keep, customer_id: keep, status: company.name, ip: keep } }
`),
      shop(),
      shop(),
    );
    expect(lines(report)).toEqual([
      'error: customer.email: no rule names this column (strict) (rules.yaml:4:3)',
      'error: customer.emial: no such column (did you mean email?) (rules.yaml:7:7)',
      'warning: customer.city: kept, but its name suggests a city (rules.yaml:8:7)',
      'error: customer.age: person.firstName writes values that an integer column cannot hold (rules.yaml:9:7)',
      'error: customer.born: null: cannot write NULL into a NOT NULL column (rules.yaml:10:7)',
      'error: orders.status: company.name writes values that an order_status (not one of its members) column ' +
        'cannot hold (rules.yaml:11:53)',
      'warning: orders.ip: kept, but its type inet holds network addresses (rules.yaml:11:75)',
    ]);
  });

  it('tries both sides of a when: rule', () => {
    const age = '{ transform: keep, when: "age > 17", otherwise: person.firstName }';
    const report = checkRules(
      rules(`
  customer: { columns: { id: keep, email: email, city: keep, born: keep, age: ${age} } }
  orders: skip
`),
      shop(),
      shop(),
    );
    expect(lines(report).filter((l) => l.startsWith('error'))).toEqual([
      'error: customer.age: its otherwise rule writes values that an integer column cannot hold (rules.yaml:4:74)',
    ]);
  });

  it("says which key's rule a foreign key takes when its own rule differs", () => {
    const born = '{ transform: dateShift, days: 9 }';
    const report = checkRules(
      rules(`
  customer: { columns: { id: scramble, email: email, city: location.city, age: keep, born: ${born} } }
  orders: { columns: { id: keep, customer_id: keep, status: keep, ip: null } }
`),
      shop(),
      shop(),
    );
    expect(lines(report)).toContain(
      'warning: orders.customer_id: references the masked key customer.id, ' +
        "so it is masked with that key's rule (scramble), not its own (keep) (rules.yaml:5:34)",
    );
    const same = checkRules(
      rules(`
  customer: { columns: { id: scramble, email: email, city: location.city, age: keep, born: ${born} } }
  orders: { columns: { id: keep, customer_id: scramble, status: keep, ip: null } }
`),
      shop(),
      shop(),
    );
    expect(lines(same).filter((l) => l.includes('references'))).toEqual([]);
  });

  it('warns on columns no rule names when not strict (schema drift), louder when they look personal', () => {
    const report = checkRules(
      rules(
        '  customer: { columns: { id: keep, age: keep, born: { transform: dateShift, days: 9 } } }\n  orders: skip\n',
        'secret: s\nstrict: false\n',
      ),
      shop(),
      shop(),
    );
    expect(lines(report)).toEqual([
      'warning: customer.email: no rule: copied unchanged (rules.yaml:4:3)',
      'warning: customer.city: no rule: copied unchanged (rules.yaml:4:3)',
      'warning: customer.email: copied unchanged (no rule), but its name suggests an email address (rules.yaml:4:3)',
      'warning: customer.city: copied unchanged (no rule), but its name suggests a city (rules.yaml:4:3)',
    ]);
  });

  it('finds what the target lacks and types that differ, and says when there is no secret', () => {
    const target = shop();
    target.tables[0]!.columns = target.tables[0]!.columns.filter((c) => c.name !== 'city');
    target.tables[0]!.columns.find((c) => c.name === 'age')!.category = 'text';
    target.tables[0]!.columns.find((c) => c.name === 'age')!.dataType = 'varchar(3)';
    const report = checkRules(
      rules(
        '  customer: { columns: { id: keep, email: email, city: location.city, age: keep, born: keep } }\n' +
          '  orders: skip\n',
        '',
      ),
      shop(),
      target,
    );
    expect(lines(report)).toEqual([
      'error: customer.city: column missing in the target (rules.yaml:2:50)',
      'warning: customer.age: the source has integer, the target varchar(3) (rules.yaml:2:71)',
      'warning: customer.born: kept, but its name suggests a date of birth (rules.yaml:2:82)',
      'warning: secret: no secret: masked values are random and differ between runs',
    ]);
  });

  it('returns config errors separately (exit 2), with the schema problems still listed', () => {
    const report = checkRules(
      rules('  customer: { columns: { id: keep, email: emial, city: keep, age: keep, born: keep } }\n  orders: skip\n'),
      shop(),
      shop(),
    );
    expect(report.configErrors).toEqual(['rules.yaml:3:36: unknown transformer "emial" (did you mean email?)']);
    expect(lines(report)).toContain('warning: customer.city: kept, but its name suggests a city (rules.yaml:3:50)');
  });
});
