import { ConfigError, formatPlace, type SourcePlace } from '../errors.ts';
import type { RulesPath } from './file-places.ts';

/** One problem in a rules file, at the place it is written. Messages never quote values. */
export interface ConfigIssue {
  message: string;
  place: SourcePlace;
}

/** `tables."public.customer".columns.email`: keys that are not plain words are quoted. */
export function formatPath(path: RulesPath): string {
  return path
    .map((segment, i) => {
      if (typeof segment === 'number') return `[${segment}]`;
      const text = String(segment);
      const word = /^[A-Za-z_$][\w$]*$/.test(text) ? text : JSON.stringify(text);
      return i === 0 ? word : `.${word}`;
    })
    .join('');
}

/**
 * One ConfigError for every issue, in file order, one per line, each with its own place, so a
 * user fixes them all in one go. `place` is the first issue's; the constructor prefixes it to the
 * first line, so that line is left without one here.
 */
export function configErrorFrom(issues: readonly ConfigIssue[]): ConfigError {
  const sorted = [...issues].sort((a, b) => a.place.line - b.place.line || a.place.column - b.place.column);
  const [first, ...rest] = sorted;
  if (!first) throw new Error('configErrorFrom needs at least one issue');
  const lines = [first.message, ...rest.map((issue) => `${formatPlace(issue.place)}: ${issue.message}`)];
  return new ConfigError(lines.join('\n'), first.place);
}
