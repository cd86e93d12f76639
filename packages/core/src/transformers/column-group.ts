import type { Row, Value } from '../dialects/dialect.ts';
import { drawAddress, type Address } from './address-group.ts';
import { fakerFor } from './faker-method.ts';
import { textOf } from './fit.ts';
import type { KeyedHash } from './keyed-hash.ts';
import { drawPerson, type Person } from './person-group.ts';

/**
 * The columns of one table that share a `group:` name: one keyed draw over all their source
 * values makes one person and one address, and each column takes its part of them, so a row's
 * names, email and username, or its street, city, region, postal code and country, agree. The
 * person and the address come from two halves of the digest, each made only when a column asks,
 * so neither depends on which column is masked first.
 *
 * The draw is kept for the next column of the same row: it is a pure function of the group's
 * inputs, so it is reused whenever they are equal to the last ones (compared as they are, no key
 * built), which makes the second and later columns of a row cost a few comparisons.
 */
export class ColumnGroup {
  private readonly last: Value[];
  private fresh = false;
  private digest: Buffer = Buffer.alloc(32);
  private person: Person | undefined;
  private address: Address | undefined;
  private readonly variants: ColumnGroup[] = [];

  constructor(
    /** The group's name, as written in the rules. */
    readonly name: string,
    /** Indexes in the row of the group's columns: their source values are the draw's input. */
    private readonly inputs: readonly number[],
    private readonly keyed: KeyedHash,
    /** faker's locale key (`de_AT`). */
    readonly locale: string,
  ) {
    this.last = new Array(inputs.length);
  }

  /** The same group drawing under the domain `…#attempt`: another person and address, for unique repairs. */
  variant(attempt: number): ColumnGroup {
    this.variants[attempt] ??= new ColumnGroup(
      this.name,
      this.inputs,
      this.keyed.forDomain(`group ${this.name}#${attempt}`),
      this.locale,
    );
    return this.variants[attempt];
  }

  /** The person of this row's inputs. */
  personOf(row: Row): Person {
    this.sync(row);
    if (!this.person) {
      const { faker, random } = fakerFor(this.locale);
      random.reseed(this.digest);
      this.person = drawPerson(faker);
    }
    return this.person;
  }

  /** The address of this row's inputs. */
  addressOf(row: Row): Address {
    this.sync(row);
    if (!this.address) {
      const { faker, random } = fakerFor(this.locale);
      random.reseed(this.digest.subarray(16));
      this.address = drawAddress(faker, random, this.locale);
    }
    return this.address;
  }

  /** Keyed bytes of the row's inputs, for numbers a column adds (unique variants). */
  digestOf(row: Row): Buffer {
    this.sync(row);
    return this.digest;
  }

  /** Recomputes the digest when the row's inputs differ from the last ones. */
  private sync(row: Row): void {
    const { inputs, last } = this;
    let same = this.fresh;
    for (let i = 0; same && i < inputs.length; i++) same = row[inputs[i]!] === last[i];
    if (same) return;
    let message = '';
    for (let i = 0; i < inputs.length; i++) {
      const value = row[inputs[i]!] ?? null;
      last[i] = value;
      // Length-prefixed, so that no two different lists of values give the same message.
      message += value === null ? '-;' : `${textOf(value).length}:${textOf(value)};`;
    }
    this.digest = this.keyed.digest(message);
    this.person = undefined;
    this.address = undefined;
    this.fresh = true;
  }
}
