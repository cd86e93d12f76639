import { describe, expect, it } from 'vitest';
import { parseRules } from '../config/load-rules.ts';
import type { Value } from '../dialects/dialect.ts';
import type { ColumnInfo, DatabaseSchema, TypeCategory } from '../dialects/schema.ts';
import { renderDraft, yamlKey } from './draft-yaml.ts';
import { suggestRules, type Samples } from './suggest-rules.ts';

const col = (name: string, category: TypeCategory, extra: Partial<ColumnInfo> = {}): ColumnInfo => ({
  name,
  category,
  dataType: category,
  nullable: true,
  generated: false,
  identity: false,
  ...extra,
});

/** Users (named columns), their logins (FK to users, an unnamed IP column) and a catalogue. */
const schema: DatabaseSchema = {
  tables: [
    {
      name: 'users',
      table: 'users',
      primaryKey: ['id'],
      uniqueKeys: [['handle']],
      foreignKeys: [],
      columns: [
        col('id', 'integer'),
        col('handle', 'text'),
        col('Vorname', 'text'),
        col('city', 'text'),
        col('signed_up', 'date'),
        col('updated_at', 'timestamp'),
        col('name_upper', 'text', { generated: true }),
        col('on', 'boolean'),
      ],
    },
    {
      name: 'logins',
      table: 'logins',
      primaryKey: ['id'],
      uniqueKeys: [],
      foreignKeys: [
        {
          name: 'f',
          table: 'logins',
          columns: ['user_handle'],
          referencedTable: 'users',
          referencedColumns: ['handle'],
        },
      ],
      columns: [
        col('id', 'integer'),
        col('user_handle', 'text'),
        col('origin', 'text'),
        col('at', 'timestamp'),
        col('cost', 'decimal'),
      ],
    },
    {
      name: 'city',
      table: 'city',
      primaryKey: ['id'],
      uniqueKeys: [],
      foreignKeys: [],
      columns: [col('id', 'integer'), col('city', 'text'), col('note', 'text')],
    },
  ],
};

const samples: Samples = new Map<string, Map<string, Value[]>>([
  [
    'users',
    new Map<string, Value[]>([
      ['handle', ['ann@example.org', 'bob@example.net', 'cy@example.com']],
      ['city', ['Oslo', 'Lima', 'Pune']],
    ]),
  ],
  [
    'logins',
    new Map<string, Value[]>([
      ['origin', ['10.0.0.1', '192.168.1.20', '2001:db8::7']],
      ['id', [1, 2, 3]],
    ]),
  ],
  ['city', new Map<string, Value[]>([['city', ['Oslo', 'Lima', 'Pune']]])],
]);

