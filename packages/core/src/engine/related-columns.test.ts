import { describe, expect, it } from 'vitest';
import { parseRules } from '../config/load-rules.ts';
import type { Batch, Row } from '../dialects/dialect.ts';
import type { ColumnInfo, DatabaseSchema, TableInfo } from '../dialects/schema.ts';
import { CheckError, ConfigError } from '../errors.ts';
import { createBatchMasker } from './mask-batch.ts';
import { planRun } from './plan.ts';
import { UniquePreparation } from './prepare-unique.ts';

/** Rules over one table `people`, masked without a database: the engine's plan and masking step. */

const text = (name: string, maxLength?: number): ColumnInfo => ({
  name,
  dataType: 'text',
  category: 'text',
  nullable: true,
  generated: false,
  identity: false,
  ...(maxLength && { maxLength }),
});
const columns = ['id', 'first_name', 'last_name', 'email', 'login', 'city', 'state', 'zip', 'country'];
const people: TableInfo = {
  name: 'people',
  table: 'people',
  columns: columns.map((c) => text(c)),
  primaryKey: ['id'],
  uniqueKeys: [],
  foreignKeys: [],
};
const schema: DatabaseSchema = { tables: [people] };
const source = { readsTrue: (v: unknown) => v === 1 };

function plan(columnRules: string, secret = 'secret-one') {
  const yaml = `secret: ${secret}\nlocale: en\ntables:\n  people:\n    columns:\n${columnRules}`;
  return planRun(parseRules(yaml, 'rules.yaml', {}), schema, schema);
}

const KEEP_REST = (except: string[]) =>
  columns
    .filter((c) => !except.includes(c))
    .map((c) => `      ${c}: keep\n`)
    .join('');

const rows = (): Batch =>
  Array.from({ length: 200 }, (_, i) => [
    String(i),
    `First${i % 37}`,
    `Last${i % 53}`,
    `p${i}@corp.example`,
    `login${i}`,
    `City${i % 40}`,
    'BE',
    '10117',
    'DE',
  ]);

