import type { ColumnInfo, TypeCategory } from '../dialects/schema.ts';
import type { PersonalKind } from './name-signals.ts';

/** How a kind is described in reasons and warnings. */
export const KIND_LABELS: Record<PersonalKind, string> = {
  email: 'an email address',
  password: 'a password or its hash',
  username: 'a user name',
  nationalId: 'a national or tax id',
  iban: 'a bank account (IBAN)',
  card: 'a payment card number',
  ip: 'an IP address',
  birthDate: 'a date of birth',
  phone: 'a phone number',
  firstName: 'a first name',
  lastName: 'a last name',
  middleName: 'a middle name',
  fullName: "a person's name",
  address2: 'an address line',
  address: 'a street address',
  postalCode: 'a postal code',
  city: 'a city',
  state: 'a state or district',
  country: 'a country',
  company: 'a company name',
  name: "a person's name",
  photo: 'a photo',
  salary: 'a salary',
  jobTitle: 'a job title',
  courtesy: 'a title of courtesy',
  extension: 'a phone extension',
};

const TEXT: TypeCategory[] = ['text'];

/**
 * Transformers to suggest per kind, best first, each with the column types it can write. The
 * first one that fits the column is used; a kind whose choices fit nothing is not suggested.
 */
const CHOICES: Record<PersonalKind, [string, TypeCategory[]][]> = {
  email: [['email', TEXT]],
  password: [['hash', TEXT]],
  username: [['internet.username', TEXT]],
  nationalId: [['scramble', ['text', 'integer', 'decimal']]],
  iban: [
    ['finance.iban', TEXT],
    ['scramble', ['integer', 'decimal']],
  ],
  card: [
    ['finance.creditCardNumber', TEXT],
    ['scramble', ['integer', 'decimal']],
  ],
  ip: [['internet.ip', TEXT]],
  birthDate: [['{ transform: dateShift, days: 365 }', ['date', 'timestamp']]],
  // `phone` keeps the input's layout (`030-0074321` stays `NNN-NNNNNNN`); faker's numbers are American.
  phone: [
    ['phone', TEXT],
    ['scramble', ['integer', 'decimal']],
  ],
  firstName: [['person.firstName', TEXT]],
  lastName: [['person.lastName', TEXT]],
  middleName: [['person.middleName', TEXT]],
  fullName: [['person.fullName', TEXT]],
  name: [['person.fullName', TEXT]],
  address2: [['location.secondaryAddress', TEXT]],
  address: [['location.streetAddress', TEXT]],
  postalCode: [
    ['location.zipCode', TEXT],
    ['scramble', ['integer']],
  ],
  city: [['location.city', TEXT]],
  state: [['location.state', TEXT]],
  country: [['location.country', TEXT]],
  company: [['company.name', TEXT]],
  photo: [['null', ['binary', 'text', 'other']]],
  salary: [['{ transform: noise, percent: 10 }', ['integer', 'decimal', 'float']]],
  jobTitle: [['person.jobTitle', TEXT]],
  courtesy: [['person.prefix', TEXT]],
  extension: [['scramble', ['text', 'integer']]],
};

/** The rule to suggest for a column of this kind, or undefined when no transformer fits its type. */
export function ruleForKind(kind: PersonalKind, column: ColumnInfo): string | undefined {
  for (const [rule, categories] of CHOICES[kind]) {
    if (!categories.includes(column.category)) continue;
    // NULL cannot go into a NOT NULL column.
    if (rule === 'null' && !column.nullable) continue;
    return rule;
  }
  return undefined;
}

/** Whether a column of this type can hold this kind of value at all (a boolean `mobile` cannot). */
export function kindFits(kind: PersonalKind, column: ColumnInfo): boolean {
  return CHOICES[kind].some(([, categories]) => categories.includes(column.category));
}
