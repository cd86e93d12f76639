import { describe, expect, it } from 'vitest';
import { parseRules } from './load-rules.ts';

const text = 'source: ${MASQUE_SOURCE_URL}\ntarget: ${MASQUE_TARGET_URL}\ntables: {}\n';

describe('command-line overrides', () => {
  it('replace the file\'s values before interpolation, so an unset variable does not matter', () => {
    const rules = parseRules(text, 'r.yaml', {}, { source: 'sqlite:a.db', target: 'sqlite:b.db' });
    expect([rules.source, rules.target]).toEqual(['sqlite:a.db', 'sqlite:b.db']);
  });

  it('leave the rest to the file and its environment', () => {
    const rules = parseRules(text, 'r.yaml', { MASQUE_SOURCE_URL: 'sqlite:env.db' }, { target: 'sqlite:b.db' });
    expect([rules.source, rules.target]).toEqual(['sqlite:env.db', 'sqlite:b.db']);
    expect(() => parseRules(text, 'r.yaml', {}, { target: 'sqlite:b.db' })).toThrow(/r\.yaml:1:9: .*MASQUE_SOURCE_URL/);
  });
});