describe('{{masked.COLUMN}}', () => {
  const rules =
    '      email:\n' +
    '        transform: template\n' +
    '        template: "{{masked.first_name | lower}}.{{masked.last_name | slug}}@example.com"\n' +
    '      first_name: person.firstName\n' +
    '      last_name: person.lastName\n' +
    KEEP_REST(['email', 'first_name', 'last_name']);

  it('reads the masked names of the same row, whatever the order of the rules and columns', () => {
    const table = plan(rules).tables[0]!;
    // email comes after the names it reads.
    expect(table.maskOrder!.indexOf(3)).toBeGreaterThan(table.maskOrder!.indexOf(1));
    expect(table.maskOrder!.indexOf(3)).toBeGreaterThan(table.maskOrder!.indexOf(2));
    const out = createBatchMasker(table, source)(rows());
    for (const row of out) {
      const [first, last] = [String(row[1]), String(row[2])];
      expect(first).not.toMatch(/^First/);
      const slugged = last
        .normalize('NFKD')
        .toLowerCase()
        .replace(/[^a-z0-9]/g, '');
      expect(row[3]).toBe(`${first.toLowerCase()}.${slugged}@example.com`);
    }
  });

  it('reads a kept column as its source value, and {{row.…}} stays the source', () => {
    const table = plan(
      '      email: { transform: template, template: "{{masked.login}}+{{row.first_name | upper}}@x.org" }\n' +
        '      first_name: person.firstName\n' +
        KEEP_REST(['email', 'first_name']),
    ).tables[0]!;
    const out = createBatchMasker(table, source)(rows());
    expect(out[5]![3]).toBe('login5+FIRST5@x.org');
  });

  it('is deterministic: same secret, same output; another secret, another', () => {
    const a = createBatchMasker(plan(rules).tables[0]!, source)(rows());
    const b = createBatchMasker(plan(rules).tables[0]!, source)(rows());
    const c = createBatchMasker(plan(rules, 'secret-two').tables[0]!, source)(rows());
    expect(b).toEqual(a);
    const same = a.filter((row, i) => row[3] === c[i]![3]).length;
    expect(same).toBeLessThan(5);
  });

  it('names the columns of a cycle, at the first one’s rule, as a config error', () => {
    const cycle =
      '      first_name: { transform: template, template: "{{masked.email}}" }\n' +
      '      email: { transform: template, template: "{{masked.login}}" }\n' +
      '      login: { transform: template, template: "{{masked.first_name}}x" }\n' +
      KEEP_REST(['email', 'first_name', 'login']);
    expect(() => plan(cycle)).toThrow(ConfigError);
    expect(() => plan(cycle)).toThrow(
      /rules\.yaml:\d+:\d+: people: first_name → email → login → first_name read each other's masked values/,
    );
    const self = `      email: { transform: template, template: "{{masked.email}}!" }\n${KEEP_REST(['email'])}`;
    expect(() => plan(self)).toThrow(/rules\.yaml:6:7: people: email reads its own masked value/);
  });

  it('refuses an unknown column and an unknown filter before any row', () => {
    const unknown = `      email: { transform: template, template: "{{masked.nope}}" }\n${KEEP_REST(['email'])}`;
    expect(() => plan(unknown)).toThrow(CheckError);
    expect(() => plan(unknown)).toThrow('unknown column "nope" in {{masked.nope}}');
    const filter = `      email: { transform: template, template: "{{masked.login | lowr}}" }\n${KEEP_REST(['email'])}`;
    expect(() => plan(filter)).toThrow('unknown filter "lowr" in {{masked.login | lowr}} (did you mean lower?)');
  });

  it('keeps a unique column unique: a collision gets a numbered variant after the last placeholder', async () => {
    // Last names from 53 source values give ~50 masked ones: 200 emails must collide.
    const unique =
      '      email: { transform: template, template: "{{masked.last_name | slug}}@example.com", unique: true }\n' +
      '      last_name: person.lastName\n' +
      KEEP_REST(['email', 'last_name']);
    const table = plan(unique);
    const tablePlan = table.tables[0]!;
    const prepared = new UniquePreparation(table, source);
    const reader = {
      async *read() {
        yield rows();
      },
    };
    await prepared.all(reader as never);
    const out = createBatchMasker(tablePlan, source)(rows());
    const emails = out.map((row) => String(row[3]));
    expect(new Set(emails).size).toBe(200);
    let numbered = 0;
    for (const row of out) {
      const last = String(row[2])
        .normalize('NFKD')
        .toLowerCase()
        .replace(/[^a-z0-9]/g, '');
      const match = new RegExp(`^${last}(\\d*)@example\\.com$`).exec(String(row[3]));
      expect(match, String(row[3])).not.toBeNull();
      if (match![1]) numbered++;
    }
    expect(numbered).toBeGreaterThan(100);
  });
});

describe('dateShift by', () => {
  it('moves the dates of a row alike, and refuses an unknown column', () => {
    const dates: TableInfo = {
      ...people,
      name: 'rental',
      table: 'rental',
      columns: [text('id'), { ...text('out'), category: 'date' }, { ...text('back'), category: 'date' }],
    };
    const db = { tables: [dates] };
    const yaml = (by: string) =>
      `secret: s\ntables:\n  rental:\n    columns:\n      id: keep\n` +
      `      out: { transform: dateShift, days: 30, by: ${by} }\n` +
      `      back: { transform: dateShift, days: 30, by: ${by} }\n`;
    const table = planRun(parseRules(yaml('id'), 'r.yaml', {}), db, db).tables[0]!;
    const batch: Row[] = Array.from({ length: 100 }, (_, i) => [String(i), '2022-01-10', '2022-01-13']);
    const days = (a: string, b: string) => (Date.parse(b) - Date.parse(a)) / 86_400_000;
    const out = createBatchMasker(table, source)(batch);
    for (const row of out) expect(days(String(row[1]), String(row[2]))).toBe(3);
    expect(new Set(out.map((r) => r[1])).size).toBeGreaterThan(20);
    expect(() => planRun(parseRules(yaml('nope'), 'r.yaml', {}), db, db)).toThrow(
      /rental\.out: dateShift: unknown column "nope" in by \(r\.yaml:6:7\)/,
    );
  });
});

