/** `custom`: a user's own module, loaded relative to the rules file, masks a column in a real run. */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sqlite, type EngineDb } from './support/engines.ts';
import { runCli } from './support/run-cli.ts';

const folder = mkdtempSync(join(tmpdir(), 'masque-custom-'));
writeFileSync(
  join(folder, 'company.ts'),
  `
  // A user's masking function in TypeScript: deterministic through ctx.digest.
  export function company(value: unknown, _row: unknown[], ctx: { digest(v: unknown): Buffer }): string {
    return 'Company ' + ctx.digest(value).readUInt16BE(0);
  }
`,
);
writeFileSync(
  join(folder, 'rules.yaml'),
  `
source: \${MASQUE_SOURCE_URL}
target: \${MASQUE_TARGET_URL}
secret: custom-secret
strict: false
tables:
  Customer:
    columns:
      Company: { transform: custom, module: ./company.ts, export: company }
`,
);

describe('custom transformer', () => {
  let source: EngineDb;
  let target: EngineDb;
  beforeAll(async () => {
    [source, target] = await Promise.all([sqlite.chinook('custom_src'), sqlite.chinook('custom_dst', { empty: true })]);
  });
  afterAll(async () => {
    await Promise.all([source?.drop(), target?.drop()]);
  });

  it('masks with the user function, NULLs untouched', () => {
    const result = runCli(['run', '--config', join(folder, 'rules.yaml'), '--quiet'], {
      MASQUE_SOURCE_URL: source.url,
      MASQUE_TARGET_URL: target.url,
    });
    expect(result.stderr).toBe('');
    expect(result.status).toBe(0);
    const before = source.query('SELECT Company FROM Customer ORDER BY CustomerId').map((r) => r[0]);
    const after = target.query('SELECT Company FROM Customer ORDER BY CustomerId').map((r) => r[0]);
    expect(after.length).toBe(59);
    after.forEach((value, i) => {
      if (before[i] === null) expect(value).toBeNull();
      else expect(value).toMatch(/^Company \d+$/);
    });
    expect(after.filter((v) => v !== null).length).toBe(before.filter((v) => v !== null).length);
  });

  it('names a missing export with exit 2', () => {
    writeFileSync(
      join(folder, 'bad.yaml'),
      `source: x\ntarget: y\nstrict: false\ntables:\n  Customer:\n    columns:\n      Company: { transform: custom, module: ./company.ts, export: nope }\n`,
    );
    const result = runCli([
      'run',
      '--config',
      join(folder, 'bad.yaml'),
      '--source',
      source.url,
      '--target',
      target.url,
    ]);
    expect(result.status).toBe(2);
    expect(result.stderr).toMatch(/bad\.yaml:7:\d+: custom: .*nope/);
  });
});

/**
 * Under `when:` the rule, its `otherwise:` and the custom rules nested in `json` paths are
 * prepared like any column rule: each loads its module before the run.
 */
describe('custom transformer under when', () => {
  writeFileSync(
    join(folder, 'mask.mjs'),
    `
    export default (value) => String(value).toUpperCase();
    export const lower = (value) => String(value).toLowerCase();
  `,
  );
  writeFileSync(
    join(folder, 'when.yaml'),
    `
source: \${MASQUE_SOURCE_URL}
target: \${MASQUE_TARGET_URL}
secret: custom-secret
strict: false
tables:
  Customer:
    columns:
      Company:
        transform: custom
        module: ./mask.mjs
        when: "Country = 'Brazil'"
        otherwise: { transform: custom, module: ./mask.mjs, export: lower }
      Profile:
        transform: json
        paths: { "$.name": { transform: custom, module: ./mask.mjs } }
        when: "Country = 'Germany'"
        otherwise: { transform: json, paths: { "$.name": { transform: custom, module: ./mask.mjs, export: lower } } }
`,
  );
  let source: EngineDb;
  let target: EngineDb;
  beforeAll(async () => {
    source = await sqlite.chinook('custom_when_src');
    target = await sqlite.chinook('custom_when_dst', { empty: true });
    // A JSON text column, NULL for every fourth customer.
    for (const db of [source, target]) {
      const file = new Database(db.url.slice('sqlite:'.length));
      file.exec('ALTER TABLE Customer ADD COLUMN Profile TEXT');
      if (db === source) {
        file.exec(`UPDATE Customer SET Profile = json_object('name', FirstName, 'id', CustomerId)
          WHERE CustomerId % 4 <> 0`);
      }
      file.close();
    }
  });
  afterAll(async () => {
    await Promise.all([source?.drop(), target?.drop()]);
  });

  it('masks matching rows with the rule and the others with otherwise, each through its loaded module', () => {
    const env = { MASQUE_SOURCE_URL: source.url, MASQUE_TARGET_URL: target.url };
    const result = runCli(['run', '--config', join(folder, 'when.yaml'), '--quiet'], env);
    expect(result.stderr).toBe('');
    expect(result.status).toBe(0);
    const before = source.query('SELECT CustomerId, Country, FirstName, Company, Profile FROM Customer ORDER BY 1');
    const after = target.query('SELECT Company, Profile FROM Customer ORDER BY CustomerId');
    // mask.mjs upper-cases, its `lower` lower-cases.
    const masked = (value: string | null | undefined, upper: boolean) =>
      value == null ? null : upper ? value.toUpperCase() : value.toLowerCase();
    const expected = before.map(([id, country, firstName, company, profile]) => [
      masked(company, country === 'Brazil'),
      profile === null ? null : JSON.stringify({ name: masked(firstName, country === 'Germany'), id: Number(id) }),
    ]);
    expect(after).toEqual(expected);
    // Both sides of both conditions, and NULLs, are in the data.
    expect(after).toContainEqual(['EMBRAER - EMPRESA BRASILEIRA DE AERONÁUTICA S.A.', '{"name":"luís","id":1}']);
    expect(after).toContainEqual([null, '{"name":"LEONIE","id":2}']);
    expect(after.filter(([, profile]) => profile === null)).toHaveLength(14);
  });
});
