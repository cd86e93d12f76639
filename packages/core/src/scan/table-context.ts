import type { DatabaseSchema, TableInfo } from '../dialects/schema.ts';
import {
  CONTEXTUAL_KINDS,
  kindByName,
  nameWords,
  PEOPLE_ONLY_KINDS,
  PERSON_KINDS,
  type PersonalKind,
} from './name-signals.ts';
import { kindFits } from './personal-kinds.ts';

/** What a table is about, judged by its column names and keys: it decides contextual kinds. */
export interface TableContext {
  /** Names a person: first/last name, email, phone, birth date… */
  people: boolean;
  /** Holds street addresses. */
  addresses: boolean;
  /** The table of people it references, when it records what a person did (rental → customer). */
  activityOf?: string;
  /**
   * A table of businesses (suppliers, shippers, vendors), by its name: its company name, address
   * and home page are the business's, not a person's; its contact's name and title still are.
   */
  business?: boolean;
}

/** Words of table names that say its rows are businesses, in several languages. */
const BUSINESS_WORDS = new Set(
  (
    'supplier suppliers vendor vendors shipper shippers carrier carriers manufacturer manufacturers brand brands ' +
    'company companies organisation organisations organization organizations lieferant lieferanten hersteller ' +
    'spediteur fournisseur fournisseurs transporteur proveedor proveedores fabricante fabricantes fornitore fornitori'
  ).split(' '),
);

/** What a business is, not who: kinds a table of businesses holds about itself. */
const BUSINESS_KINDS: ReadonlySet<PersonalKind> = new Set([
  'company',
  'name',
  'address',
  'address2',
  'city',
  'state',
  'postalCode',
  'country',
  'photo',
]);

/** Contexts of every table, by qualified name. Partitions share their parent's. */
export function tableContexts(
  schema: DatabaseSchema,
  extraPeople: ReadonlySet<string> = new Set(),
): Map<string, TableContext> {
  const rootOf = (name: string): string => schema.tables.find((t) => t.name === name)?.partitionOf ?? name;
  const contexts = new Map<string, TableContext>();
  for (const table of schema.tables) {
    const kinds = table.columns.map((c) => fittingKind(table, c.name));
    contexts.set(table.name, {
      people: extraPeople.has(table.name) || kinds.some((k) => k !== undefined && PERSON_KINDS.has(k)),
      addresses: kinds.some((k) => k === 'address' || k === 'address2'),
      business: nameWords(table.table).some((w) => BUSINESS_WORDS.has(w)),
    });
  }
  for (const table of schema.tables) {
    const context = contexts.get(rootOf(table.name))!;
    for (const fk of table.foreignKeys) {
      const parent = rootOf(fk.referencedTable);
      // What a business (a supplier) did is no person's activity: its prices are no one's amounts.
      const people = contexts.get(parent);
      if (parent !== rootOf(table.name) && people?.people && !people.business) context.activityOf ??= parent;
    }
  }
  for (const table of schema.tables)
    if (table.partitionOf) contexts.set(table.name, contexts.get(table.partitionOf) ?? contexts.get(table.name)!);
  return contexts;
}

/** The kind a column's name suggests, if its type can hold that kind at all. */
export function fittingKind(table: TableInfo, columnName: string): PersonalKind | undefined {
  const column = table.columns.find((c) => c.name === columnName);
  const kind = kindByName(columnName);
  return column && kind && kindFits(kind, column) ? kind : undefined;
}

/**
 * The kind a column's name suggests where it stands: contextual kinds (city, country, company,
 * a bare `name`) count only in a table of people or of addresses (`name` only among people).
 */
export function kindInContext(
  table: TableInfo,
  columnName: string,
  context: TableContext | undefined,
): PersonalKind | undefined {
  const kind = fittingKind(table, columnName);
  if (kind && context?.business && BUSINESS_KINDS.has(kind)) return undefined;
  if (!kind || !CONTEXTUAL_KINDS.has(kind)) return kind;
  if (PEOPLE_ONLY_KINDS.has(kind)) return context?.people ? kind : undefined;
  return context?.people || context?.addresses ? kind : undefined;
}
