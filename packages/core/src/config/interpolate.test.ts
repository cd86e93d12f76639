import { describe, expect, it } from 'vitest';
import { ConfigError } from '../errors.ts';
import { parseRules } from './load-rules.ts';

/** parseRules's error, or a failure when it does not throw one. */
function configError(text: string, env: Record<string, string> = {}): ConfigError {
  try {
    parseRules(text, 'masque.yaml', env);
  } catch (error) {
    if (error instanceof ConfigError) return error;
    throw error;
  }
  throw new Error('expected a ConfigError');
}

describe('${VAR} interpolation', () => {
  it('reads variables, inside longer strings too, and falls back to defaults', () => {
    const text = 'source: ${SRC}\ntarget: postgres://${HOST:-localhost}/staging\nlocale: ${LOCALE:-de}\ntables: {}\n';
    const rules = parseRules(text, 'masque.yaml', { SRC: 'postgres://prod/db', LOCALE: '' });
    expect(rules.source).toBe('postgres://prod/db');
    expect(rules.target).toBe('postgres://localhost/staging');
    // `:-` also replaces an empty value, as in the shell.
    expect(rules.locale).toBe('de');
  });

  it('keeps an empty value when there is no default', () => {
    expect(parseRules('secret: a${EMPTY}b\ntables: {}\n', 'masque.yaml', { EMPTY: '' }).secret).toBe('ab');
  });

  it('keeps interpolated values as strings, so a digits-only secret stays a string', () => {
    expect(parseRules('secret: ${S}\ntables: {}\n', 'masque.yaml', { S: '12345' }).secret).toBe('12345');
  });

  it('interpolates in rule values but not in keys', () => {
    const text = 'tables:\n  ${T}:\n    where: "tenant = ${TENANT}"\n';
    const [table] = parseRules(text, 'masque.yaml', { T: 'x', TENANT: '7' }).tables;
    expect(table!.pattern).toBe('${T}');
    expect(table!.where).toBe('tenant = 7');
  });

  it('writes $${ as a literal ${', () => {
    const rules = parseRules(
      'tables:\n  t:\n    columns:\n      c: { transform: template, template: "$${row.id}-${X}" }\n',
      'masque.yaml',
      { X: 'x' },
    );
    expect(rules.tables[0]!.columns[0]!.params).toEqual({ template: '${row.id}-x' });
  });

  it('names an unset variable at its own line and column', () => {
    const error = configError('source: ${MASQUE_SOURCE_URL}\ntarget: "postgres://${USER}@${DB_HOST}/x"\ntables: {}\n', {
      MASQUE_SOURCE_URL: 'postgres://prod/db',
      USER: 'me',
    });
    expect(error.message).toBe(
      'masque.yaml:2:29: environment variable DB_HOST is not set (give a default with ${DB_HOST:-default})',
    );
    expect(error.place).toEqual({ file: 'masque.yaml', line: 2, column: 29 });
  });

  it('reports every unset variable at once, in file order', () => {
    expect(configError('target: ${B}\nsource: ${A}\ntables: {}\n').message).toBe(
      [
        'masque.yaml:1:9: environment variable B is not set (give a default with ${B:-default})',
        'masque.yaml:2:9: environment variable A is not set (give a default with ${A:-default})',
      ].join('\n'),
    );
  });

  it('rejects a malformed reference without quoting its text', () => {
    const message = configError('secret: pa${ss w0rd}\ntables: {}\n').message;
    expect(message).toBe(
      'masque.yaml:1:11: invalid ${…} reference: write ${NAME} or ${NAME:-default}, or $${ for a literal ${',
    );
    expect(message).not.toContain('w0rd');
  });

  it('rejects an unclosed reference', () => {
    expect(configError('source: x${HOST\ntables: {}\n').place).toEqual({ file: 'masque.yaml', line: 1, column: 10 });
  });

  it('never echoes an interpolated secret', () => {
    const message = configError('secret: ${S}\nsecret: ${S}\ntables: {}\n', { S: 'hunter2' }).message;
    expect(message).toBe('masque.yaml:2:1: top-level key "secret" is given twice (first at line 1)');
  });
});
