import { z } from 'zod';
import type { Row, Value } from '../dialects/dialect.ts';
import type { ColumnInfo } from '../dialects/schema.ts';
import type { Address } from './address-group.ts';
import { ADDRESS_LOCALES, addressCountry } from './address-data.ts';
import type { ColumnGroup } from './column-group.ts';
import type { Transform } from './define-transformer.ts';
import { fakerLocaleNames } from './faker-locales.ts';
import { fitColumn } from './fit.ts';
import { pick } from './keyed-hash.ts';
import { applyCase, inShapeOf, isBlank, letterCase, shapeParam } from './shape.ts';
import type { Person } from './person-group.ts';

/**
 * What a column of a group (`group: NAME`) can be: the transformer names a rule already uses for
 * such a column, each taking its part of the group's person or address. A name outside this list
 * in a group is a config error, since it could not agree with the others.
 */
export interface GroupMember {
  kind: 'person' | 'address';
  params: z.ZodType;
  /**
   * Builds the column's transform. `attempt` ≥ 1 builds a variant that repairs a unique
   * collision: an email or username gets a number (same person), any other part comes from
   * another draw.
   */
  create(params: unknown, column: ColumnInfo, group: ColumnGroup, attempt: number): Transform;
}

/** Reserved for documentation (RFC 2606), as the `email` transformer's default. */
const DEFAULT_DOMAIN = 'example.com';

/** Members take `shape` (on by default): the invented part in the letter case of the value it replaces. */
const none = z.strictObject({ shape: shapeParam() });

/** The invented text in the shape of the input, when the rule keeps shapes. */
const shaped = (params: unknown, input: Exclude<Value, null>, invented: string): string =>
  (params as { shape: boolean }).shape ? inShapeOf(input, invented) : invented;

/**
 * A real place keeps its own spelling (`Freiburg im Breisgau`, `L'Aquila`): it takes only an
 * all-upper or all-lower input's case, never a title case that would raise its particles.
 */
function shapedPlace(params: unknown, input: Exclude<Value, null>, place: string): string {
  if (!(params as { shape: boolean }).shape || typeof input !== 'string') return place;
  if (isBlank(input)) return input;
  const inputCase = letterCase(input);
  return inputCase === 'upper' || inputCase === 'lower' ? applyCase(place, inputCase) : place;
}

function personPart(part: (person: Person) => string): GroupMember {
  return {
    kind: 'person',
    params: none,
    create: (params, column, group, attempt) => {
      const source = attempt ? group.variant(attempt) : group;
      return (value, row) =>
        value === null ? null : fitColumn(shaped(params, value, part(source.personOf(row))), column);
    },
  };
}

function addressPart(
  part: (address: Address, params: Record<string, unknown>) => string,
  params: z.ZodType = none,
): GroupMember {
  return {
    kind: 'address',
    params,
    create: (parsed, column, group, attempt) => {
      const source = attempt ? group.variant(attempt) : group;
      const options = parsed as Record<string, unknown>;
      return (value, row) =>
        value === null ? null : fitColumn(shapedPlace(parsed, value, part(source.addressOf(row), options)), column);
    },
  };
}

/** A number for the k-th variant of a row: 2 digits first, more as attempts go on. */
const variantNumber = (group: ColumnGroup, row: Row, attempt: number): string =>
  String(pick(group.variant(attempt).digestOf(row), 10 ** Math.min(1 + attempt, 9)));

const email: GroupMember = {
  kind: 'person',
  params: z.strictObject({
    domain: z
      .string()
      .regex(/^(?:[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?\.)+[A-Za-z][A-Za-z0-9-]{0,61}[A-Za-z0-9]$/)
      .optional()
      .describe(`Domain of the addresses (default ${DEFAULT_DOMAIN}).`),
    shape: shapeParam(),
  }),
  create: (params, column, group, attempt) => {
    const { domain = DEFAULT_DOMAIN, shape } = params as { domain?: string; shape: boolean };
    return (value, row) => {
      if (value === null) return null;
      if (shape && typeof value === 'string' && isBlank(value)) return value;
      let local = group.personOf(row).emailLocal;
      if (attempt) local += variantNumber(group, row, attempt);
      // The local part takes the case of the input's (`MARY.SMITH@…` → `REX.BOYLE@example.com`).
      if (shape && typeof value === 'string') {
        const at = value.lastIndexOf('@');
        const inputLocal = at < 0 ? value : value.slice(0, at);
        if (!isBlank(inputLocal)) local = inShapeOf(inputLocal, local);
      }
      // Shortens the local part, not the domain, when the column is short.
      const room = column.maxLength === undefined ? local.length : column.maxLength - domain.length - 1;
      return fitColumn(`${room > 0 ? local.slice(0, room) : local}@${domain}`, column);
    };
  },
};

const username: GroupMember = {
  kind: 'person',
  params: none,
  create: (params, column, group, attempt) => (value, row) => {
    if (value === null) return null;
    const name = group.personOf(row).username;
    return fitColumn(shaped(params, value, attempt ? name + variantNumber(group, row, attempt) : name), column);
  },
};

export const GROUP_MEMBERS: Readonly<Record<string, GroupMember>> = {
  'person.firstName': personPart((p) => p.firstName),
  'person.lastName': personPart((p) => p.lastName),
  'person.fullName': personPart((p) => p.fullName),
  email,
  'internet.email': email,
  'internet.username': username,
  'location.streetAddress': addressPart((a) => a.street),
  'location.city': addressPart((a) => a.city),
  'location.state': addressPart(
    (a, options) => (options.abbreviated ? a.regionCode : a.region),
    z.strictObject({
      abbreviated: z.boolean().optional().describe('The region code (`CA`, `BY`) instead of its name.'),
      shape: shapeParam(),
    }),
  ),
  'location.zipCode': addressPart((a) => a.postalCode),
  'location.country': addressPart((a) => a.country),
  'location.countryCode': addressPart((a) => a.countryCode),
};

/** Why a group cannot have this member in this locale, or undefined when it can. */
export function groupMemberProblem(transform: string, locale: string): string | undefined {
  const member = GROUP_MEMBERS[transform];
  if (!member) {
    return `${transform} cannot be part of a group (a group's columns are ${Object.keys(GROUP_MEMBERS).join(', ')})`;
  }
  if (!fakerLocaleNames().includes(locale)) return `unknown faker locale "${locale}"`;
  if (member.kind === 'address' && !addressCountry(locale)) {
    return `no address data for locale "${locale}" (address groups know ${ADDRESS_LOCALES.join(', ')})`;
  }
  return undefined;
}
