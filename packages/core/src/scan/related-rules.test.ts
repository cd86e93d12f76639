import { describe, expect, it } from 'vitest';
import { parseRules } from '../config/load-rules.ts';
import type { Value } from '../dialects/dialect.ts';
import type { ColumnInfo, DatabaseSchema, TableInfo } from '../dialects/schema.ts';
import { renderDraft } from './draft-yaml.ts';
import { suggestRules, type Samples } from './suggest-rules.ts';

const text = (name: string, nullable = false): ColumnInfo => ({
  name,
  category: 'text',
  dataType: 'varchar',
  nullable,
  generated: false,
  identity: false,
});
const id = (name: string): ColumnInfo => ({ ...text(name), category: 'integer', dataType: 'integer' });

const table = (name: string, columns: ColumnInfo[], extra: Partial<TableInfo> = {}): TableInfo => ({
  name,
  table: name,
  primaryKey: ['id'],
  uniqueKeys: [],
  foreignKeys: [],
  columns: [id('id'), ...columns],
  ...extra,
});

/** Customers with names, an email and two addresses; staff with a username; guests with nullable names. */
const schema: DatabaseSchema = {
  tables: [
    table('customer', [
      text('first_name'),
      text('last_name'),
      text('email'),
      text('street'),
      text('city'),
      text('state'),
      text('zip'),
      text('BillingCity'),
      text('BillingCountry'),
      text('ShipCity'),
    ]),
    table('staff', [text('first_name'), text('last_name'), text('email'), text('username')]),
    table('guest', [text('first_name', true), text('last_name', true), text('email')]),
    table('login', [text('email')], { primaryKey: ['email'] }),
    table('audit', [text('who')], {
      foreignKeys: [
        { name: 'f', table: 'audit', columns: ['who'], referencedTable: 'login', referencedColumns: ['email'] },
      ],
    }),
  ],
};

const samples: Samples = new Map([
  [
    'customer',
    new Map<string, Value[]>([
      ['state', ['WA', 'SP', null, 'QLD', 'Bavaria']],
      ['email', ['MARY.SMITH@corp.example', 'LINDA.W@corp.example', 'bob@corp.example']],
    ]),
  ],
]);

describe('related rules in the draft', () => {
  const drafts = suggestRules(schema, samples);
  const rule = (t: string, c: string) => drafts.find((d) => d.table === t)!.columns.find((x) => x.column === c)!.rule;

  it('groups the columns of each address that has a city and something to agree with', () => {
    expect(rule('customer', 'street')).toBe('{ transform: location.streetAddress, group: address }');
    expect(rule('customer', 'city')).toBe('{ transform: location.city, group: address }');
    // Sampled states are mostly codes: they stay codes.
    expect(rule('customer', 'state')).toBe('{ transform: location.state, group: address, abbreviated: true }');
    expect(rule('customer', 'zip')).toBe('{ transform: location.zipCode, group: address }');
    expect(rule('customer', 'BillingCity')).toBe('{ transform: location.city, group: billing_address }');
    expect(rule('customer', 'BillingCountry')).toBe('{ transform: location.country, group: billing_address }');
    // A city alone has nothing to agree with.
    expect(rule('customer', 'ShipCity')).toBe('location.city');
  });

  it('makes an email from the masked names, in the case of the sampled addresses', () => {
    expect(rule('customer', 'email')).toBe(
      '{ transform: template, template: ' +
        '"{{masked.first_name | slug | upper}}.{{masked.last_name | slug | upper}}@example.com" }',
    );
    // Names that may be NULL would leave `.smith@example.com`: the email is invented on its own.
    expect(rule('guest', 'email')).toBe('email');
  });

  it('draws a person as one group where a username must agree with the names too', () => {
    for (const column of ['first_name', 'last_name', 'email', 'username']) {
      expect(rule('staff', column)).toMatch(/^\{ transform: [\w.]+, group: person \}$/);
    }
  });

  it('leaves key columns and columns a foreign key references as they were', () => {
    expect(rule('login', 'email')).toBe('email');
    expect(rule('audit', 'who')).toBe('email');
  });

  it('writes rules that parse as written', () => {
    const yaml = renderDraft(drafts, { source: 'sqlite:x', sampleSize: 5 });
    const rules = parseRules(yaml, 'draft.yaml', {
      MASQUE_SOURCE_URL: 'x',
      MASQUE_TARGET_URL: 'y',
      MASQUE_SECRET: 'z',
    });
    const customer = rules.tables.find((t) => t.pattern === 'customer')!;
    expect(customer.columns.find((c) => c.column === 'state')).toMatchObject({
      transform: 'location.state',
      group: 'address',
      params: { abbreviated: true },
    });
    expect(customer.columns.find((c) => c.column === 'email')!.params).toEqual({
      template: '{{masked.first_name | slug | upper}}.{{masked.last_name | slug | upper}}@example.com',
    });
  });
});
