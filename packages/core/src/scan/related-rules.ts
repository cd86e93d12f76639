import type { Value } from '../dialects/dialect.ts';
import type { DatabaseSchema, TableInfo } from '../dialects/schema.ts';
import { isKey, isReferenced } from './date-rules.ts';
import { nameWords, type PersonalKind } from './name-signals.ts';
import type { ColumnDraft, Samples, TableDraft } from './suggest-rules.ts';

/**
 * Columns of one table that belong together, made to agree in the draft: an address's street,
 * city, state, postal code and country drawn as one (`group:`), and an email made from the masked
 * names beside it (`{{masked.…}}`), or, where a username or full name derives from the names too,
 * the whole person drawn as one. Only columns the draft masks with the kind's own transformer are
 * touched, and never a key column: a foreign key could not follow a rule that reads its row.
 */

/** The transformer each kind of an address takes, as a member of an address group. */
const ADDRESS_MEMBERS: Partial<Record<PersonalKind, string>> = {
  address: 'location.streetAddress',
  city: 'location.city',
  state: 'location.state',
  country: 'location.country',
  postalCode: 'location.zipCode',
};

/** Words of address column names that say what part it is: the rest (`billing`) names the address. */
const ADDRESS_WORDS = new Set(
  'address street line city town state province region district county country postal zip code post plz'.split(' '),
);

/** Plain column names, written into templates as they are. */
const SIMPLE_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;

export function relateColumns(schema: DatabaseSchema, drafts: TableDraft[], samples: Samples): void {
  for (const draft of drafts) {
    const table = schema.tables.find((t) => t.name === draft.table);
    if (!table) continue;
    const free = (c: ColumnDraft) =>
      !c.generated &&
      !isKey(table, c.column) &&
      !isReferenced(schema, table, c.column) &&
      category(table, c) === 'text';
    const sampled = (c: ColumnDraft) => samples.get(table.name)?.get(c.column) ?? [];
    groupAddresses(draft.columns.filter(free), sampled);
    relatePerson(table, draft.columns.filter(free), sampled);
  }
}

const category = (table: TableInfo, c: ColumnDraft) => table.columns.find((i) => i.name === c.column)?.category;

/**
 * One group per address of the table (`BillingCity`, `BillingState` … form `billing_address`),
 * when it has a city and a state, postal code or country to agree with: a real city of one
 * country, in its region, with its postal code. A state written as a code (`SP`, `WA`) stays one.
 */
function groupAddresses(columns: ColumnDraft[], sampled: (c: ColumnDraft) => Value[]): void {
  const addresses = new Map<string, ColumnDraft[]>();
  for (const column of columns) {
    const member = column.kind && ADDRESS_MEMBERS[column.kind];
    if (!member || column.rule !== member) continue;
    const words = nameWords(column.column);
    while (words.length && ADDRESS_WORDS.has(words.at(-1)!)) words.pop();
    const name = words.length ? `${words.join('_')}_address` : 'address';
    addresses.set(name, [...(addresses.get(name) ?? []), column]);
  }
  for (const [group, members] of addresses) {
    const kinds = new Set(members.map((c) => c.kind));
    if (!kinds.has('city') || !['state', 'postalCode', 'country'].some((k) => kinds.has(k as PersonalKind))) continue;
    for (const column of members) {
      const codes = column.kind === 'state' && mostly(sampled(column), (t) => /^[A-Z]{2,3}$/.test(t));
      column.rule = `{ transform: ${column.rule}, group: ${group}${codes ? ', abbreviated: true' : ''} }`;
      column.reason = `${column.reason}; one real address with the row's other address columns`;
    }
  }
}

/**
 * Beside masked names, an email made from them (`rex.boyle@example.com`, upper case where the
 * sampled addresses are); where a username or full name must agree with the names as well, the
 * person is drawn as one group. Names that may be NULL leave the email as it is: a template would
 * write `.boyle@example.com`.
 */
function relatePerson(table: TableInfo, columns: ColumnDraft[], sampled: (c: ColumnDraft) => Value[]): void {
  const ofKind = (kind: PersonalKind, rule: string) => columns.find((c) => c.kind === kind && c.rule === rule);
  const first = ofKind('firstName', 'person.firstName');
  const last = ofKind('lastName', 'person.lastName');
  const full = ofKind('fullName', 'person.fullName') ?? ofKind('name', 'person.fullName');
  const username = ofKind('username', 'internet.username');
  const emails = columns.filter((c) => c.kind === 'email' && c.rule === 'email');
  if (first && last && (username || full)) {
    for (const column of [first, last, full, username, ...emails]) {
      if (!column) continue;
      column.rule = `{ transform: ${column.rule}, group: person }`;
      column.reason = `${column.reason}; one person with the row's other name columns`;
    }
    return;
  }
  const names = first && last ? [first, last] : full ? [full] : [];
  const notNull = (c: ColumnDraft) => table.columns.find((i) => i.name === c.column)?.nullable === false;
  if (!names.length || !names.every((c) => notNull(c) && SIMPLE_NAME.test(c.column))) return;
  for (const email of emails) {
    const upper = mostly(sampled(email), (t) => /[A-Z]/.test(localPart(t)) && !/[a-z]/.test(localPart(t)));
    const filters = upper ? ' | slug | upper' : ' | slug';
    const local = names.map((c) => `{{masked.${c.column}${filters}}}`).join('.');
    email.rule = `{ transform: template, template: ${JSON.stringify(`${local}@example.com`)} }`;
    email.reason = `${email.reason}; made from the masked ${names.map((c) => c.column).join(' and ')}`;
  }
}

const localPart = (address: string): string => address.slice(0, Math.max(0, address.lastIndexOf('@')));

/** True when at least half of the sampled non-blank text values pass `test`. */
function mostly(values: readonly Value[], test: (text: string) => boolean): boolean {
  const texts = values.filter((v): v is string => typeof v === 'string' && v.trim() !== '');
  return texts.length > 0 && texts.filter(test).length * 2 >= texts.length;
}
