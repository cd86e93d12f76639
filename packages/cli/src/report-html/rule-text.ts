import type { ColumnRule } from '@masque/core';

type TransformRule = Pick<ColumnRule, 'transform' | 'params' | 'consistent'>;

/** A parameter's value as the rules file would write it: numbers and words plain, other text quoted. */
function paramValue(value: unknown): string {
  // A string that would read back as a number, a boolean or null (`char: "0"`) keeps its quotes.
  const plain = typeof value === 'string' && /^[A-Za-z_][\w.-]*$/.test(value) && !/^(true|false|null)$/i.test(value);
  return plain ? (value as string) : (JSON.stringify(value) ?? String(value));
}

function transformText(rule: TransformRule): string {
  const params = Object.entries(rule.params).map(([key, value]) => `${key}: ${paramValue(value)}`);
  if (rule.consistent !== undefined) params.push(`consistent: ${paramValue(rule.consistent)}`);
  return params.length ? `${rule.transform} (${params.join(', ')})` : rule.transform;
}

/**
 * A column's rule in one line, as a reviewer reads it: `partial (keepLast: 2, char: "0")`,
 * `email, unique`, `redact when <SQL>, otherwise keep`. Only what the rules file says.
 */
export function ruleText(rule: ColumnRule): string {
  let text = transformText(rule);
  if (rule.unique) text += ', unique';
  if (rule.group !== undefined) text += `, group: ${paramValue(rule.group)}`;
  if (rule.when !== undefined) {
    const otherwise = rule.otherwise ? transformText(rule.otherwise) : 'null';
    text += ` when ${rule.when}, otherwise ${otherwise}`;
  }
  return text;
}
