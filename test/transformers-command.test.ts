import { describe, expect, it } from 'vitest';
import type { Catalogue } from '@masque/core';
import { runCli } from './support/run-cli.ts';

const BUILTINS = [
  'keep',
  'null',
  'constant',
  'redact',
  'email',
  'hash',
  'partial',
  'scramble',
  'template',
  'regex',
  'noise',
  'dateShift',
  'uuid',
  'phone',
  'creditCard',
  'iban',
  'ip',
  'json',
  'mentions',
  'custom',
];

describe('masque transformers', () => {
  it('prints every builtin with its parameters, then the faker modules', () => {
    const { status, stdout, stderr } = runCli(['transformers']);
    expect(stderr).toBe('');
    expect(status).toBe(0);
    expect(stdout).toMatch(/^20 builtin transformers and \d{3} faker methods\./);
    for (const name of BUILTINS) expect(stdout).toContain(`\n  ${name} — `);
    expect(stdout).toContain(
      '\n    encoding  hex | base64url, default "hex"\n              Text encoding of the digest.\n',
    );
    expect(stdout).toContain('\n    template  string, required\n');
    expect(stdout).toMatch(/\n {2}person \(\d+\): [a-zA-Z, ]*firstName/);
  });

  it('prints the same catalogue as JSON with --json', () => {
    const { status, stdout } = runCli(['transformers', '--json']);
    expect(status).toBe(0);
    const catalogue = JSON.parse(stdout) as Catalogue;
    expect(catalogue.transformers.map((t) => t.name)).toEqual(BUILTINS);
    const ip = catalogue.transformers.find((t) => t.name === 'ip')!;
    expect(ip.columnTypes).toEqual(['text', 'other']);
    expect(ip.parameters).toEqual([
      { name: 'version', type: '4 | 6', required: false, description: expect.stringMatching(/^4 or 6/) },
      {
        name: 'shape',
        type: 'boolean',
        required: false,
        default: true,
        description: expect.stringMatching(/^Keep empty and blank inputs/),
      },
    ]);
    expect(catalogue.faker.modules.location).toContain('city');
    expect(catalogue.faker.count).toBe(Object.values(catalogue.faker.modules).flat().length);
  });
});
