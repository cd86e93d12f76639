import type { Value } from '../dialects/dialect.ts';
import type { DatabaseSchema, TableInfo } from '../dialects/schema.ts';
import { formatName } from '../names.ts';
import { MAX_MENTION_COLUMNS, MentionSet } from '../transformers/mention-set.ts';
import { replaceMentions } from '../transformers/mentions.ts';
import type { PersonalKind } from './name-signals.ts';
import { ruleForKind } from './personal-kinds.ts';
import { masksValueAlone } from './rule-text.ts';
import type { ColumnDraft, Samples, TableDraft } from './suggest-rules.ts';

/**
 * Free text (notes, comments, descriptions) is kept unless its sample names people the draft
 * masks elsewhere: then it gets `mentions`, which replaces those names with their masked values
 * and keeps the rest. Evidence is what only a person's mention looks like: a whole name (the
 * first and last name of one sampled row together, or a full-name column's value), an email, a
 * phone number, a company name of two words or more. A single first name is no evidence (a film
 * about a Hunter); `mentions` still replaces single capitalised names at run time.
 */

/** Kinds whose values, found in a note, say it names someone. */
const EVIDENCE: ReadonlySet<PersonalKind> = new Set(['fullName', 'name', 'email', 'phone', 'company']);

interface Reference {
  table: TableInfo;
  column: ColumnDraft;
}

/** A column as `mentions` names it: `schema.table.column`, quoted where a part needs it. */
const qualified = ({ table, column }: Reference) =>
  formatName([...(table.schema === undefined ? [] : [table.schema]), table.table, column.column]);

/** The rule a referenced column's values take inside text: its own, when it masks values one by one. */
function nestedRule({ table, column }: Reference): string | undefined {
  if (masksValueAlone(column.rule)) return column.rule;
  const info = table.columns.find((c) => c.name === column.column);
  // A group member or a template (an email made from names): the kind's own transformer.
  const own = column.kind && info ? ruleForKind(column.kind, info) : undefined;
  return own && masksValueAlone(own) ? own : undefined;
}

export function proposeMentions(schema: DatabaseSchema, drafts: TableDraft[], samples: Samples): void {
  const prose = drafts.flatMap((d) => d.columns.filter((c) => c.freeText).map((c) => ({ draft: d, column: c })));
  if (!prose.length) return;
  // Evidence, by index in the set: the columns a match names.
  const evidence: Reference[][] = [];
  const set = new MentionSet(1_000_000);
  const learn = (refs: Reference[], values: Iterable<string>) => {
    if (evidence.length >= MAX_MENTION_COLUMNS) return;
    for (const value of values) set.add(value, evidence.length);
    evidence.push(refs);
  };
  for (const draft of drafts) {
    const table = schema.tables.find((t) => t.name === draft.table);
    if (!table) continue;
    const sampled = (c: ColumnDraft): Value[] => samples.get(draft.table)?.get(c.column) ?? [];
    const masked = draft.columns.filter((c) => c.flagged && c.rule !== 'keep' && c.kind);
    for (const column of masked.filter((c) => EVIDENCE.has(c.kind!))) {
      const values = sampled(column).filter((v): v is string => typeof v === 'string');
      learn(
        [{ table, column }],
        values.filter((v) => /\s|@|\d/.test(v.trim())),
      );
    }
    const first = masked.find((c) => c.kind === 'firstName');
    const last = masked.find((c) => c.kind === 'lastName');
    if (first && last) {
      const [firsts, lasts] = [sampled(first), sampled(last)];
      const names = firsts.flatMap((f, i) => (f && lasts[i] ? [`${f} ${lasts[i]}`] : []));
      learn(
        [
          { table, column: first },
          { table, column: last },
        ],
        names,
      );
    }
  }
  set.seal();
  for (const { draft, column } of prose) {
    const texts = (samples.get(draft.table)?.get(column.column) ?? []).filter(
      (v): v is string => typeof v === 'string',
    );
    const named = new Set<number>();
    let rows = 0;
    for (const text of texts) {
      let found = false;
      replaceMentions(text, set, (index, words) => {
        // A single word that is a company's name may be any word: only longer mentions count.
        if (/\s|@|\d/.test(words)) {
          found = true;
          named.add(index);
        }
        return words;
      });
      if (found) rows++;
    }
    if (!rows) {
      column.reason = `${column.reason}; no person named in ${texts.length} sampled row(s): kept, review it`;
      continue;
    }
    const refs = [...new Map([...named].flatMap((i) => evidence[i]!).map((r) => [qualified(r), r])).entries()];
    const of = refs.flatMap(([name, ref]) => {
      const rule = nestedRule(ref);
      return rule ? [`${JSON.stringify(name)}: ${rule}`] : [];
    });
    if (!of.length) continue;
    const people = refs.map(([n]) => n).join(', ');
    Object.assign(column, {
      rule: `{ transform: mentions, of: { ${of.join(', ')} } }`,
      reason: `free text: ${rows} of ${texts.length} sampled rows name people of ${people}; masked names replace them`,
      flagged: true,
      category: 'mentions',
    });
  }
}
