import type { Rules, TableRule } from '../config/rules.ts';
import { ColumnGroup } from '../transformers/column-group.ts';
import { fakerLocaleKey } from '../transformers/faker-method.ts';
import { createKeyedHash } from '../transformers/keyed-hash.ts';

/**
 * The groups of one table (`group: NAME` on its column rules), each with the indexes of its
 * columns among the table's `columns` (the ones read), whose source values are the group's input.
 * A group's keyed hash is under the domain `group NAME`, so the same group name over the same
 * inputs draws the same person or address in every table.
 */
export function tableGroups(rule: TableRule, columns: readonly string[], rules: Rules): Map<string, ColumnGroup> {
  const members = new Map<string, number[]>();
  for (const columnRule of rule.columns) {
    const index = columns.indexOf(columnRule.column);
    if (columnRule.group === undefined || index < 0) continue;
    const indexes = members.get(columnRule.group) ?? members.set(columnRule.group, []).get(columnRule.group)!;
    indexes.push(index);
  }
  const locale = fakerLocaleKey(rules.locale);
  const groups = new Map<string, ColumnGroup>();
  for (const [name, indexes] of members) {
    indexes.sort((a, b) => a - b);
    groups.set(name, new ColumnGroup(name, indexes, createKeyedHash(rules.secret, `group ${name}`), locale));
  }
  return groups;
}
