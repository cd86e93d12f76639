import { loadRules, type OptionalRuleKey, type Rules } from '@masque/core';

/** Flags every command shares (SPEC: Commands). */
export interface CommonOptions {
  config: string;
  source?: string;
  target?: string;
  only?: string[];
  log?: 'pretty' | 'json';
  quiet?: boolean;
}

/**
 * The rules file with --source/--target in place of the file's values (MASQUE_SECRET comes through
 * the file's `${…}`). `unused`: the keys the command has no use for, whose variables need not be set.
 */
export function loadCommandRules(
  options: Pick<CommonOptions, 'config' | 'source' | 'target'>,
  unused: readonly OptionalRuleKey[] = [],
): Rules {
  return loadRules(options.config, process.env, { source: options.source, target: options.target }, unused);
}
