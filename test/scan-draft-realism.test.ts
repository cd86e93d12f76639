/**
 * `masque scan`'s draft, run as written, gives staging data that still looks and behaves like
 * production (issue 18): on Pagila (PostgreSQL) and Chinook (MariaDB and SQLite), through the CLI,
 * the masked target keeps
 * - **date order:** two date columns ordered in every source row (`rental_date ≤ return_date`,
 *   `create_date ≤ last_update`, `BirthDate ≤ HireDate`) are ordered in every target row;
 * - **shape:** NULL stays NULL, `''` and blanks stay as they are, upper-case values stay upper
 *   case (Pagila's `MARY`), lower-case ones lower case, capitalised ones start upper case; phones
 *   keep their layout of digits and separators, and postal codes their pattern (those not drawn
 *   with their address's city, which takes that city's code);
 * - **whole words:** no value is cut mid-word to fit its column. Precisely: a written value must not
 *   be a strict prefix of what the same rule writes for the same input into a column without a
 *   length limit, with a letter or digit on both sides of the cut; and every value fits its column
 *   (which SQLite would not enforce);
 * - **determinism:** the same secret writes identical data; another secret other data.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseRules, resolveTransformer, type ColumnRule, type Rules, type Value } from '@masque/core';
import { createKeyedHash } from '../packages/core/src/transformers/keyed-hash.ts';
import { createPagilaSource, createPagilaTarget } from './support/databases.ts';
import { mariadb, sqlite } from './support/engines.ts';
import {
  caseless,
  charLength,
  cutMidWord,
  engineDb,
  isBlank,
  isLowerCase,
  isUpperCase,
  layout,
  postgresDb,
  startsCapitalised,
  type CatalogColumn,
  type RealismDb,
} from './support/realism.ts';
import { runCli } from './support/run-cli.ts';

const folder = mkdtempSync(join(tmpdir(), 'masque-realism-'));
afterAll(() => rmSync(folder, { recursive: true, force: true }));

interface Dataset {
  name: string;
  open(): Promise<[RealismDb, RealismDb]>;
  /** Date pairs (`table.a <= table.b`) the source orders in every row, at least these. */
  orderedPairs: string[];
  /** The source has `''` or blank values in masked columns (Chinook has NULLs only). */
  blanks: boolean;
}

const datasets: Dataset[] = [
  {
    name: 'Pagila on PostgreSQL',
    open: async () => {
      const [source, target] = await Promise.all([createPagilaSource(), createPagilaTarget()]);
      return [postgresDb(source), postgresDb(target)];
    },
    orderedPairs: ['rental.rental_date <= rental.return_date', 'customer.create_date <= customer.last_update'],
    blanks: true,
  },
  ...[mariadb, sqlite].map((engine) => ({
    name: `Chinook on ${engine.name}`,
    open: async (): Promise<[RealismDb, RealismDb]> => {
      const [source, target] = await Promise.all([
        engine.chinook('real_src'),
        engine.chinook('real_dst', { empty: true }),
      ]);
      const kind = engine === mariadb ? 'mysql' : 'sqlite';
      return [engineDb('source', source, kind), engineDb('target', target, kind)];
    },
    orderedPairs: ['Employee.BirthDate <= Employee.HireDate'],
    blanks: false,
  })),
];

/** A rules table's name as the catalogue spells it (`public.customer` → `customer`). */
const bare = (pattern: string): string => pattern.replace(/^public\./, '');

