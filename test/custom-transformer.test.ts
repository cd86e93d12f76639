/** `custom`: a user's own module, loaded relative to the rules file, masks a column in a real run. */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sqlite, type EngineDb } from './support/engines.ts';
import { runCli } from './support/run-cli.ts';

const folder = mkdtempSync(join(tmpdir(), 'masque-custom-'));
writeFileSync(join(folder, 'company.ts'), `
  // A user's masking function in TypeScript: deterministic through ctx.digest.
  export function company(value: unknown, _row: unknown[], ctx: { digest(v: unknown): Buffer }): string {
    return 'Company ' + ctx.digest(value).readUInt16BE(0);
  }
`);
writeFileSync(join(folder, 'rules.yaml'), `
source: \${MASQUE_SOURCE_URL}
target: \${MASQUE_TARGET_URL}
secret: custom-secret
strict: false
tables:
  Customer:
    columns:
      Company: { transform: custom, module: ./company.ts, export: company }
`);

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
    const result = runCli(['run', '--config', join(folder, 'rules.yaml'), '--quiet'], { MASQUE_SOURCE_URL: source.url, MASQUE_TARGET_URL: target.url });
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
    writeFileSync(join(folder, 'bad.yaml'), `source: x\ntarget: y\nstrict: false\ntables:\n  Customer:\n    columns:\n      Company: { transform: custom, module: ./company.ts, export: nope }\n`);
    const result = runCli(['run', '--config', join(folder, 'bad.yaml'), '--source', source.url, '--target', target.url]);
    expect(result.status).toBe(2);
    expect(result.stderr).toMatch(/bad\.yaml:7:\d+: custom: .*nope/);
  });
});
