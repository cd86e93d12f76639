import type { ColumnRule } from '@masque/core';
import { describe, expect, it } from 'vitest';
import { ruleText } from './rule-text.ts';

const place = { file: 'r.yaml', line: 1, column: 1 };
const rule = (r: Omit<ColumnRule, 'column' | 'place'>): ColumnRule => ({ column: 'c', place, ...r });

describe('a rule in one line', () => {
  it('writes parameters as the rules file would', () => {
    expect(ruleText(rule({ transform: 'keep', params: {} }))).toBe('keep');
    expect(ruleText(rule({ transform: 'partial', params: { keepLast: 2, char: '0' } }))).toBe(
      'partial (keepLast: 2, char: "0")',
    );
    expect(ruleText(rule({ transform: 'email', params: { domain: 'example.org' }, unique: true }))).toBe(
      'email (domain: example.org), unique',
    );
    expect(ruleText(rule({ transform: 'template', params: { template: '{{masked.first_name}} x' } }))).toBe(
      'template (template: "{{masked.first_name}} x")',
    );
  });

  it('says what happens to the rows a when: rule does not hold for', () => {
    const when = rule({
      transform: 'redact',
      params: {},
      when: "country <> 'DE'",
      otherwise: { transform: 'keep', params: {} },
    });
    expect(ruleText(when)).toBe("redact when country <> 'DE', otherwise keep");
  });
});
