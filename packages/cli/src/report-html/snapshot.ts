import { ConfigError } from '@masque/core';
import type { ReviewModel } from './review-model.ts';

/**
 * The small block of data each page carries, so that the next report can say what changed
 * (`--since PAGE`): each column's state and rule, the run's status, verify's count of findings.
 * The same names and rules the page shows, nothing more.
 */
export interface ReviewSnapshot {
  format: typeof FORMAT;
  generatedAt: string;
  rulesFile: string;
  columns: { table: string; column: string; state: string; rule: string }[];
  run?: { status: string; exitCode: number };
  verify?: { findings: number };
}

const FORMAT = 'masque-report/1';
const ID = 'masque-report-data';

export function snapshotOf(model: ReviewModel): ReviewSnapshot {
  return {
    format: FORMAT,
    generatedAt: model.generatedAt,
    rulesFile: model.rulesFile,
    columns: model.tables.flatMap((t) =>
      t.columns.map((c) => ({ table: t.table, column: c.column, state: c.state, rule: c.rule })),
    ),
    ...(model.run && { run: { status: model.run.status, exitCode: model.run.exitCode } }),
    ...(model.verify && { verify: { findings: model.verify.findings.length } }),
  };
}

/**
 * The snapshot as a data block: `<script type="application/json">` is never run, and `<`
 * written as `\u003c` keeps any `</script>` in a rule from ending the block.
 */
export function snapshotBlock(snapshot: ReviewSnapshot): string {
  const json = JSON.stringify(snapshot).replace(/</g, '\\u003c');
  return `<script type="application/json" id="${ID}">${json}</script>`;
}

/** The snapshot a page carries, or undefined when it holds none (not a masque report). */
export function readSnapshot(html: string): ReviewSnapshot | undefined {
  const match = new RegExp(`<script type="application/json" id="${ID}">([^<]*)</script>`).exec(html);
  if (!match) return undefined;
  let data: unknown;
  try {
    data = JSON.parse(match[1]!);
  } catch {
    return undefined;
  }
  const snapshot = data as Partial<ReviewSnapshot>;
  if (snapshot.format !== FORMAT || !Array.isArray(snapshot.columns)) return undefined;
  return snapshot as ReviewSnapshot;
}

/** `--since FILE`: the previous page's snapshot; a file that holds none is a usage error. */
export function snapshotFromFile(file: string, html: string): ReviewSnapshot {
  const snapshot = readSnapshot(html);
  if (!snapshot) throw new ConfigError(`--since ${file}: not a page written by masque report (no report data in it)`);
  return snapshot;
}
