/**
 * `when:` conditions, evaluated by the source database in its snapshot: a conditional `keep`
 * writes NULL (the default `otherwise`) where the condition fails, and a conditional fake keeps
 * the value elsewhere when `otherwise: keep` says so. MariaDB and SQLite on Chinook.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mariadb, sqlite, type EngineDb } from './support/engines.ts';
import { runCli } from './support/run-cli.ts';

const rules = `
source: \${MASQUE_SOURCE_URL}
target: \${MASQUE_TARGET_URL}
secret: when-secret
strict: false
tables:
  Customer:
    columns:
      Country: { transform: keep, when: "Country <> 'USA'" }
      City: { transform: location.city, when: "Country = 'Germany'", otherwise: keep }
      State: { transform: keep, when: "Country = 'Canada'", otherwise: { transform: redact, value: "--" } }
`;

describe.each([mariadb, sqlite])('when conditions on $name', (engine) => {
  let source: EngineDb;
  let target: EngineDb;
  let status: number | null;
  const customers = (db: EngineDb) => db.query('SELECT Country, City, State FROM Customer ORDER BY CustomerId');

  beforeAll(async () => {
    [source, target] = await Promise.all([engine.chinook('when_src'), engine.chinook('when_dst', { empty: true })]);
    const file = join(mkdtempSync(join(tmpdir(), 'masque-when-')), 'rules.yaml');
    writeFileSync(file, rules);
    const result = runCli(['run', '--config', file, '--quiet'], {
      MASQUE_SOURCE_URL: source.url,
      MASQUE_TARGET_URL: target.url,
    });
    expect(result.stderr).toBe('');
    status = result.status;
  });
  afterAll(async () => {
    await Promise.all([source?.drop(), target?.drop()]);
  });

  it('applies each side of the condition row by row', () => {
    expect(status).toBe(0);
    const before = customers(source);
    const after = customers(target);
    expect(after).toHaveLength(59);
    let germans = 0;
    before.forEach(([country, city, state], i) => {
      const [newCountry, newCity, newState] = after[i]!;
      expect(newCountry).toBe(country === 'USA' ? null : country);
      if (country === 'Germany') {
        germans++;
        expect(newCity).not.toBe(city);
      } else expect(newCity).toBe(city);
      expect(newState).toBe(country === 'Canada' ? state : state === null ? null : '--');
    });
    expect(germans).toBe(4);
  });
});