describe('suggestRules', () => {
  const drafts = suggestRules(schema, samples);
  const rule = (table: string, column: string) =>
    drafts.find((d) => d.table === table)!.columns.find((c) => c.column === column)!;

  it('masks by name, in context, and by sampled values, with the reason', () => {
    expect(rule('users', 'Vorname')).toMatchObject({
      rule: 'person.firstName',
      reason: 'its name suggests a first name',
      flagged: true,
    });
    expect(rule('users', 'handle')).toMatchObject({
      rule: 'email',
      reason: 'sampled values: 3 of 3 look like an email address',
      flagged: true,
    });
    expect(rule('logins', 'origin')).toMatchObject({ rule: 'internet.ip', flagged: true });
    // A city is personal beside a person, not in a list of cities.
    expect(rule('users', 'city')).toMatchObject({ rule: 'location.city', flagged: true });
    expect(rule('city', 'city')).toMatchObject({ rule: 'keep', flagged: false });
  });

  it("shifts dates and amounts of people and of what they did, each row's dates together", () => {
    // A person's dates move by their key; what they did moves by the same key, so it stays after.
    expect(rule('users', 'signed_up')).toMatchObject({
      rule: '{ transform: dateShift, days: 30, by: id }',
      reason:
        'quasi-identifier: a date in a table of people; with others it can single a person out: ' +
        "moved by id with the row's other dates, or keep it",
      category: 'quasi',
      flagged: true,
    });
    expect(rule('logins', 'at')).toMatchObject({
      rule: '{ transform: dateShift, days: 30, by: user_handle }',
      reason:
        'quasi-identifier: a date in a table that references users; with others it can single a person out: ' +
        "moved by user_handle with the row's other dates, or keep it",
    });
    expect(rule('logins', 'cost').rule).toBe('{ transform: noise, percent: 10 }');
  });

  it('moves a bookkeeping date with the shifted ones, so their order holds, without calling it personal', () => {
    expect(rule('users', 'updated_at')).toMatchObject({
      rule: '{ transform: dateShift, days: 30, by: id }',
      reason: "moves with signed_up (by id), so the row's dates keep their order",
      flagged: false,
    });
  });

  it('moves a date that a foreign key references on its own value, not by its row', () => {
    const col2 = (name: string, category: TypeCategory) => col(name, category, { nullable: false });
    const keyed: DatabaseSchema = {
      tables: [
        {
          name: 'people',
          table: 'people',
          primaryKey: ['joined'],
          uniqueKeys: [['email']],
          foreignKeys: [],
          columns: [col2('joined', 'date'), col2('email', 'text'), col2('left_on', 'date')],
        },
        {
          name: 'visits',
          table: 'visits',
          primaryKey: [],
          uniqueKeys: [],
          foreignKeys: [
            { name: 'v', table: 'visits', columns: ['at'], referencedTable: 'people', referencedColumns: ['left_on'] },
          ],
          columns: [col2('at', 'date')],
        },
      ],
    };
    const drafts = suggestRules(keyed, new Map());
    const people = drafts[0]!.columns;
    expect(people.find((c) => c.column === 'joined')!.rule).toBe('keep');
    expect(people.find((c) => c.column === 'left_on')!.rule).toBe('{ transform: dateShift, days: 30 }');
  });

  it('keeps plain keys, masks identifying ones, and gives their foreign keys the same rule', () => {
    expect(rule('users', 'id')).toMatchObject({ rule: 'keep', flagged: false });
    expect(rule('logins', 'user_handle')).toMatchObject({ rule: 'email', reason: 'follows its key users.handle' });
  });

  it('writes a strict rules file that names every copied column and parses as written', () => {
    const yaml = renderDraft(drafts, { source: 'postgres://u:***@db/app', sampleSize: 1000 });
    const rules = parseRules(yaml, 'draft.yaml', {
      MASQUE_SOURCE_URL: 'x',
      MASQUE_TARGET_URL: 'y',
      MASQUE_SECRET: 'z',
    });
    expect(rules.strict).toBe(true);
    expect(rules.tables.map((t) => [t.pattern, t.columns.length])).toEqual([
      ['users', 7],
      ['logins', 5],
      ['city', 3],
    ]);
    expect(yaml).toContain('      # name_upper: generated by the database, not copied\n');
    expect(yaml).toContain('      "on": keep\n');
    expect(yaml).toMatch(/ {6}handle: email {2,}# sampled values: 3 of 3 look like an email address\n/);
    // Reasons count values; the values themselves never reach the file.
    for (const value of ['ann@example.org', '10.0.0.1', 'Oslo']) expect(yaml).not.toContain(value);
  });

  it('writes a column name with a dot so that it reads back', () => {
    const dotted: DatabaseSchema = {
      tables: [
        { name: 't', table: 't', primaryKey: [], uniqueKeys: [], foreignKeys: [], columns: [col('a.b', 'integer')] },
      ],
    };
    const yaml = renderDraft(suggestRules(dotted, new Map()), { source: 'sqlite:x', sampleSize: 10 });
    expect(yaml).toContain('      "\\"a.b\\"": keep\n');
    expect(
      parseRules(yaml, 'draft.yaml', { MASQUE_SOURCE_URL: 'x', MASQUE_TARGET_URL: 'y', MASQUE_SECRET: 'z' }).tables[0]!
        .columns[0]!.column,
    ).toBe('a.b');
  });

  it('quotes names YAML would misread', () => {
    expect(yamlKey('public.customer')).toBe('public.customer');
    expect(yamlKey('yes')).toBe('"yes"');
    expect(yamlKey('order #')).toBe('"order #"');
    expect(yamlKey('1st')).toBe('"1st"');
  });
});
