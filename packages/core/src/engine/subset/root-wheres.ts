import type { Rules } from '../../config/rules.ts';
import type { Dialect, SnapshotReader } from '../../dialects/dialect.ts';
import { describeError, withoutValues } from '../../dialects/driver-error.ts';
import type { DatabaseSchema } from '../../dialects/schema.ts';
import type { Problem } from '../../errors.ts';
import { matchesTable } from '../table-match.ts';

/**
 * `masque check`: every subset root's `where` run on the source, as the run would read it, but
 * with `AND 1 = 0` so no row is read: the engine parses it and resolves its columns and types, and
 * a `where` it refuses is an error at the place it is written, in the server's words (values
 * blanked). Read-only, in one snapshot.
 */
export async function rootWhereProblems(source: Dialect, schema: DatabaseSchema, rules: Rules): Promise<Problem[]> {
  const roots = (rules.subset?.roots ?? []).filter((root) => root.where !== undefined);
  if (!roots.length) return [];
  const problems: Problem[] = [];
  let reader: SnapshotReader | undefined;
  try {
    reader = await source.openSnapshot();
    for (const root of roots) {
      for (const table of schema.tables.filter((t) => !t.partitionOf && matchesTable(root.pattern, t))) {
        const column = table.columns.find((c) => !c.generated);
        if (!column) continue;
        try {
          for await (const _ of reader.read({ table, columns: [column.name], where: `(${root.where}) AND 1 = 0` })) {
            // no rows: the condition is false
          }
        } catch (error) {
          problems.push({
            severity: 'error',
            subject: table.name,
            message: `subset root: its where does not run on the source: ${withoutValues(describeError(error))}`,
            ...(root.wherePlace && { place: root.wherePlace }),
          });
          // A failed statement may leave a reader unusable (MariaDB drops a stream's connection).
          await reader.close();
          reader = await source.openSnapshot();
        }
      }
    }
  } finally {
    await reader?.close();
  }
  return problems;
}

/** `problems` and `more` together, in the order of the rules file (unplaced ones last). */
export function inFileOrder(problems: readonly Problem[], more: readonly Problem[]): Problem[] {
  const key = (p: Problem) => (p.place ? p.place.line * 10_000 + p.place.column : Number.MAX_SAFE_INTEGER);
  return [...problems, ...more]
    .map((p, i) => ({ p, i }))
    .sort((a, b) => key(a.p) - key(b.p) || a.i - b.i)
    .map(({ p }) => p);
}
