import type { Value } from '../dialects/dialect.ts';
import type { ColumnInfo, DatabaseSchema, TableInfo } from '../dialects/schema.ts';
import { byColumn, eventDateRule, isKey, isReferenced, moveDatesTogether } from './date-rules.ts';
import { isBookkeepingName, type PersonalKind } from './name-signals.ts';
import { KIND_LABELS, ruleForKind } from './personal-kinds.ts';
import { linkCopies } from './copies.ts';
import { proposeMentions } from './free-text.ts';
import { relateColumns } from './related-rules.ts';
import { kindInContext, tableContexts, type TableContext } from './table-context.ts';
import { valueSignal, type ValueSignal } from './value-signals.ts';

/** One column of the draft: its rule as YAML text, and why, when it is not a plain `keep`. */
export interface ColumnDraft {
  column: string;
  /** `keep`, a transformer name, or a YAML flow mapping such as `{ transform: noise, percent: 10 }`. */
  rule: string;
  /** The reason, written as a comment; never quotes a value. */
  reason?: string;
  /** The column looks personal (its rule masks it, or a reviewer must look). */
  flagged: boolean;
  /** Computed by the database: not copied, so not named by a rule. */
  generated?: boolean;
  /** The kind of personal data the column was masked as, when one. */
  kind?: PersonalKind;
  /** The column a shifted date moves by (`dateShift by:`). */
  by?: string;
  /** Where the scan report lists it (scan-report.ts); set last, by `categorize`. */
  category?: ScanCategory;
  /** Sampled values look like prose: kept, or `mentions` where they name someone (free-text.ts). */
  freeText?: boolean;
}

/**
 * What scan made of a column: masked as personal, a copy of a personal column, free text that
 * mentions people, a quasi-identifier (a person's event date or amount), a key following its
 * masked key, a date moving along with a masked one, or kept.
 */
export type ScanCategory = 'personal' | 'copy' | 'mentions' | 'quasi' | 'follows' | 'along' | 'kept';

export interface TableDraft {
  table: string;
  columns: ColumnDraft[];
  /** Rows whose values were looked at. */
  sampledRows: number;
}

/** Sampled values per table, then per column. */
export type Samples = Map<string, Map<string, Value[]>>;

/** Kinds that identify a person on their own: masked even in a key column. */
const IDENTIFYING: ReadonlySet<string> = new Set(['email', 'username', 'nationalId', 'iban', 'card', 'phone']);

/**
 * A rule for every column of every table: personal-looking columns (by name, in context, or by
 * sampled values) get a transformer and a reason, the rest `keep`. Foreign keys that reference a
 * masked key get the key's rule, so the draft says what `run` will do.
 */
export function suggestRules(schema: DatabaseSchema, samples: Samples): TableDraft[] {
  const signals = new Map<string, ValueSignal | undefined>();
  const peopleByValue = new Set<string>();
  for (const table of schema.tables) {
    for (const column of table.columns) {
      const signal = valueSignal(samples.get(table.name)?.get(column.name) ?? [], column.category);
      signals.set(`${table.name}\0${column.name}`, signal);
      if (signal && ['email', 'firstName', 'lastName', 'fullName'].includes(signal.kind))
        peopleByValue.add(table.partitionOf ?? table.name);
    }
  }
  const contexts = tableContexts(schema, peopleByValue);
  const rootOf = (name: string): string => schema.tables.find((t) => t.name === name)?.partitionOf ?? name;
  const drafts = schema.tables
    .filter((t) => !t.partitionOf)
    .map((table) => {
      const context = contexts.get(table.name);
      const by = byColumn(table, context, rootOf);
      return {
        table: table.name,
        sampledRows: samples.get(table.name)?.values().next().value?.length ?? 0,
        columns: table.columns.map((column) => {
          const draft = suggestColumn(table, column, context, signals.get(`${table.name}\0${column.name}`), by);
          // A date a foreign key references must not read its row: it moves on its own value.
          if (draft.by && isReferenced(schema, table, column.name)) {
            Object.assign(draft, { rule: eventDateRule(undefined), by: undefined });
          }
          return draft;
        }),
      };
    });
  followKeys(schema, drafts);
  moveDatesTogether(schema, drafts);
  relateColumns(schema, drafts, samples);
  linkCopies(schema, drafts, samples);
  proposeMentions(schema, drafts, samples);
  for (const draft of drafts) for (const column of draft.columns) column.category ??= categorize(column);
  return drafts;
}

