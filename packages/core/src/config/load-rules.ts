import { readFileSync } from 'node:fs';
import { isMap, LineCounter, parseDocument, type Document } from 'yaml';
import { ConfigError } from '../errors.ts';
import { configErrorFrom, type ConfigIssue } from './config-issue.ts';
import { FilePlaces } from './file-places.ts';
import { interpolateEnv, type Env } from './interpolate.ts';
import type { OptionalRuleKey, RuleOverrides } from './override.ts';
import { readRuleNames } from './rule-names.ts';
import { normalizeRules, type Rules } from './rules.ts';
import { RulesFileSchema } from './rules-schema.ts';
import { readSubsetNames } from './subset-names.ts';
import { duplicateKeyIssues, syntaxIssues, unresolvedAliasIssues } from './yaml-problems.ts';
import { describeZodIssues } from './zod-issues.ts';

/**
 * Reads, interpolates, validates and normalises a rules file (YAML, or JSON, which YAML reads
 * too and places alike). Throws one ConfigError listing every problem, each at its
 * `file:line:column`. `unused`: keys the calling command does not use (see OptionalRuleKey).
 */
export function loadRules(
  file: string,
  env: Env = process.env,
  overrides: RuleOverrides = {},
  unused: readonly OptionalRuleKey[] = [],
): Rules {
  return parseRules(readRulesText(file), file, env, overrides, unused);
}

/** `loadRules` on text already read; `file` names it in places, messages and `Rules.file`. */
export function parseRules(
  text: string,
  file: string,
  env: Env = process.env,
  overrides: RuleOverrides = {},
  unused: readonly OptionalRuleKey[] = [],
): Rules {
  const lineCounter = new LineCounter();
  // uniqueKeys: false because duplicateKeyIssues says which table is repeated; prettyErrors:
  // false because the pretty form quotes the source line, which may hold the secret.
  const doc = parseDocument(text, { lineCounter, prettyErrors: false, uniqueKeys: false });
  const places = new FilePlaces(file, doc, lineCounter);
  // After a syntax error the document is a guess: report only what the parser said.
  if (doc.errors.length) throw configErrorFrom(syntaxIssues(doc, places));

  // A value given on the command line replaces the file's before interpolation, so `--target`
  // works even when the file's `${MASQUE_TARGET_URL}` is unset.
  for (const [key, value] of Object.entries(overrides))
    if (value !== undefined && isMap(doc.contents)) doc.set(key, value);
  // A command interpolates only the keys it uses: `preview` must not need the target's variable.
  for (const key of unused) while (isMap(doc.contents) && doc.has(key)) doc.delete(key);
  const issues: ConfigIssue[] = [...duplicateKeyIssues(doc, places), ...interpolateEnv(doc, text, env, places)];
  if (doc.contents === null) issues.push({ message: 'the rules file is empty', place: places.at(0) });
  const data = toJS(doc, places, issues);
  if (data === undefined) throw configErrorFrom(issues);

  const parsed = RulesFileSchema.safeParse(data);
  if (!parsed.success) issues.push(...describeZodIssues(parsed.error.issues, data, places));
  if (issues.length || !parsed.success) throw configErrorFrom(issues);
  const rules = normalizeRules(parsed.data, places);
  const nameIssues = [...readRuleNames(rules.tables), ...readSubsetNames(rules)];
  if (nameIssues.length) throw configErrorFrom(nameIssues);
  return rules;
}

/** The document as plain data, or undefined (with issues added) when aliases make that impossible. */
function toJS(doc: Document, places: FilePlaces, issues: ConfigIssue[]): unknown {
  if (doc.contents === null) return undefined;
  const aliasIssues = unresolvedAliasIssues(doc, places);
  issues.push(...aliasIssues);
  if (aliasIssues.length) return undefined;
  try {
    return doc.toJS();
  } catch (error) {
    // yaml refuses alias "billion laughs"; the message names no value.
    issues.push({ message: `YAML error: ${(error as Error).message}`, place: places.at(0) });
    return undefined;
  }
}

function readRulesText(file: string): string {
  try {
    return readFileSync(file, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') throw new ConfigError(`rules file not found: ${file}`);
    if (code === 'EISDIR') throw new ConfigError(`rules file is a directory, not a file: ${file}`);
    throw new ConfigError(`cannot read rules file ${file}: ${code ?? String(error)}`);
  }
}
