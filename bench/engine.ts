/**
 * What the benchmark needs from each engine: a throwaway source of N accounts and 2N orders
 * generated server-side, an empty target with the same indexed schema, the raw unmasked copy as
 * a shell pipeline, and the checks that a run really copied (and masked) the rows.
 */
import { randomBytes } from 'node:crypto';

export type EngineName = 'pg' | 'mysql';

export interface TargetCounts {
  accounts: number;
  orders: number;
  /** Target emails that still carry the source's domain: unmasked rows (0 after masque). */
  sourceEmails: number;
}

export interface BenchDatabases {
  readonly sourceUrl: string;
  readonly targetUrl: string;
  /** Bytes of both source tables with their indexes, the basis of MB/s. */
  sourceBytes(): number;
  /** The raw unmasked copy into the target as bash scripts run in turn, by what each copies. */
  rawSteps(): Record<string, string>;
  /** Empties the target and settles the server, so every timed run starts alike. */
  resetTarget(): void;
  targetCounts(): TargetCounts;
  drop(): void;
}

export interface BenchEngine {
  readonly name: EngineName;
  /** What the raw baseline is, for the printed table. */
  readonly rawLabel: string;
  readonly defaultN: number;
  /** The smaller N of the scaling run (which also runs 5N). */
  readonly defaultScalingN: number;
  /** Creates and fills the source, creates the empty target. Synchronous: it is setup, not timed. */
  create(n: number): BenchDatabases;
}

/** Source emails end in this domain; masque's fakes never do (they use example.com). */
export const SOURCE_DOMAIN = 'mail.test';

/** Made-up, not personal: enough variety that names and notes are not one repeated string. */
export const FIRST_NAMES = [
  'Anna',
  'Ben',
  'Chloé',
  'David',
  'Elif',
  'Farid',
  'Grace',
  'Hugo',
  'Ines',
  'Jonas',
  'Keiko',
  'Liam',
  'Mia',
  'Noah',
  'Olga',
  'Paul',
  'Rosa',
  'Sven',
  'Tariq',
  'Zoë',
];
export const LAST_NAMES = [
  'Adams',
  'Becker',
  'Costa',
  'Dubois',
  'Eriksen',
  'Fischer',
  'García',
  'Hansen',
  'Ivanova',
  'Jensen',
  'Kowalski',
  'Lambert',
  'Müller',
  'Novak',
  "O'Brien",
  'Petrov',
  'Quinn',
  'Rossi',
  'Schmidt',
  'Tanaka',
  'Umarov',
  'Vargas',
  'Weber',
  'Xu',
  'Yilmaz',
];
export const NOTES = [
  'Leave the parcel with the neighbour at number 12',
  'Call before delivery, the bell is broken',
  'Gift wrap please, it is a birthday present',
  'Deliver to the back door after 6 pm',
  'Invoice to the company address, VAT ID on file',
  'Customer asked for a refund of the shipping fee',
  'Fragile: glass inside, handle with care',
];

/** SQL string literals of a list, comma-separated (both engines quote alike with ''). */
export function sqlList(values: readonly string[]): string {
  return values.map((v) => `'${v.replaceAll("'", "''")}'`).join(', ');
}

/** `masque_bench_<role>_<random>`: throwaway, never clashing with another engineer's run. */
export function benchDatabaseName(role: 'src' | 'dst'): string {
  return `masque_bench_${role}_${randomBytes(3).toString('hex')}`;
}