function categorize(column: ColumnDraft): ScanCategory {
  if (column.rule === 'keep' || column.generated) return 'kept';
  if (column.reason?.startsWith('follows its key')) return 'follows';
  return column.flagged ? 'personal' : 'along';
}

function suggestColumn(
  table: TableInfo,
  column: ColumnInfo,
  context: TableContext | undefined,
  signal: ValueSignal | undefined,
  /** The column the table's dates move by, when it has one. */
  by: string | undefined,
): ColumnDraft {
  const name = column.name;
  if (column.generated) return { column: name, rule: 'keep', flagged: false, generated: true };
  const key = isKey(table, name);
  const byName = kindInContext(table, name, context);
  const byValue = signal && signal.kind !== 'freeText' && signal.kind !== 'digest' ? signal.kind : undefined;
  const kind = byName ?? byValue;
  const why = byName ? `its name suggests ${KIND_LABELS[byName]}` : signal ? valueReason(signal) : '';
  if (key && !(kind && IDENTIFYING.has(kind))) return { column: name, rule: 'keep', flagged: false };

  if (kind) {
    const rule =
      kind === 'birthDate' && column.category === 'text'
        ? signal?.kind === 'birthDate'
          ? '{ transform: dateShift, days: 365 }'
          : 'scramble'
        : ruleForKind(kind, column);
    if (rule) return { column: name, rule, reason: why, flagged: true, kind };
    return {
      column: name,
      rule: 'keep',
      reason: `REVIEW: ${why}, but no transformer writes a ${column.dataType} column`,
      flagged: true,
    };
  }
  if (signal?.kind === 'digest' && column.category === 'text')
    return { column: name, rule: 'hash', reason: valueReason(signal), flagged: true };
  // Prose is kept unless people are named in it: free-text.ts looks, and proposes `mentions`.
  if (signal?.kind === 'freeText' && column.category === 'text')
    return { column: name, rule: 'keep', reason: valueReason(signal), flagged: false, freeText: true };

  // Dates and amounts say what a person did and when, even with no name on them.
  const about = context?.people
    ? 'a table of people'
    : context?.activityOf
      ? `a table that references ${context.activityOf}`
      : undefined;
  if (about && (column.category === 'date' || column.category === 'timestamp') && !isBookkeepingName(name)) {
    // Moved by the row's key, the row's dates keep their order and intervals (a rental its duration).
    const moved = by ? `moved by ${by} with the row's other dates` : 'moved';
    const reason = `quasi-identifier: a date in ${about}; with others it can single a person out: ${moved}, or keep it`;
    return { column: name, rule: eventDateRule(by), reason, flagged: true, category: 'quasi', ...(by && { by }) };
  }
  if (about && (column.category === 'decimal' || column.category === 'float')) {
    const reason = `quasi-identifier: an amount in ${about}; noise blurs it, or keep it`;
    return { column: name, rule: '{ transform: noise, percent: 10 }', reason, flagged: true, category: 'quasi' };
  }
  return { column: name, rule: 'keep', flagged: false };
}

function valueReason(signal: ValueSignal): string {
  const what =
    signal.kind === 'freeText'
      ? 'free text, which may name people'
      : signal.kind === 'digest'
        ? 'a hash or token'
        : KIND_LABELS[signal.kind as PersonalKind];
  return `sampled values: ${signal.detail ?? `${signal.matches} of ${signal.sampled}`} look like ${what}`;
}

/** A kept foreign key to a masked key takes the key's rule: `run` masks it that way anyway. */
function followKeys(schema: DatabaseSchema, drafts: TableDraft[]): void {
  const rootOf = (name: string): string => schema.tables.find((t) => t.name === name)?.partitionOf ?? name;
  const draftOf = (table: string, column: string) =>
    drafts.find((d) => d.table === rootOf(table))?.columns.find((c) => c.column === column);
  // Repeat so chains (C → B → A) follow.
  for (let changed = true; changed; ) {
    changed = false;
    for (const table of schema.tables) {
      for (const fk of table.foreignKeys) {
        fk.columns.forEach((name, i) => {
          const key = draftOf(fk.referencedTable, fk.referencedColumns[i]!);
          const column = draftOf(table.name, name);
          if (!key || !column || key.rule === 'keep' || column.rule === key.rule) return;
          Object.assign(column, {
            rule: key.rule,
            flagged: true,
            reason: `follows its key ${rootOf(fk.referencedTable)}.${key.column}`,
          });
          changed = true;
        });
      }
    }
  }
}
