import type { z } from 'zod';
import { closestName } from '../did-you-mean.ts';
import { formatPath, type ConfigIssue } from './config-issue.ts';
import type { FilePlaces, RulesPath } from './file-places.ts';
import { knownKeysAt } from './rules-schema.ts';

type Issue = z.core.$ZodIssue;

/** An issue plus what is needed to drop "missing tables" when `tabels` already says it. */
interface Described extends ConfigIssue {
  missingKey?: string;
  suggestedKey?: string;
}

/**
 * Turns zod's issues into messages at the place each value is written. Messages describe the
 * kind of value found (a string, a list…) and never quote it, so a misplaced secret is not echoed.
 */
export function describeZodIssues(issues: readonly Issue[], data: unknown, places: FilePlaces): ConfigIssue[] {
  const described = withoutFollowUps(issues).flatMap((issue) => describe(issue, [], data, places));
  const suggested = new Set(described.map((d) => d.suggestedKey).filter(Boolean));
  return described
    .filter((d) => !d.missingKey || !suggested.has(d.missingKey))
    .map(({ message, place }) => ({ message, place }));
}

function describe(issue: Issue, prefix: RulesPath, data: unknown, places: FilePlaces): Described[] {
  const path = [...prefix, ...issue.path];
  const label = path.length ? `${formatPath(path)}: ` : '';
  switch (issue.code) {
    case 'unrecognized_keys':
      return issue.keys.map((key) => {
        const suggestion = closestName(key, knownKeysAt(path));
        const hint = suggestion
          ? `; did you mean "${suggestion}"?`
          : `; expected one of ${knownKeysAt(path).join(', ')}`;
        const what = path.length ? `${label}unknown key` : 'unknown top-level key';
        return {
          message: `${what} "${key}"${hint}`,
          place: places.ofKey([...path, key]),
          suggestedKey: suggestion && pathKey([...path, suggestion]),
        };
      });
    case 'invalid_union': {
      // Report the branch that accepted the value's kind (a mapping for `{ transform }`); when
      // none did, the union's own message lists what is allowed.
      const fitting = issue.errors.filter((branch) => !branch.some((b) => b.path.length === 0 && isKindMismatch(b)));
      if (fitting.length === 1)
        return withoutFollowUps(fitting[0]!).flatMap((inner) => describe(inner, path, data, places));
      // A string fails a union only through a literal (`skip`), which the message already names.
      const value = valueAt(data, path);
      const got = typeof value === 'string' ? '' : `; got ${kindOf(value)}`;
      return [{ message: `${label}${issue.message}${got}`, place: places.ofValue(path) }];
    }
    case 'invalid_type': {
      const value = valueAt(data, path);
      if (value === undefined && path.length) {
        const parent = path.slice(0, -1);
        const where = parent.length ? `${formatPath(parent)}: ` : '';
        const message = `${where}missing required key "${String(path.at(-1))}"`;
        return [{ message, place: places.ofValue(parent), missingKey: pathKey(path) }];
      }
      return [
        {
          message: `${label}expected ${EXPECTED[issue.expected] ?? issue.expected}, got ${kindOf(value)}`,
          place: places.ofValue(path),
        },
      ];
    }
    case 'too_small':
      if (issue.origin === 'string') return [{ message: `${label}must not be empty`, place: places.ofValue(path) }];
      break;
    case 'invalid_key': {
      // The only key constraint is non-empty: table, column and parameter names.
      const parent = path.slice(0, -1);
      return [{ message: `${formatPath(parent)}: a name must not be empty`, place: places.ofKey(path) }];
    }
    case 'invalid_value':
      return [
        {
          message: `${label}expected ${issue.values.map((v) => JSON.stringify(v)).join(' or ')}`,
          place: places.ofValue(path),
        },
      ];
  }
  // zod's remaining messages name types and limits, not values.
  return [{ message: `${label}${issue.message}`, place: places.ofValue(path) }];
}

/** zod still runs `.min(1)` on a value of the wrong type; the type error says it all. */
function withoutFollowUps(issues: readonly Issue[]): Issue[] {
  const mistyped = new Set(issues.filter((i) => i.code === 'invalid_type').map((i) => pathKey(i.path)));
  return issues.filter((i) => i.code === 'invalid_type' || !mistyped.has(pathKey(i.path)));
}

const isKindMismatch = (issue: Issue) => issue.code === 'invalid_type' || issue.code === 'invalid_value';

const EXPECTED: Record<string, string> = {
  string: 'a string',
  boolean: 'true or false',
  number: 'a number',
  object: 'a mapping',
  record: 'a mapping',
  array: 'a list',
  null: 'null',
};

/** The kind of a parsed value, in the words of a YAML user. */
function kindOf(value: unknown): string {
  if (value === undefined) return 'nothing';
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'a list';
  if (typeof value === 'object') return 'a mapping';
  if (typeof value === 'boolean') return 'true/false';
  return `a ${typeof value}`;
}

function valueAt(data: unknown, path: RulesPath): unknown {
  let value = data;
  for (const segment of path) {
    if (value === null || typeof value !== 'object' || !Object.hasOwn(value, segment)) return undefined;
    value = (value as Record<PropertyKey, unknown>)[segment];
  }
  return value;
}

const pathKey = (path: RulesPath) => JSON.stringify(path.map(String));
