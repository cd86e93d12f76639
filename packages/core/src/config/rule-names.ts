import { ConfigError, type SourcePlace } from '../errors.ts';
import { formatName, parseColumnName, parseTableName } from '../names.ts';
import type { ConfigIssue } from './config-issue.ts';
import type { TableRule } from './rules.ts';

/**
 * Reads the names the rules' keys are written in (names.ts): every table key must read as a
 * table name, and every column key is unquoted in place (`"Full Name"` → `Full Name`). Two keys
 * spelt differently that name the same table or column are an error, as a key given twice is:
 * the second rule would otherwise be ignored without a word.
 */
export function readRuleNames(tables: TableRule[]): ConfigIssue[] {
  const issues: ConfigIssue[] = [];
  const read = <T>(parse: () => T, place: SourcePlace): T | undefined => {
    try {
      return parse();
    } catch (error) {
      if (!(error instanceof ConfigError)) throw error;
      issues.push({ message: error.message, place });
      return undefined;
    }
  };
  /** Records the first key that names `name`; a later one is an issue. */
  const once = (
    seen: Map<string, { key: string; line: number }>,
    name: string,
    key: string,
    place: SourcePlace,
    what: string,
  ) => {
    const first = seen.get(name);
    if (!first) seen.set(name, { key, line: place.line });
    else
      issues.push({
        message: `'${key}' names the same ${what} as '${first.key}' (line ${first.line}); merge the two`,
        place,
      });
  };

  const tableNames = new Map<string, { key: string; line: number }>();
  for (const table of tables) {
    const parts = read(() => parseTableName(table.pattern), table.place);
    // A quoted `*` is a character, a plain one a glob: only there does quoting change the meaning.
    const name = parts?.map((p) => (p.quoted && /[*?]/.test(p.text) ? formatName([p.text]) : p.text)).join('\0');
    if (name !== undefined) once(tableNames, name, table.pattern, table.place, 'tables');

    const columnNames = new Map<string, { key: string; line: number }>();
    for (const column of table.columns) {
      const name = read(() => parseColumnName(column.column), column.place);
      if (name === undefined) continue;
      once(columnNames, name, column.column, column.place, 'column');
      column.column = name;
    }
  }
  return issues;
}
