import type { Faker } from '@faker-js/faker';
import { ConfigError } from '../errors.ts';
import { newFaker } from '../transformers/faker-locales.ts';
import { createSampleFile } from './sample-schema.ts';

// The empty "staging" schema is the demo's other half: one import for both.
export { createSampleSchema } from './sample-schema.ts';

export interface SampleOptions {
  /** Number of customers; each gets 1–2 addresses and 0–5 orders. Default 200. */
  customers?: number;
  /** Faker seed: the same seed gives the same file, byte for byte in its rows. Default 42. */
  seed?: number;
}

export interface SampleSummary {
  /** Rows written per table. */
  tables: Record<string, number>;
}

/** Every date is relative to this one instead of "now", so a seed always gives the same rows. */
const REFERENCE_DATE = new Date('2025-06-01T12:00:00Z');

const statuses = [
  { weight: 55, value: 'delivered' },
  { weight: 15, value: 'shipped' },
  { weight: 12, value: 'paid' },
  { weight: 8, value: 'pending' },
  { weight: 7, value: 'cancelled' },
  { weight: 3, value: 'refunded' },
];

interface Customer {
  first: string;
  last: string;
  email: string;
  phone: string;
  birthDate: string;
  createdAt: Date;
  notes: string | null;
}

/** `YYYY-MM-DD HH:MM:SS` in UTC, SQLite's own DATETIME text form. */
function dateTime(date: Date): string {
  return date.toISOString().slice(0, 19).replace('T', ' ');
}

/** An address made from the name, unique without regard to case, as the login would need. */
function uniqueEmail(faker: Faker, first: string, last: string, taken: Set<string>): string {
  for (let attempt = 0; attempt < 50; attempt++) {
    const email = faker.internet.email({ firstName: first, lastName: last });
    if (!taken.has(email.toLowerCase())) {
      taken.add(email.toLowerCase());
      return email;
    }
  }
  const fallback = `${first}.${last}.${taken.size}@example.com`.replace(/[^\w.@-]/g, '');
  taken.add(fallback.toLowerCase());
  return fallback;
}

function makeCustomer(faker: Faker, taken: Set<string>): Customer {
  const sex = faker.person.sexType();
  const first = faker.person.firstName(sex);
  const last = faker.person.lastName();
  const email = uniqueEmail(faker, first, last, taken);
  const phone = faker.phone.number();
  // Free text is where personal data hides in real systems; the demo's rules must catch it.
  const notes = faker.helpers.maybe(
    () =>
      faker.helpers.arrayElement([
        `Prefers to be called ${first}. Call back on ${phone}.`,
        `Asked to send invoices to ${email} only.`,
        `Moved from ${faker.location.city()} last year.`,
        `Complained about a late delivery; offered a voucher.`,
      ]),
    { probability: 0.3 },
  );
  return {
    first,
    last,
    email,
    phone,
    birthDate: faker.date.birthdate({ mode: 'age', min: 18, max: 90 }).toISOString().slice(0, 10),
    createdAt: faker.date.past({ years: 5 }),
    notes: notes ?? null,
  };
}

/**
 * Builds the demo's sample "production" database at `path` (replacing any file there):
 * realistic customers with addresses and orders, made by a seeded faker so the same options
 * always give the same rows. Ids follow creation and order time, as they would in a live system.
 */
export function buildSampleDatabase(path: string, options: SampleOptions = {}): SampleSummary {
  const count = options.customers ?? 200;
  if (!Number.isSafeInteger(count) || count < 0)
    throw new ConfigError(`customers must be a whole number of at least 0, not ${count}`);
  const faker = newFaker('en', {});
  faker.seed(options.seed ?? 42);
  faker.setDefaultRefDate(REFERENCE_DATE);

  const taken = new Set<string>();
  const customers = Array.from({ length: count }, () => makeCustomer(faker, taken)).sort(
    (a, b) => a.createdAt.getTime() - b.createdAt.getTime(),
  );
  const addresses: unknown[][] = [];
  const orders: { customerId: number; at: Date; amount: number; status: string }[] = [];
  customers.forEach((customer, index) => {
    const customerId = index + 1;
    for (let n = faker.number.int({ min: 1, max: 2 }); n > 0; n--) {
      // Mostly domestic, as a shop's customers are; the zip format is the locale's either way.
      const country = faker.helpers.weightedArrayElement([
        { weight: 8, value: 'United States' },
        { weight: 2, value: faker.location.country() },
      ]);
      addresses.push([
        addresses.length + 1,
        customerId,
        faker.location.streetAddress(),
        faker.location.city(),
        faker.location.zipCode(),
        country,
      ]);
    }
    for (let n = faker.number.int({ min: 0, max: 5 }); n > 0; n--) {
      orders.push({
        customerId,
        at: faker.date.between({ from: customer.createdAt, to: REFERENCE_DATE }),
        amount: Number(faker.finance.amount({ min: 5, max: 500, dec: 2 })),
        status: faker.helpers.weightedArrayElement(statuses),
      });
    }
  });
  orders.sort((a, b) => a.at.getTime() - b.at.getTime());

  const db = createSampleFile(path);
  try {
    db.exec('BEGIN');
    const insertCustomer = db.prepare('INSERT INTO customer VALUES (?, ?, ?, ?, ?, ?, ?, ?)');
    for (const [i, c] of customers.entries()) {
      insertCustomer.run(i + 1, c.first, c.last, c.email, c.phone, c.birthDate, dateTime(c.createdAt), c.notes);
    }
    const insertAddress = db.prepare('INSERT INTO address VALUES (?, ?, ?, ?, ?, ?)');
    for (const address of addresses) insertAddress.run(...address);
    const insertOrder = db.prepare('INSERT INTO orders VALUES (?, ?, ?, ?, ?)');
    for (const [i, o] of orders.entries()) insertOrder.run(i + 1, o.customerId, dateTime(o.at), o.amount, o.status);
    db.exec('COMMIT');
  } finally {
    // Closing with the transaction still open (after an error) rolls it back.
    db.close();
  }
  return { tables: { customer: customers.length, address: addresses.length, orders: orders.length } };
}
