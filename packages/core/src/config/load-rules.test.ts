import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ConfigError } from '../errors.ts';
import { loadRules, parseRules } from './load-rules.ts';

const env = {
  MASQUE_SOURCE_URL: 'postgres://prod/shop',
  MASQUE_TARGET_URL: 'postgres://staging/shop',
  MASQUE_SECRET: 's3cr3t',
};

// The SPEC's example, verbatim.
const specExample = `# yaml-language-server: $schema=<path to the published JSON Schema>
source: \${MASQUE_SOURCE_URL}
target: \${MASQUE_TARGET_URL}
secret: \${MASQUE_SECRET}          # HMAC key: same secret + same input => same masked output
locale: en                        # faker locale
strict: true                      # default: every source column must be named (see below)
tables:
  public.customer:                # schema-qualified or bare; a glob (payment_p*) matches many
    columns:
      customer_id: keep
      first_name: person.firstName          # shorthand: a transformer name
      email: { transform: email, unique: true }
      phone: { transform: partial, keepLast: 4 }
      birth_date: { transform: dateShift, days: 45 }
      notes: null                             # YAML null: write NULL
      country: { transform: keep, when: "country <> 'DE'" }   # else falls to \`otherwise\`
    where: "active = true"        # optional row filter for this table
  public.audit_log: skip          # copy no rows (target table emptied)
`;

const at = (line: number, column: number, file = 'masque.yaml') => ({ file, line, column });

describe('parseRules', () => {
  it("normalises the SPEC's example, placing every table and column", () => {
    expect(parseRules(specExample, 'masque.yaml', env)).toEqual({
      file: 'masque.yaml',
      source: 'postgres://prod/shop',
      target: 'postgres://staging/shop',
      secret: 's3cr3t',
      locale: 'en',
      strict: true,
      protect: [],
      tables: [
        {
          pattern: 'public.customer',
          skip: false,
          where: 'active = true',
          place: at(8, 3),
          columns: [
            { column: 'customer_id', transform: 'keep', params: {}, place: at(10, 7) },
            { column: 'first_name', transform: 'person.firstName', params: {}, place: at(11, 7) },
            { column: 'email', transform: 'email', params: {}, unique: true, place: at(12, 7) },
            { column: 'phone', transform: 'partial', params: { keepLast: 4 }, place: at(13, 7) },
            { column: 'birth_date', transform: 'dateShift', params: { days: 45 }, place: at(14, 7) },
            { column: 'notes', transform: 'null', params: {}, place: at(15, 7) },
            {
              column: 'country',
              transform: 'keep',
              params: {},
              when: "country <> 'DE'",
              otherwise: { transform: 'null', params: {} },
              place: at(16, 7),
            },
          ],
        },
        { pattern: 'public.audit_log', skip: true, columns: [], place: at(18, 3) },
      ],
    });
  });

  it('applies defaults and keeps optional fields out when absent', () => {
    const rules = parseRules('tables: {}\n', 'r.yaml', {});
    expect(rules).toEqual({ file: 'r.yaml', locale: 'en', strict: true, protect: [], tables: [] });
    expect(Object.keys(rules)).not.toContain('secret');
  });

  it('reads the long table form, protect, consistent and the quoted "null" name', () => {
    const text = [
      'strict: false',
      'locale: de',
      'protect: [prod-db.internal]',
      'tables:',
      '  payment_p*:',
      '    skip: true',
      '    columns:',
      '      email: { transform: email, consistent: contact, keepDomain: true }',
      '      memo: "null"',
    ].join('\n');
    const rules = parseRules(text, 'r.yaml', {});
    expect(rules.strict).toBe(false);
    expect(rules.locale).toBe('de');
    expect(rules.protect).toEqual(['prod-db.internal']);
    expect(rules.tables).toEqual([
      {
        pattern: 'payment_p*',
        skip: true,
        place: at(5, 3, 'r.yaml'),
        columns: [
          {
            column: 'email',
            transform: 'email',
            consistent: 'contact',
            params: { keepDomain: true },
            place: at(8, 7, 'r.yaml'),
          },
          { column: 'memo', transform: 'null', params: {}, place: at(9, 7, 'r.yaml') },
        ],
      },
    ]);
  });

  it('reads a JSON rules file, with positions', () => {
    const json = JSON.stringify(
      {
        $schema: './masque-rules.schema.json',
        secret: '${MASQUE_SECRET}',
        tables: { customer: { columns: { email: { transform: 'hash', length: 12 } } } },
      },
      null,
      2,
    );
    const rules = parseRules(json, 'rules.json', env);
    expect(rules.secret).toBe('s3cr3t');
    expect(rules.tables).toEqual([
      {
        pattern: 'customer',
        skip: false,
        place: at(5, 5, 'rules.json'),
        columns: [{ column: 'email', transform: 'hash', params: { length: 12 }, place: at(7, 9, 'rules.json') }],
      },
    ]);
  });

  it('places errors in a JSON file too', () => {
    const json = '{\n  "strict": "yes",\n  "tables": {}\n}\n';
    expect(() => parseRules(json, 'rules.json', {})).toThrow(
      'rules.json:2:13: strict: expected true or false, got a string',
    );
  });
});

describe('loadRules', () => {
  const dir = mkdtempSync(join(tmpdir(), 'masque-rules-'));

  it('reads a file from disk', () => {
    const file = join(dir, 'masque.yaml');
    writeFileSync(file, specExample);
    const rules = loadRules(file, env);
    expect(rules.file).toBe(file);
    expect(rules.tables.map((t) => t.pattern)).toEqual(['public.customer', 'public.audit_log']);
    expect(rules.tables[1]!.place).toEqual({ file, line: 18, column: 3 });
  });

  it('names a missing file', () => {
    const file = join(dir, 'nope.yaml');
    expect(() => loadRules(file, env)).toThrow(new ConfigError(`rules file not found: ${file}`));
  });

  it('names a directory given as the file', () => {
    expect(() => loadRules(dir, env)).toThrow(`rules file is a directory, not a file: ${dir}`);
  });
});