describe('group', () => {
  it('draws one person and one address per row, and refuses members that cannot agree', () => {
    const table = plan(
      '      first_name: { transform: person.firstName, group: who }\n' +
        '      last_name: { transform: person.lastName, group: who }\n' +
        '      email: { transform: email, group: who }\n' +
        '      city: { transform: location.city, group: where }\n' +
        '      state: { transform: location.state, group: where, abbreviated: true }\n' +
        '      zip: { transform: location.zipCode, group: where }\n' +
        '      country: { transform: location.countryCode, group: where }\n' +
        KEEP_REST(['first_name', 'last_name', 'email', 'city', 'state', 'zip', 'country']),
    ).tables[0]!;
    const out = createBatchMasker(table, source)(rows());
    for (const row of out) {
      const [first, last] = [String(row[1]), String(row[2])];
      const slug = (s: string) =>
        s
          .normalize('NFKD')
          .toLowerCase()
          .replace(/[^a-z0-9]/g, '');
      expect(row[3]).toBe(`${slug(first)}.${slug(last)}@example.com`);
      expect(row[8]).toBe('US');
      expect(String(row[6])).toMatch(/^[A-Z]{2}$/);
      expect(String(row[7])).toMatch(/^\d{5}$/);
    }
    expect(new Set(out.map((r) => r[5])).size).toBeGreaterThan(20);
    const bad =
      '      first_name: { transform: hash, group: who }\n' +
      '      city: { transform: location.city, group: where, consistent: x }\n' +
      KEEP_REST(['first_name', 'city']);
    expect(() => plan(bad)).toThrow(/rules\.yaml:6:7: group who: hash cannot be part of a group/);
    expect(() => plan(bad)).toThrow(/rules\.yaml:7:7: group where: consistent does not apply/);
  });
});

describe('rules that read their row, on keys and under when:', () => {
  it('refuses a masked key that reads its row when a foreign key would follow it', () => {
    const parent: TableInfo = { ...people, name: 'parent', table: 'parent', columns: [text('id'), text('code')] };
    const child: TableInfo = {
      ...people,
      name: 'child',
      table: 'child',
      columns: [text('id'), text('parent_id')],
      foreignKeys: [
        { name: 'fk', table: 'child', columns: ['parent_id'], referencedTable: 'parent', referencedColumns: ['id'] },
      ],
    };
    const db = { tables: [parent, child] };
    const yaml =
      'secret: s\ntables:\n  parent:\n    columns:\n' +
      '      id: { transform: template, template: "{{masked.code}}-{{person.lastName}}" }\n      code: hash\n' +
      '  child:\n    columns:\n      id: keep\n      parent_id: keep\n';
    expect(() => planRun(parseRules(yaml, 'r.yaml', {}), db, db)).toThrow(
      /child\.parent_id: references parent\.id, whose rule reads other columns of its row .* \(r\.yaml:5:7\)/,
    );
  });

  it('orders a when: rule after the columns either side reads', () => {
    const table = plan(
      '      email: { transform: template, template: "{{masked.first_name | upper}}", when: "id > 5",' +
        ' otherwise: { transform: template, template: "{{masked.last_name}}" } }\n' +
        '      first_name: person.firstName\n      last_name: person.lastName\n' +
        KEEP_REST(['email', 'first_name', 'last_name']),
    ).tables[0]!;
    expect(table.columns[3]!.dependsOn?.sort()).toEqual([1, 2]);
    // The condition is read after the columns: 1 where it holds.
    const batch = rows()
      .slice(0, 10)
      .map((row, i) => [...row, i > 5 ? 1 : 0]);
    const out = createBatchMasker(table, source)(batch);
    for (const [i, row] of out.entries()) {
      expect(row).toHaveLength(9);
      expect(row[3]).toBe(i > 5 ? String(row[1]).toUpperCase() : row[2]);
    }
  });
});
