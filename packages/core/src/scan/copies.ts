import type { Value } from '../dialects/dialect.ts';
import type { DatabaseSchema } from '../dialects/schema.ts';
import { isKey } from './date-rules.ts';
import type { PersonalKind } from './name-signals.ts';
import { ruleForKind } from './personal-kinds.ts';
import { masksValueAlone, withConsistent } from './rule-text.ts';
import type { ColumnDraft, Samples, TableDraft } from './suggest-rules.ts';

/**
 * Denormalised copies: a column of any table that holds the values of a personal column (an
 * order's `ship_name` = its customer's company name), with no foreign key between them. Found on
 * the samples: the distinct values of each personal column, as a hash set, against the sampled
 * values of every other text column. Such a column gets the original's rule and both the same
 * `consistent:` domain, so the copy equals its masked original in the target (joins by value keep
 * working) and no real value stays in it.
 */

/** Places are shared by many people: a customer's and a supplier's city agree by chance. */
const SHARED: ReadonlySet<PersonalKind> = new Set(['city', 'state', 'country', 'postalCode', 'courtesy', 'jobTitle']);
/** Values shorter than this match by chance (`Ann`, `CA`). */
const MIN_LENGTH = 4;
/** A copy holds the original's values in at least this share of its sampled non-NULL rows… */
const MIN_SHARE = 0.5;
/** …and at least this many of them. */
const MIN_MATCHES = 3;
/** An original whose sampled values repeat more than this is a category, not one value per person. */
const MIN_DISTINCT = 0.8;

interface Original {
  table: string;
  draft: ColumnDraft;
  values: Set<string>;
}

const texts = (values: readonly Value[] | undefined): string[] =>
  (values ?? []).filter((v): v is string => typeof v === 'string' && v.trim() !== '');

export function linkCopies(schema: DatabaseSchema, drafts: TableDraft[], samples: Samples): void {
  const info = (table: string) => schema.tables.find((t) => t.name === table);
  const originals: Original[] = [];
  for (const draft of drafts) {
    for (const column of draft.columns) {
      if (!column.flagged || !column.kind || SHARED.has(column.kind) || column.rule === 'keep') continue;
      const sampled = texts(samples.get(draft.table)?.get(column.column)).filter((t) => t.length >= MIN_LENGTH);
      const values = new Set(sampled);
      if (values.size < MIN_MATCHES || values.size < MIN_DISTINCT * sampled.length) continue;
      originals.push({ table: draft.table, draft: column, values });
    }
  }
  for (const draft of drafts) {
    const table = info(draft.table);
    for (const column of draft.columns) {
      const category = table?.columns.find((c) => c.name === column.column)?.category;
      if (!table || category !== 'text' || column.generated || isKey(table, column.column)) continue;
      // A column with a rule that reads its row (a group, a template) is masked already, with its row.
      if (column.rule !== 'keep' && !masksValueAlone(column.rule)) continue;
      const sampled = texts(samples.get(draft.table)?.get(column.column));
      let best: { original: Original; matches: number } | undefined;
      for (const original of originals) {
        if (original.draft === column) continue;
        const matches = sampled.filter((t) => original.values.has(t)).length;
        if (matches >= MIN_MATCHES && matches >= MIN_SHARE * sampled.length && matches > (best?.matches ?? 0))
          best = { original, matches };
      }
      if (best) link(column, best.original, `${best.matches} of ${sampled.length}`, table);
    }
  }
}

function link(copy: ColumnDraft, original: Original, share: string, table: { columns: { name: string }[] }): void {
  const source = `${original.table}.${original.draft.column}`;
  const reason = `copies ${source} in ${share} sampled rows`;
  if (masksValueAlone(original.draft.rule)) {
    original.draft.rule = withConsistent(original.draft.rule, source);
    Object.assign(copy, { rule: original.draft.rule, reason, flagged: true, kind: original.draft.kind });
  } else {
    // The original is drawn with its row (a group, a template): the copy is masked on its own.
    const info = (table.columns as Parameters<typeof ruleForKind>[1][]).find((c) => c.name === copy.column);
    const rule = info && ruleForKind(original.draft.kind!, info);
    if (!rule) return;
    const why = `${reason}; masked on its own, since ${source} is drawn with its row`;
    Object.assign(copy, { rule, reason: why, flagged: true, kind: original.draft.kind });
  }
  copy.category = 'copy';
}
