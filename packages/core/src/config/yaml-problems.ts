import { isMap, isSeq, visit, type Document, type YAMLError } from 'yaml';
import { formatPath, type ConfigIssue } from './config-issue.ts';
import { keyText, type FilePlaces, type RulesPath } from './file-places.ts';

/**
 * Problems the YAML layer finds before zod sees any value: syntax errors, keys given twice,
 * aliases without an anchor.
 */

/** yaml's own syntax errors, at their place, with the secret's text kept out of the messages. */
export function syntaxIssues(doc: Document, places: FilePlaces): ConfigIssue[] {
  const secret = doc.get('secret', true) as { range?: readonly number[] } | undefined;
  return doc.errors.map((error) => {
    const offset = error.pos[0];
    // A few yaml messages quote the source near the error (`Invalid escape sequence \q`).
    if (secret?.range && offset >= secret.range[0]! && offset <= secret.range[2]!) {
      return {
        message: `YAML syntax error (${error.code}) in the value of secret; its text is not shown`,
        place: places.at(offset),
      };
    }
    const quoteStart = unclosedQuoteStart(doc, error);
    if (quoteStart !== undefined) {
      // yaml notices the missing quote at the end of the file; the opening quote is the useful place.
      return {
        message: `YAML syntax error: ${error.message} for the string that starts here`,
        place: places.at(quoteStart),
      };
    }
    return { message: `YAML syntax error: ${error.message}`, place: places.at(offset) };
  });
}

function unclosedQuoteStart(doc: Document, error: YAMLError): number | undefined {
  if (error.code !== 'MISSING_CHAR' || !/quote/.test(error.message)) return undefined;
  let start: number | undefined;
  visit(doc, {
    Scalar(_, node) {
      const quoted = node.type === 'QUOTE_DOUBLE' || node.type === 'QUOTE_SINGLE';
      if (quoted && node.range && node.range[0] < error.pos[0] && error.pos[0] <= node.range[1]) start = node.range[0];
    },
  });
  return start;
}

/**
 * Keys given twice in one mapping. yaml's own check only says "Map keys must be unique", so the
 * document is parsed with `uniqueKeys: false` and this says which table or column is repeated.
 */
export function duplicateKeyIssues(doc: Document, places: FilePlaces): ConfigIssue[] {
  const issues: ConfigIssue[] = [];
  const walk = (node: unknown, path: RulesPath): void => {
    if (isSeq(node)) for (const [i, item] of node.items.entries()) walk(item, [...path, i]);
    if (!isMap(node)) return;
    const firstLines = new Map<string, number>();
    for (const pair of node.items) {
      const key = keyText(pair.key);
      const keyNode = pair.key as { range?: readonly number[] } | null;
      const offset = keyNode?.range?.[0] ?? 0;
      const firstLine = firstLines.get(key);
      if (firstLine === undefined) {
        firstLines.set(key, places.at(offset).line);
        walk(pair.value, [...path, key]);
      } else {
        issues.push({ message: duplicateMessage(path, key, firstLine), place: places.at(offset) });
      }
    }
  };
  walk(doc.contents, []);
  return issues;
}

function duplicateMessage(path: RulesPath, key: string, firstLine: number): string {
  const first = `first at line ${firstLine}`;
  if (path.length === 1 && path[0] === 'tables')
    return `table "${key}" is listed twice (${first}); merge the two entries`;
  if (path.length === 3 && path[0] === 'tables' && path[2] === 'columns') {
    return `column "${key}" of table "${String(path[1])}" is listed twice (${first})`;
  }
  const where = path.length === 0 ? 'top-level key' : `${formatPath(path)}: key`;
  return `${where} "${key}" is given twice (${first})`;
}

/** Aliases (`*name`) without a matching anchor, which `toJS` would otherwise throw on. */
export function unresolvedAliasIssues(doc: Document, places: FilePlaces): ConfigIssue[] {
  const issues: ConfigIssue[] = [];
  visit(doc, {
    Alias(_, node) {
      if (!node.resolve(doc)) {
        issues.push({
          message: `alias *${node.source} has no anchor &${node.source} before it`,
          place: places.at(node.range?.[0] ?? 0),
        });
      }
    },
  });
  return issues;
}
