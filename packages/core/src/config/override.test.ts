import { describe, expect, it } from 'vitest';
import { parseRules } from './load-rules.ts';
import { applyOverrides } from './override.ts';

describe('applyOverrides', () => {
  const rules = parseRules('source: postgres://prod/a\nsecret: file-secret\ntables: {}\n', 'masque.yaml', {});

  it('replaces the given values and keeps the file for the others', () => {
    const result = applyOverrides(rules, { target: 'postgres://staging/a', secret: 'cli-secret', source: undefined });
    expect(result).toEqual({ ...rules, target: 'postgres://staging/a', secret: 'cli-secret' });
    expect(result.source).toBe('postgres://prod/a');
  });

  it('does not change the rules it was given', () => {
    applyOverrides(rules, { source: 'postgres://elsewhere/a' });
    expect(rules.source).toBe('postgres://prod/a');
    expect(rules.target).toBeUndefined();
  });
});
