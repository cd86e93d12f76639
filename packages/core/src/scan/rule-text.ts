/**
 * The draft's rules are YAML text (`person.firstName`, `{ transform: noise, percent: 10 }`):
 * what copies and free text need to read and extend in them.
 */

/** The transformer a rule's text names. */
export function transformOf(rule: string): string {
  return /^\{ transform: ([^,} ]+)/.exec(rule)?.[1] ?? rule;
}

/**
 * True when the rule masks each value on its own (no `group:`, template or `by:`), so the same
 * rule under the same domain masks a copy of a value to the same output in another table.
 */
export function masksValueAlone(rule: string): boolean {
  return rule !== 'keep' && rule !== 'null' && !/group:|by:|template|\{\{/.test(rule);
}

/** A domain as a YAML plain scalar when it can be one, else quoted. */
const yamlScalar = (text: string): string => (/^[A-Za-z_][A-Za-z0-9_.-]*$/.test(text) ? text : JSON.stringify(text));

/** The rule with `consistent: DOMAIN`, so it masks alike wherever the domain is the same. */
export function withConsistent(rule: string, domain: string): string {
  const consistent = `consistent: ${yamlScalar(domain)}`;
  if (!rule.startsWith('{')) return `{ transform: ${rule}, ${consistent} }`;
  const plain = rule.replace(/, consistent: [^,}]+/, '');
  return `${plain.slice(0, -2)}, ${consistent} }`;
}
