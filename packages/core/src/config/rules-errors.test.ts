import { describe, expect, it } from 'vitest';
import { ConfigError } from '../errors.ts';
import { parseRules } from './load-rules.ts';

/** parseRules's error message, or a failure when it does not throw a ConfigError. */
function errorOf(text: string, file = 'masque.yaml', env: Record<string, string> = {}): ConfigError {
  try {
    parseRules(text, file, env);
  } catch (error) {
    if (error instanceof ConfigError) return error;
    throw error;
  }
  throw new Error('expected a ConfigError');
}
const messageOf = (text: string, file?: string, env?: Record<string, string>) => errorOf(text, file, env).message;
const lines = (...l: string[]) => l.join('\n');

describe('rules file errors', () => {
  it('places an unclosed quote at the opening quote, not at the end of the file', () => {
    const error = errorOf('source: "postgres://prod\nlocale: en\ntables: {}\n');
    expect(error.message).toBe(
      'masque.yaml:1:9: YAML syntax error: Missing closing "quote for the string that starts here',
    );
    expect(error.place).toEqual({ file: 'masque.yaml', line: 1, column: 9 });
    expect(error.exitCode).toBe(2);
  });

  it('reports other YAML syntax errors where yaml found them', () => {
    expect(messageOf('tables:\n  a: skip\n b: skip\n')).toBe(
      'masque.yaml:3:1: YAML syntax error: All mapping items must start at the same column',
    );
  });

  it('names a wrong type without quoting the value', () => {
    expect(messageOf('strict: "yes"\ntables: {}\n')).toBe(
      'masque.yaml:1:9: strict: expected true or false, got a string',
    );
    expect(messageOf('protect: prod\ntables: {}\n')).toBe('masque.yaml:1:10: protect: expected a list, got a string');
  });

  it('suggests the closest name for an unknown top-level key, without also saying tables is missing', () => {
    expect(messageOf('locale: en\ntabels:\n  a: skip\n')).toBe(
      'masque.yaml:2:1: unknown top-level key "tabels"; did you mean "tables"?',
    );
  });

  it('lists the allowed keys when none is close', () => {
    expect(messageOf('tables:\n  a:\n    zzzzzz: 1\n')).toBe(
      'masque.yaml:3:5: tables.a: unknown key "zzzzzz"; expected one of columns, where, skip',
    );
  });

  it('says missing required key tables when nothing explains it', () => {
    expect(messageOf('locale: en\n')).toBe('masque.yaml:1:1: missing required key "tables"');
  });

  it('names a table listed twice, with both lines', () => {
    const text = 'tables:\n  public.customer:\n    columns: { id: keep }\n  public.customer: skip\n';
    expect(messageOf(text)).toBe(
      'masque.yaml:4:3: table "public.customer" is listed twice (first at line 2); merge the two entries',
    );
  });

  it('names a column listed twice', () => {
    const text = 'tables:\n  customer:\n    columns:\n      email: keep\n      email: email\n';
    expect(messageOf(text)).toBe(
      'masque.yaml:5:7: column "email" of table "customer" is listed twice (first at line 4)',
    );
  });

  it('reports every problem at once, in file order, each at its place', () => {
    const text = lines(
      'strict: 1', //                                       1
      'tables:', //                                         2
      '  a: skp', //                                        3
      '  b:', //                                            4
      '    colums: {}', //                                  5
      '  c:', //                                            6
      '    columns:', //                                    7
      '      x: { unique: "y" }', //                        8
      '      y: 5', //                                      9
      '      z: { transform: 1 }', //                      10
      '      e: ""', //                                    11
      '      "": keep', //                                 12
      '    where: 5', //                                   13
    );
    const error = errorOf(text);
    expect(error.place).toEqual({ file: 'masque.yaml', line: 1, column: 9 });
    expect(error.message).toBe(
      lines(
        'masque.yaml:1:9: strict: expected true or false, got a number',
        'masque.yaml:3:6: tables.a: a table rule must be skip or a mapping with columns, where or skip',
        'masque.yaml:5:5: tables.b: unknown key "colums"; did you mean "columns"?',
        'masque.yaml:8:10: tables.c.columns.x: missing required key "transform"',
        'masque.yaml:8:20: tables.c.columns.x.unique: expected true or false, got a string',
        'masque.yaml:9:10: tables.c.columns.y: ' +
          'a column rule must be keep, null, a transformer name, or { transform: NAME, ...params }; got a number',
        'masque.yaml:10:23: tables.c.columns.z.transform: expected a string, got a number',
        'masque.yaml:11:10: tables.c.columns.e: must not be empty',
        'masque.yaml:12:7: tables.c.columns: a name must not be empty',
        'masque.yaml:13:12: tables.c.where: expected a string, got a number',
      ),
    );
  });

  it('quotes path segments that are not plain words', () => {
    expect(messageOf('tables:\n  public.customer:\n    where: []\n')).toBe(
      'masque.yaml:3:12: tables."public.customer".where: expected a string, got a list',
    );
  });

  it('says an empty file is empty, and that a list is not a rules file', () => {
    expect(messageOf('# only a comment\n')).toBe('masque.yaml:1:1: the rules file is empty');
    expect(messageOf('- a\n- b\n')).toBe('masque.yaml:1:1: expected a mapping, got a list');
  });

  it('names an alias without anchor', () => {
    expect(messageOf('tables:\n  a: *skip\n')).toBe('masque.yaml:2:6: alias *skip has no anchor &skip before it');
  });
});

describe('the secret is never echoed', () => {
  const secret = 'Sup3r-s3cret';

  it('not when it has the wrong type', () => {
    expect(messageOf('secret: 123456\ntables: {}\n')).toBe('masque.yaml:1:9: secret: expected a string, got a number');
    const message = messageOf(`secret: [${secret}]\ntables: {}\n`);
    expect(message).toBe('masque.yaml:1:9: secret: expected a string, got a list');
  });

  it('not when its YAML is broken (yaml quotes bad escapes)', () => {
    const message = messageOf(`secret: "${secret}\\q"\ntables: {}\n`);
    expect(message).toBe(
      'masque.yaml:1:22: YAML syntax error (BAD_DQ_ESCAPE) in the value of secret; its text is not shown',
    );
    expect(message).not.toContain('\\q');
  });

  it('not when its quote is unclosed', () => {
    expect(messageOf(`secret: '${secret}\ntables: {}\n`)).not.toContain(secret);
  });

  it('not when it comes from the environment and other things are wrong', () => {
    const message = messageOf('secret: ${S}\nsecert: x\ntables: {}\n', 'masque.yaml', { S: secret });
    expect(message).toBe('masque.yaml:2:1: unknown top-level key "secert"; did you mean "secret"?');
  });
});
