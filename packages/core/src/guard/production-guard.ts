import type { Dialect } from '../dialects/dialect.ts';
import { redactUrl } from '../dialects/database-url.ts';
import { ConfigError } from '../errors.ts';
import { protectedBy } from './protect-patterns.ts';

/** Why masque must not write to a target, or undefined when it may. */
export async function targetRefusal(
  source: Dialect,
  target: Dialect,
  targetUrl: string,
  protect: readonly string[],
): Promise<string | undefined> {
  const pattern = protectedBy(targetUrl, protect);
  if (pattern !== undefined)
    return `the target ${redactUrl(targetUrl)} matches the protect: entry "${pattern}": refusing to write to it`;
  // Judged by what the servers say they are, never by the URLs' text: `localhost`, `127.0.0.1`,
  // a unix socket, a relative path or a symlink all name the same database under other spellings.
  const [sourceId, targetId] = await Promise.all([source.identity(), target.identity()]);
  if (sourceId === targetId)
    return `the target ${redactUrl(targetUrl)} is the source database: refusing to write to it`;
  return undefined;
}

/**
 * The production guard `run` calls before it writes anything: refuses (ConfigError, exit 2) a
 * target that is the source database itself or that matches a `protect:` pattern.
 */
export async function guardTarget(
  source: Dialect,
  target: Dialect,
  targetUrl: string,
  protect: readonly string[],
): Promise<void> {
  const refusal = await targetRefusal(source, target, targetUrl, protect);
  if (refusal) throw new ConfigError(refusal);
}
