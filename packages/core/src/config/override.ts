/** Values from the command line (`--source`, `--target`) or the CLI's own environment. */
export interface RuleOverrides {
  source?: string | undefined;
  target?: string | undefined;
  secret?: string | undefined;
}
