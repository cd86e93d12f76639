import { describe, expect, it } from 'vitest';
import { parseRules } from './load-rules.ts';
import { commentKey, readRuleComments } from './rule-comments.ts';

const text = `# yaml-language-server: $schema=x.json
secret: \${MASQUE_SECRET}
tables:
  # --- people ---
  public.customer:
    columns:
      # the shop's own inbox on every row
      email: keep # not a person's
      phone:
        # the last two digits help support
        transform: partial
        keepLast: 2
      name: person.fullName
  public.staff: # few rows
    columns: { email: email } # flow maps too
  # --- catalogue ---
  public.film: { columns: { title: keep } }
`;

describe('rule comments', () => {
  const comments = readRuleComments(text);
  const rules = parseRules(text, 'rules.yaml', { MASQUE_SECRET: 's' });
  const table = (pattern: string) => rules.tables.find((t) => t.pattern === pattern)!;
  const column = (pattern: string, name: string) => table(pattern).columns.find((c) => c.column === name)!;
  const of = (place: { line: number; column: number }) => comments.byPlace.get(commentKey(place));

  it("are found at the rules' own places: above the key, on its line, before a block value", () => {
    expect(of(column('public.customer', 'email').place)).toBe("the shop's own inbox on every row not a person's");
    expect(of(column('public.customer', 'phone').place)).toBe('the last two digits help support');
    expect(of(column('public.customer', 'name').place)).toBeUndefined();
    expect(of(table('public.staff').place)).toBe('few rows flow maps too');
  });

  it('give each table the section ruler it stands under, not as its own comment', () => {
    expect(comments.sections.get(commentKey(table('public.customer').place))).toBe('people');
    expect(comments.sections.get(commentKey(table('public.staff').place))).toBe('people');
    expect(comments.sections.get(commentKey(table('public.film').place))).toBe('catalogue');
    expect(of(table('public.customer').place)).toBeUndefined();
  });

  it('never expand a variable', () => {
    expect([...comments.byPlace.values()].join(' ')).not.toContain('MASQUE_SECRET');
  });
});
