import { applyOverrides, loadRules, type Rules } from '@masque/core';

/** Flags every command shares (SPEC: Commands). */
export interface CommonOptions {
  config: string;
  source?: string;
  target?: string;
  only?: string[];
  log?: 'pretty' | 'json';
  quiet?: boolean;
}

/** The rules file with --source/--target (and MASQUE_SECRET through the file's `${…}`) applied. */
export function loadCommandRules(options: CommonOptions): Rules {
  return applyOverrides(loadRules(options.config), {
    ...(options.source && { source: options.source }),
    ...(options.target && { target: options.target }),
  });
}
