import type { KeyRange } from './dialect.ts';

/**
 * The WHERE clause of a read: the rules' row filter and the work unit's key range, or '' when
 * there is neither. Bounds are bigints, so they are written as digits, never as parameters.
 */
export function whereClause(
  where: string | undefined,
  range: KeyRange | undefined,
  quote: (name: string) => string,
): string {
  const parts = where ? [`(${where})`] : [];
  if (range?.from !== undefined) parts.push(`${quote(range.column)} >= ${range.from}`);
  if (range?.to !== undefined) parts.push(`${quote(range.column)} < ${range.to}`);
  return parts.length ? ` WHERE ${parts.join(' AND ')}` : '';
}
