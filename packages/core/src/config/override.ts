import type { Rules } from './rules.ts';

/** Values from the command line (`--source`, `--target`) or the CLI's own environment. */
export interface RuleOverrides {
  source?: string | undefined;
  target?: string | undefined;
  secret?: string | undefined;
}

/** The rules with each given override in place of the file's value; the file's stays otherwise. */
export function applyOverrides(rules: Rules, overrides: RuleOverrides): Rules {
  const result = { ...rules };
  for (const key of ['source', 'target', 'secret'] as const) {
    const value = overrides[key];
    if (value !== undefined) result[key] = value;
  }
  return result;
}
