/** Values from the command line (`--source`, `--target`) or the CLI's own environment. */
export interface RuleOverrides {
  source?: string | undefined;
  target?: string | undefined;
  secret?: string | undefined;
}

/**
 * Top-level keys a command may have no use for (`preview` never opens the target nor guards it).
 * A command names the ones it does not use; they are left out before interpolation, so an unset
 * variable in them is no error, and left out of the rules it gets.
 */
export type OptionalRuleKey = 'source' | 'target' | 'secret' | 'protect';