describe.each(datasets)("the scan's draft, run as written: $name", (dataset) => {
  let source: RealismDb;
  let target: RealismDb;
  let rules: Rules;
  let file: string;
  let columns: CatalogColumn[];

  const run = (secret: string): void => {
    const env = { MASQUE_SOURCE_URL: source.url, MASQUE_TARGET_URL: target.url, MASQUE_SECRET: secret };
    const result = runCli(['run', '--config', file, '--quiet'], env);
    expect(result.stderr).toBe('');
    expect(result.status).toBe(0);
  };

  /** Masked text columns of tables with a one-column key, as pairs of source and target values. */
  const maskedText = (): { table: string; rule: ColumnRule; column: CatalogColumn; pairs: [Value, Value][] }[] => {
    const keys = source.primaryKeys();
    return rules.tables.flatMap((table) => {
      const name = bare(table.pattern);
      const key = keys.get(name);
      const masked = table.columns.filter((rule) => rule.transform !== 'keep');
      if (!key || !masked.length) return [];
      const select = (db: RealismDb, rule: ColumnRule) =>
        db.query(`SELECT ${db.quote(rule.column)} FROM ${db.quote(name)} ORDER BY ${db.quote(key)}`).map((r) => r[0]!);
      return masked.flatMap((rule) => {
        const column = columns.find((c) => c.table === name && c.column === rule.column);
        if (column?.kind !== 'text') return [];
        const before = select(source, rule);
        const after = select(target, rule);
        expect(after).toHaveLength(before.length);
        return [{ table: name, rule, column, pairs: before.map((v, i): [Value, Value] => [v, after[i]!]) }];
      });
    });
  };

  /** The masked columns of every table with a one-column key, row by row in key order: what a run wrote. */
  const snapshot = (): string[][] => {
    const keys = source.primaryKeys();
    return rules.tables.flatMap((table) => {
      const key = keys.get(bare(table.pattern));
      const masked = table.columns.filter((rule) => rule.transform !== 'keep').map((r) => target.quote(r.column));
      if (!key || !masked.length) return [];
      return target
        .query(`SELECT ${masked.join(', ')} FROM ${target.quote(bare(table.pattern))} ORDER BY ${target.quote(key)}`)
        .map((row) => row.map(String));
    });
  };

  beforeAll(async () => {
    [source, target] = await dataset.open();
    file = join(folder, `${dataset.name.replace(/\W+/g, '-')}.yaml`);
    const scan = runCli(['scan', '--source', source.url, '--output', file]);
    expect(scan.status, scan.stderr).toBe(0);
    rules = parseRules(readFileSync(file, 'utf8'), file, {
      MASQUE_SOURCE_URL: 'x',
      MASQUE_TARGET_URL: 'y',
      MASQUE_SECRET: 'z',
    });
    columns = source.columns();
    run('realism-secret-1');
  }, 180_000);
  afterAll(async () => {
    await Promise.all([source?.drop(), target?.drop()]);
  });

  it('keeps the order of every two dates of a row that the source keeps in order', () => {
    const ordered: string[] = [];
    const byTable = new Map<string, CatalogColumn[]>();
    for (const c of columns.filter((c) => c.kind === 'date'))
      byTable.set(c.table, [...(byTable.get(c.table) ?? []), c]);
    for (const [table, dates] of byTable) {
      for (const a of dates) {
        for (const b of dates) {
          if (a === b) continue;
          const [x, y] = [source.quote(a.column), source.quote(b.column)];
          const count = (db: RealismDb, where: string) =>
            Number(
              db.query(
                `SELECT COUNT(*) FROM ${db.quote(table)} WHERE ${x} IS NOT NULL AND ${y} IS NOT NULL${where}`,
              )[0]![0],
            );
          if (count(source, '') === 0 || count(source, ` AND ${x} > ${y}`) > 0) continue;
          const pair = `${table}.${a.column} <= ${table}.${b.column}`;
          ordered.push(pair);
          expect(count(target, ` AND ${x} > ${y}`), `${pair} broken`).toBe(0);
        }
      }
    }
    expect(ordered).toEqual(expect.arrayContaining(dataset.orderedPairs));
  });

  it('keeps NULL, blanks and letter case', () => {
    const checked = { upper: 0, lower: 0, capitalised: 0, blank: 0, nulls: 0 };
    for (const { table, rule, pairs } of maskedText()) {
      const where = `${table}.${rule.column} (${rule.transform})`;
      for (const [before, after] of pairs) {
        expect(after === null, `${where}: NULL kept as NULL, and only NULL`).toBe(before === null);
        if (typeof before !== 'string' || typeof after !== 'string') {
          checked.nulls++;
          continue;
        }
        if (isBlank(before)) {
          expect(after, `${where}: blank kept`).toBe(before);
          checked.blank++;
        } else if (isUpperCase(before)) {
          expect(after, `${where}: upper case kept`).toBe(after.toUpperCase());
          checked.upper++;
        } else if (isLowerCase(before)) {
          expect(after, `${where}: lower case kept`).toBe(after.toLowerCase());
          checked.lower++;
        } else if (startsCapitalised(before)) {
          const kept = startsCapitalised(after) || isUpperCase(after) || caseless(after);
          expect(kept, `${where}: ${after} capitalised`).toBe(true);
          checked.capitalised++;
        }
      }
    }
    // Each kind of input was there to test.
    for (const [kind, count] of Object.entries(checked)) {
      if (kind !== 'blank' || dataset.blanks) expect(count, kind).toBeGreaterThan(0);
    }
  });

  it('keeps the layout of phones and the pattern of postal codes', () => {
    let phones = 0;
    let postalCodes = 0;
    for (const { table, rule, pairs } of maskedText()) {
      const isPhone = rule.transform === 'phone';
      const isPostal = rule.transform === 'location.zipCode' && rule.group === undefined;
      if (!isPhone && !isPostal) continue;
      for (const [before, after] of pairs) {
        if (typeof before !== 'string' || isBlank(before)) continue;
        expect(layout(after as string), `${table}.${rule.column}`).toBe(layout(before));
        expect(after).not.toBe(before);
        if (isPhone) phones++;
        else postalCodes++;
      }
    }
    expect(phones).toBeGreaterThan(0);
    if (dataset.name.startsWith('Pagila')) expect(postalCodes).toBeGreaterThan(0);
  });

  it('fits every value to its column without cutting a word', () => {
    let compared = 0;
    for (const { table, rule, column, pairs } of maskedText()) {
      for (const [, after] of pairs) {
        if (typeof after === 'string' && column.maxLength !== undefined)
          expect(charLength(after), `${table}.${column.column} fits`).toBeLessThanOrEqual(column.maxLength);
      }
      // What the rule writes where no limit applies: faker methods, the values of varied length.
      const definition = rule.group === undefined && rule.transform.includes('.') && resolveTransformer(rule.transform);
      if (!definition) continue;
      const unlimited = { name: column.column, dataType: 'text', category: 'text' as const, nullable: true };
      const whole = definition.create(definition.params.parse(rule.params), {
        table: { name: table, table, columns: [], primaryKey: [], uniqueKeys: [], foreignKeys: [] },
        column: { ...unlimited, generated: false, identity: false },
        locale: rules.locale,
        keyed: createKeyedHash('realism-secret-1', rule.consistent ?? rule.transform),
        columnIndex: () => -1,
      });
      for (const [before, after] of pairs) {
        if (typeof before !== 'string' || typeof after !== 'string') continue;
        const uncut = whole(before, []) as string;
        expect(cutMidWord(after, uncut), `${table}.${column.column}: ${after} cut from ${uncut}`).toBe(false);
        compared++;
      }
    }
    expect(compared).toBeGreaterThan(0);
  });

  it('writes identical data under the same secret, and other data under another', () => {
    const first = snapshot();
    run('realism-secret-1');
    expect(snapshot()).toEqual(first);
    run('realism-secret-2');
    const other = snapshot();
    expect(other).toHaveLength(first.length);
    const same = other.filter((row, i) => row.join('\u0000') === first[i]!.join('\u0000')).length;
    expect(same).toBeLessThan(first.length * 0.05);
  }, 180_000);
});
