import { describe, expect, it } from 'vitest';
import { parseRules } from './load-rules.ts';

const parse = (...lines: string[]) => parseRules(['tables:', ...lines, ''].join('\n'), 'r.yaml', {});
const messageOf = (...lines: string[]): string => {
  try {
    parse(...lines);
  } catch (error) {
    return (error as Error).message;
  }
  throw new Error('expected a ConfigError');
};

describe('names in rules keys', () => {
  it('keeps table keys as written and unquotes column keys', () => {
    const rules = parse(
      `  '"Sales Ops"."Client List"':`,
      `    columns: { id: keep, '"Full Name"': keep, '\`e\`\`mail\`': keep, 'Home Phone': keep }`,
    );
    expect(rules.tables[0]!.pattern).toBe('"Sales Ops"."Client List"');
    expect(rules.tables[0]!.columns.map((c) => c.column)).toEqual(['id', 'Full Name', 'e`mail', 'Home Phone']);
  });

  it('reports every name that cannot be read, each at its key', () => {
    expect(messageOf(`  '"Sales Ops"."Client List': skip`, `  t:`, `    columns: { a.b: keep }`)).toBe(
      [
        `r.yaml:2:3: cannot read the name '"Sales Ops"."Client List': the " at character 13 is never closed`,
        `r.yaml:4:16: 'a.b' has 2 parts, but a column is one name; quote a name with a dot: "a.b"`,
      ].join('\n'),
    );
  });

  it('refuses two spellings of one column or one table, but tells a glob from a quoted star', () => {
    expect(messageOf(`  t: { columns: { email: keep, '"email"': email } }`)).toBe(
      `r.yaml:2:32: '"email"' names the same column as 'email' (line 2); merge the two`,
    );
    expect(messageOf(`  public.customer: skip`, `  '"public"."customer"': skip`)).toBe(
      `r.yaml:3:3: '"public"."customer"' names the same tables as 'public.customer' (line 2); merge the two`,
    );
    // A quoted star is a character, not a glob: these two name different tables.
    expect(parse(`  payment_p*: skip`, `  '"payment_p*"': skip`).tables.map((t) => t.pattern)).toEqual([
      'payment_p*',
      '"payment_p*"',
    ]);
  });
});
