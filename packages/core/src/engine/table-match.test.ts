import { describe, expect, it } from 'vitest';
import type { TableInfo } from '../dialects/schema.ts';
import { matchesTable, suggestTable } from './table-match.ts';

const table = (schema: string | undefined, name: string): TableInfo => ({
  name: schema === undefined ? name : `${schema}.${name}`,
  ...(schema !== undefined && { schema }),
  table: name,
  columns: [],
  primaryKey: [],
  uniqueKeys: [],
  foreignKeys: [],
});
const clientList = table('Sales Ops', 'Client List');
const dotted = table('odd.schema', 't.1');

describe('matchesTable', () => {
  it('matches plain and quoted spellings of one name alike', () => {
    for (const pattern of [
      'Sales Ops.Client List',
      '"Sales Ops"."Client List"',
      '`Sales Ops`.`Client List`',
      'Sales Ops."Client List"',
      '"Client List"',
      'Client List',
    ]) {
      expect(matchesTable(pattern, clientList), pattern).toBe(true);
    }
    expect(matchesTable('"sales ops"."client list"', clientList)).toBe(false);
  });

  it('matches names with dots only when quoted', () => {
    expect(matchesTable('"odd.schema"."t.1"', dotted)).toBe(true);
    expect(matchesTable('"t.1"', dotted)).toBe(true);
    expect(matchesTable('t.1', dotted)).toBe(false);
    expect(matchesTable('"t.1"', table(undefined, 't.1'))).toBe(true);
    // Where tables have no schema, a second part names none of them.
    expect(matchesTable('t.1', table(undefined, 't.1'))).toBe(false);
    expect(matchesTable('main.Customer', table(undefined, 'Customer'))).toBe(false);
  });

  it('globs in plain parts only', () => {
    const partition = table('public', 'payment_p2022_01');
    expect(matchesTable('payment_p*', partition)).toBe(true);
    expect(matchesTable('*.payment_p2022_0?', partition)).toBe(true);
    expect(matchesTable('"payment_p*"', partition)).toBe(false);
    expect(matchesTable('"payment_p*"', table('public', 'payment_p*'))).toBe(true);
  });
});

describe('suggestTable', () => {
  it('suggests a name that reads back, whichever way the pattern is spelt', () => {
    expect(suggestTable('"Sales Ops"."Client Lst"', [clientList])).toBe(' (did you mean Sales Ops.Client List?)');
    expect(suggestTable('"odd.schema"."t.2"', [clientList, dotted])).toBe(' (did you mean "odd.schema"."t.1"?)');
    expect(suggestTable('zzzz', [clientList])).toBe('');
  });
});
