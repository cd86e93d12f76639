import type { TableInfo } from '../dialects/schema.ts';
import type { Problem } from '../errors.ts';

/**
 * The target table must take every column masque writes: each source column must exist there and
 * not be generated, and a target-only column must be fillable (nullable or with a default).
 */
export function checkTargetTable(source: TableInfo, target: TableInfo): Problem[] {
  const problems: Problem[] = [];
  const targetColumns = new Map(target.columns.map((c) => [c.name, c]));
  for (const column of source.columns.filter((c) => !c.generated)) {
    const match = targetColumns.get(column.name);
    const subject = `${source.name}.${column.name}`;
    if (!match) problems.push({ severity: 'error', subject, message: 'column missing in the target' });
    else if (match.generated)
      problems.push({ severity: 'error', subject, message: 'generated in the target but not in the source' });
  }
  const sourceNames = new Set(source.columns.map((c) => c.name));
  for (const column of target.columns.filter((c) => !sourceNames.has(c.name))) {
    const fillable = column.nullable || column.defaultExpr !== undefined || column.generated || column.identity;
    problems.push({
      severity: fillable ? 'warning' : 'error',
      subject: `${target.name}.${column.name}`,
      message: fillable ? 'only in the target: left to its default' : 'only in the target, NOT NULL without a default',
    });
  }
  return problems;
}
