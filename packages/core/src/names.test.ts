import { describe, expect, it } from 'vitest';
import { ConfigError } from './errors.ts';
import { formatName, parseColumnName, parseName, parseTableName, splitNames } from './names.ts';

const plain = (text: string) => ({ text, quoted: false });
const quoted = (text: string) => ({ text, quoted: true });

describe('parseName', () => {
  it('reads plain names as written, case and spaces kept', () => {
    expect(parseName('customer')).toEqual([plain('customer')]);
    expect(parseName('public.customer')).toEqual([plain('public'), plain('customer')]);
    expect(parseName('Sales Ops.Client List')).toEqual([plain('Sales Ops'), plain('Client List')]);
    expect(parseName('payment_p*')).toEqual([plain('payment_p*')]);
  });

  it('reads double-quoted and backticked parts, mixed with plain ones', () => {
    expect(parseName('"Sales Ops"."Client List"')).toEqual([quoted('Sales Ops'), quoted('Client List')]);
    expect(parseName('`db`.`t`')).toEqual([quoted('db'), quoted('t')]);
    expect(parseName('public."Client List"')).toEqual([plain('public'), quoted('Client List')]);
  });

  it('reads a doubled quote inside a quoted part as one quote', () => {
    expect(parseName('"a""b"')).toEqual([quoted('a"b')]);
    expect(parseName('`a``b`.""""')).toEqual([quoted('a`b'), quoted('"')]);
    expect(parseName('`say "hi"`')).toEqual([quoted('say "hi"')]);
  });

  it('keeps dots inside quotes', () => {
    expect(parseName('"odd.schema"."t.1"')).toEqual([quoted('odd.schema'), quoted('t.1')]);
  });

  it('refuses an unbalanced quote, naming the text', () => {
    expect(() => parseName('"Sales Ops"."Client List')).toThrow(
      new ConfigError(`cannot read the name '"Sales Ops"."Client List': the " at character 13 is never closed`),
    );
    expect(() => parseName('`db.t')).toThrow(`cannot read the name '\`db.t': the \` at character 1 is never closed`);
    expect(() => parseName('"a""')).toThrow('never closed');
  });

  it('refuses text after a closing quote, a quote inside a plain part, and empty parts', () => {
    expect(() => parseName('"Sales Ops"x.t')).toThrow(
      `cannot read the name '"Sales Ops"x.t': a quoted part must be followed by "." or the end, not x.t`,
    );
    expect(() => parseName('a"b')).toThrow(
      `cannot read the name 'a"b': a quote in an unquoted part; quote the part, doubling the quote: "a""b"`,
    );
    for (const bad of ['', 'a..b', '.a', 'a.', '""']) expect(() => parseName(bad), bad).toThrow(/empty/);
  });
});

describe('parseTableName and parseColumnName', () => {
  it('takes one or two parts for a table, one for a column', () => {
    expect(parseTableName('"odd.schema"."t.1"')).toEqual([quoted('odd.schema'), quoted('t.1')]);
    expect(() => parseTableName('a.b.c')).toThrow(
      `'a.b.c' has 3 parts, but a table is table or schema.table; quote a part with a dot: "a.b".c`,
    );
    expect(parseColumnName('"Full Name"')).toBe('Full Name');
    expect(parseColumnName('Full Name')).toBe('Full Name');
    expect(() => parseColumnName('a.b')).toThrow(
      `'a.b' has 2 parts, but a column is one name; quote a name with a dot: "a.b"`,
    );
  });
});

describe('formatName', () => {
  it('quotes only the parts plain text would read differently', () => {
    expect(formatName(['public', 'customer'])).toBe('public.customer');
    expect(formatName(['Sales Ops', 'Client List'])).toBe('Sales Ops.Client List');
    expect(formatName(['odd.schema', 't.1'])).toBe('"odd.schema"."t.1"');
    expect(formatName(['a"b', 'x`y', 'p*', 'q?'])).toBe('"a""b"."x`y"."p*"."q?"');
  });

  it('reads back through parseName', () => {
    for (const parts of [['a'], ['Sales Ops', 'Client List'], ['odd.schema', 't.1'], ['a"b'], ['x`y'], ['p*q']]) {
      expect(parseName(formatName(parts)).map((p) => p.text)).toEqual(parts);
    }
  });
});

describe('splitNames', () => {
  it('splits on commas outside quotes and trims', () => {
    expect(splitNames('a, public.b ,c')).toEqual(['a', 'public.b', 'c']);
    expect(splitNames('"Sales Ops"."Client List","a,b",`x,y`')).toEqual([
      '"Sales Ops"."Client List"',
      '"a,b"',
      '`x,y`',
    ]);
    expect(splitNames('"a"",b",c')).toEqual(['"a"",b"', 'c']);
    expect(splitNames(' , ')).toEqual([]);
  });
});
