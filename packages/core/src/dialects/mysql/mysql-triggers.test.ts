import { describe, expect, it } from 'vitest';
import type { TableInfo } from '../schema.ts';
import type { MysqlForeignKey } from './mysql-foreign-keys.ts';
import { type MysqlTrigger, tablesMovedLate } from './mysql-triggers.ts';

const table = (name: string): TableInfo => ({
  name,
  table: name,
  columns: [],
  primaryKey: [],
  uniqueKeys: [],
  foreignKeys: [],
});
const key = (child: string, parent: string): MysqlForeignKey => ({
  name: `${child}_${parent}`,
  table: child,
  columns: ['id'],
  referencedTable: parent,
  referencedSchema: 'db',
  referencedName: parent,
  referencedColumns: ['id'],
});
const trigger = (on: string): MysqlTrigger => ({
  name: `${on}_trigger`,
  table: on,
  timing: 'AFTER',
  event: 'INSERT',
  order: 1,
  definer: 'me@%',
  sqlMode: '',
  characterSetClient: 'utf8mb4',
  collationConnection: 'utf8mb4_general_ci',
  statement: '',
});

describe('tablesMovedLate', () => {
  const loaded = ['language', 'film', 'film_actor', 'actor', 'film_text', 'audit_log'].map(table);
  const keys = [key('film', 'language'), key('film_actor', 'film'), key('film_actor', 'actor')];

  it('moves nothing late without triggers', () => {
    expect(tablesMovedLate(loaded, [], keys)).toEqual(new Set());
  });

  it('moves late a table with triggers and every table its keys join, however indirectly, in either direction', () => {
    expect([...tablesMovedLate(loaded, [trigger('film')], keys)].sort()).toEqual([
      'actor',
      'film',
      'film_actor',
      'language',
    ]);
    // From the far end of the chain too: actor → film_actor → film → language.
    expect([...tablesMovedLate(loaded, [trigger('actor')], keys)].sort()).toEqual([
      'actor',
      'film',
      'film_actor',
      'language',
    ]);
  });

  it('joins through a table that is not loaded, and names only loaded tables', () => {
    const through = [key('film', 'studio'), key('audit_log', 'studio')];
    expect([...tablesMovedLate(loaded, [trigger('film')], through)].sort()).toEqual(['audit_log', 'film']);
  });

  it('leaves early a table a trigger writes into, but no key joins', () => {
    const late = tablesMovedLate(loaded, [trigger('film')], keys);
    expect(late.has('film_text')).toBe(false);
    expect(late.has('audit_log')).toBe(false);
  });
});
