import { ConfigError } from '../errors.ts';
import { parseColumnName, parseTableName, splitNames } from '../names.ts';
import type { ConfigIssue } from './config-issue.ts';
import type { KeyRef, Rules } from './rules.ts';

/**
 * Reads the names of `subset:` and `relations:` as the rules' keys are read (names.ts): every
 * root must read as a table name, and each side of a relation as `table(column, …)`, which fills
 * its `table` and `columns`. Whether those tables and columns exist is the plan's to say: it
 * needs the live schema.
 */
export function readSubsetNames(rules: Rules): ConfigIssue[] {
  const issues: ConfigIssue[] = [];
  const read = (work: () => void, place: ConfigIssue['place']): void => {
    try {
      work();
    } catch (error) {
      if (!(error instanceof ConfigError)) throw error;
      issues.push({ message: error.message, place });
    }
  };
  for (const root of rules.subset?.roots ?? []) read(() => parseTableName(root.pattern), root.place);
  for (const relation of rules.relations ?? []) {
    for (const side of [relation.from, relation.to]) read(() => readKeyRef(side), side.place);
    if (relation.from.columns.length && relation.to.columns.length !== relation.from.columns.length) {
      issues.push({
        message:
          `relation ${relation.from.text} → ${relation.to.text}: ${relation.from.columns.length} column(s) ` +
          `reference ${relation.to.columns.length}; give both sides the same number, in matching order`,
        place: relation.place,
      });
    }
  }
  return issues;
}

/** Fills `ref.table` and `ref.columns` from `ref.text` (`public.orders(customer_ref)`, `t(a, "b c")`). */
function readKeyRef(ref: KeyRef): void {
  const text = ref.text.trim();
  const open = unquotedIndex(text, '(');
  const example = 'write table(column) or table(a, b), e.g. public.orders(customer_ref)';
  if (open < 0 || !text.endsWith(')')) throw new ConfigError(`cannot read '${ref.text}' as a key: ${example}`);
  const table = text.slice(0, open).trim();
  if (!table) throw new ConfigError(`'${ref.text}' names no table: ${example}`);
  const parts = parseTableName(table);
  if (parts.some((p) => !p.quoted && /[*?]/.test(p.text))) {
    throw new ConfigError(`'${ref.text}': a relation names one table, not a pattern (quote a name holding * or ?)`);
  }
  const columns = splitNames(text.slice(open + 1, -1)).map(parseColumnName);
  if (!columns.length) throw new ConfigError(`'${ref.text}' names no column: ${example}`);
  ref.table = table;
  ref.columns = columns;
}

/** The index of the first `char` outside "…" and `…` quotes, or -1. */
function unquotedIndex(text: string, char: string): number {
  let quote: string | undefined;
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (quote) {
      if (c === quote) quote = undefined;
    } else if (c === '"' || c === '`') quote = c;
    else if (c === char) return i;
  }
  return -1;
}
