import { describe, expect, it } from 'vitest';
import { parseRules } from './load-rules.ts';
import type { OptionalRuleKey } from './override.ts';

const text = 'source: ${MASQUE_SOURCE_URL}\ntarget: ${MASQUE_TARGET_URL}\ntables: {}\n';

describe('command-line overrides', () => {
  it("replace the file's values before interpolation, so an unset variable does not matter", () => {
    const rules = parseRules(text, 'r.yaml', {}, { source: 'sqlite:a.db', target: 'sqlite:b.db' });
    expect([rules.source, rules.target]).toEqual(['sqlite:a.db', 'sqlite:b.db']);
  });

  it('leave the rest to the file and its environment', () => {
    const rules = parseRules(text, 'r.yaml', { MASQUE_SOURCE_URL: 'sqlite:env.db' }, { target: 'sqlite:b.db' });
    expect([rules.source, rules.target]).toEqual(['sqlite:env.db', 'sqlite:b.db']);
    expect(() => parseRules(text, 'r.yaml', {}, { target: 'sqlite:b.db' })).toThrow(/r\.yaml:1:9: .*MASQUE_SOURCE_URL/);
  });
});

describe('keys a command does not use', () => {
  const full = `${text}secret: \${MASQUE_SECRET}\nprotect: ['\${PROD_HOST}']\n`;

  it('are left out before interpolation, so their unset variables are no error', () => {
    const rules = parseRules(full, 'r.yaml', { MASQUE_SOURCE_URL: 'sqlite:a.db', MASQUE_SECRET: 's' }, {}, [
      'target',
      'protect',
    ]);
    expect(rules).toMatchObject({ source: 'sqlite:a.db', secret: 's', protect: [] });
    expect(Object.keys(rules)).not.toContain('target');
  });

  it('leave the keys the command uses to be interpolated, and unset ones still named', () => {
    const message = (env: Record<string, string>, unused: OptionalRuleKey[]) => {
      try {
        parseRules(full, 'r.yaml', env, {}, unused);
        return 'no error';
      } catch (error) {
        return (error as Error).message;
      }
    };
    expect(message({ MASQUE_SOURCE_URL: 'sqlite:a.db' }, ['target', 'protect'])).toBe(
      'r.yaml:4:9: environment variable MASQUE_SECRET is not set (give a default with ${MASQUE_SECRET:-default})',
    );
    expect(message({ MASQUE_SOURCE_URL: 'sqlite:a.db', MASQUE_SECRET: 's' }, ['protect'])).toBe(
      'r.yaml:2:9: environment variable MASQUE_TARGET_URL is not set ' +
        '(give a default with ${MASQUE_TARGET_URL:-default})',
    );
  });
});
