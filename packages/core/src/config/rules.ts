import type { SourcePlace } from '../errors.ts';
import type { FilePlaces } from './file-places.ts';
import type { ColumnRuleInput, RulesFile, SubsetInput, TableRuleInput } from './rules-schema.ts';

/** The rules file, normalised: defaults applied, every shorthand spelt out, every rule placed. */
export interface Rules {
  /** The rules file's path as given, for messages. */
  file: string;
  source?: string;
  target?: string;
  /** HMAC key. Never print or log it. */
  secret?: string;
  /** Faker locale; default `en`. */
  locale: string;
  /** Every source column must be named by a rule; default true. */
  strict: boolean;
  /** Databases never to write to (production guard). */
  protect: string[];
  /** In file order. */
  tables: TableRule[];
  /** `subset:`: copy a referentially whole part of the source (docs/subsetting.md). */
  subset?: SubsetRule;
  /** `relations:`: foreign keys the schema does not declare, in file order. */
  relations?: RelationRule[];
}

/** `subset:`, spelt out. */
export interface SubsetRule {
  roots: SubsetRoot[];
  /** `all`: rows referencing a kept root row are kept, and so on down. */
  children: 'all' | 'none';
  /** Tables neither roots nor their children: whole (`all`) or only the rows kept rows reference. */
  others: 'all' | 'none';
  place: SourcePlace;
}

/** One root of the subset: a table pattern and its choice of rows. */
export interface SubsetRoot {
  pattern: string;
  where?: string;
  /** Share of the rows passing `where` to keep, in (0, 100]. */
  percent?: number;
  /** Most rows to keep, after `where` and `percent`. */
  limit?: number;
  /** Where the root's key is written. */
  place: SourcePlace;
  /** Where its `where` is written. */
  wherePlace?: SourcePlace;
}

/** One side of a declared relation: `table(a, b)`, read by readSubsetNames. */
export interface KeyRef {
  /** As written. */
  text: string;
  /** The table's name as the rules write names (`public.orders`, `"Odd Name"`). */
  table: string;
  /** Unquoted column names, in order. */
  columns: string[];
  place: SourcePlace;
}

/** A foreign key from `from` to `to` that the schema does not declare. */
export interface RelationRule {
  from: KeyRef;
  to: KeyRef;
  place: SourcePlace;
}

/** The rule for the tables one pattern names. */
export interface TableRule {
  /** Schema-qualified (`public.customer`), bare (`customer`) or a glob (`payment_p*`). */
  pattern: string;
  /** Copy no rows (`skip`, or `skip: true`); the target table is emptied. */
  skip: boolean;
  /** SQL row filter. */
  where?: string;
  columns: ColumnRule[];
  /** Where the table's key is written. */
  place: SourcePlace;
}

/** What a rule does to a value: a transformer and its parameters. */
export interface TransformRule {
  /** `keep`, `null`, or a transformer name (checked later, by the transformer registry). */
  transform: string;
  /** The transformer's own parameters, unvalidated here. */
  params: Record<string, unknown>;
  /** Consistency domain; default the transformer name. */
  consistent?: string;
}

/** The rule for one column. */
export interface ColumnRule extends TransformRule {
  column: string;
  unique?: boolean;
  /** SQL condition: the rule applies to rows where it holds. */
  when?: string;
  /** Set with `when`: the rule for the other rows (default `null`). */
  otherwise?: TransformRule;
  /** Columns of one table with the same group are generated together, from one draw. */
  group?: string;
  /** Where the column's key is written. */
  place: SourcePlace;
}

/** Spells out the parsed file (see rules-schema.ts) as `Rules`, placing each table and column. */
export function normalizeRules(data: RulesFile, places: FilePlaces): Rules {
  const rules: Rules = {
    file: places.file,
    locale: data.locale,
    strict: data.strict,
    protect: data.protect ?? [],
    tables: Object.entries(data.tables).map(([pattern, rule]) => normalizeTable(pattern, rule, places)),
  };
  // Optional fields are left out rather than set to undefined, so that spreading overrides and
  // comparing rules behave alike.
  if (data.source !== undefined) rules.source = data.source;
  if (data.target !== undefined) rules.target = data.target;
  if (data.secret !== undefined) rules.secret = data.secret;
  if (data.subset !== undefined) rules.subset = normalizeSubset(data.subset, places);
  if (data.relations !== undefined) {
    rules.relations = data.relations.map((relation, i) => {
      const side = (key: 'from' | 'to'): KeyRef => ({
        text: relation[key],
        table: '',
        columns: [],
        place: places.ofValue(['relations', i, key]),
      });
      return { from: side('from'), to: side('to'), place: places.ofValue(['relations', i]) };
    });
  }
  return rules;
}

function normalizeSubset(subset: SubsetInput, places: FilePlaces): SubsetRule {
  const roots = Object.entries(subset.roots).map(([pattern, choice]): SubsetRoot => {
    const root: SubsetRoot = { pattern, place: places.ofKey(['subset', 'roots', pattern]) };
    if (choice.where !== undefined) {
      root.where = choice.where;
      root.wherePlace = places.ofValue(['subset', 'roots', pattern, 'where']);
    }
    if (choice.percent !== undefined) root.percent = choice.percent;
    if (choice.limit !== undefined) root.limit = choice.limit;
    return root;
  });
  return { roots, children: subset.children, others: subset.others, place: places.ofKey(['subset']) };
}

function normalizeTable(pattern: string, rule: TableRuleInput, places: FilePlaces): TableRule {
  const place = places.ofKey(['tables', pattern]);
  if (rule === 'skip') return { pattern, skip: true, columns: [], place };
  const columns = Object.entries(rule.columns ?? {}).map(([column, columnRule]) =>
    normalizeColumn(column, columnRule, places.ofKey(['tables', pattern, 'columns', column])),
  );
  const table: TableRule = { pattern, skip: rule.skip ?? false, columns, place };
  if (rule.where !== undefined) table.where = rule.where;
  return table;
}

function normalizeColumn(column: string, rule: ColumnRuleInput, place: SourcePlace): ColumnRule {
  if (rule === null) return { column, transform: 'null', params: {}, place };
  if (typeof rule === 'string') return { column, transform: rule, params: {}, place };
  const { transform, unique, when, consistent, group, ...params } = rule;
  const normalized: ColumnRule = { column, transform, params, place };
  if (unique !== undefined) normalized.unique = unique;
  if (group !== undefined) normalized.group = group;
  if (consistent !== undefined) normalized.consistent = consistent;
  // Without `when`, an `otherwise` stays among the parameters, where the transformer refuses it.
  if (when !== undefined) {
    const { otherwise = null, ...own } = params;
    normalized.params = own;
    normalized.when = when;
    normalized.otherwise = otherwiseRule(otherwise, consistent);
  }
  return normalized;
}

/** `otherwise:` is written like a column rule (null, a name, or `{ transform, … }`) and shares the rule's domain. */
function otherwiseRule(written: unknown, consistent: string | undefined): TransformRule {
  let rule: TransformRule;
  if (written === null) rule = { transform: 'null', params: {} };
  else if (typeof written === 'string') rule = { transform: written, params: {} };
  else {
    const { transform, ...params } = written as { transform?: unknown };
    rule = { transform: String(transform), params };
  }
  if (consistent !== undefined) rule.consistent = consistent;
  return rule;
}
