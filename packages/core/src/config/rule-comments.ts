import { isMap, isPair, LineCounter, parseDocument, type Node, type Pair } from 'yaml';

/** The comments a rules file gives a table or a column: why the rule says what it says. */
export interface RuleComments {
  /** Comments keyed by the `line:column` where the table's or column's key is written (`commentKey`). */
  byPlace: Map<string, string>;
  /** The section heading each table stands under (`# --- people ---`), by the place of its key. */
  sections: Map<string, string>;
}

/** The key of `byPlace` for a rule's place. */
export const commentKey = (place: { line: number; column: number }): string => `${place.line}:${place.column}`;

/**
 * Reads the comments beside the rules of a rules file, for the reviewer's report: the comment on
 * the key's line (`email: keep # a shop's address, not a person's`), the lines just above the key,
 * and those between the key and a block value. A section ruler (`# --- people ---`) above a table
 * names the section it and the tables after it stand under, until the next ruler. Only text a
 * reviewer wrote in the rules is returned: the file is parsed without interpolation.
 */
export function readRuleComments(text: string): RuleComments {
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { lineCounter, prettyErrors: false, uniqueKeys: false });
  const byPlace = new Map<string, string>();
  const sections = new Map<string, string>();
  const tables = isMap(doc.contents) ? doc.contents.get('tables', true) : undefined;
  if (!isMap(tables)) return { byPlace, sections };
  const place = (node: Node | null | undefined): string | undefined => {
    const offset = node?.range?.[0];
    if (offset === undefined) return undefined;
    const { line, col } = lineCounter.linePos(offset);
    return commentKey({ line, column: col });
  };
  let section: string | undefined;
  tables.items.forEach((table, i) => {
    if (!isPair(table)) return;
    // A comment above the first table belongs to the `tables:` mapping itself.
    const above = [i === 0 ? tables.commentBefore : undefined, keyNode(table)?.commentBefore];
    const { heading, rest } = splitHeading(above);
    if (heading !== undefined) section = heading || undefined;
    const value = table.value;
    const columns = isMap(value) ? value.get('columns', true) : undefined;
    // `columns: { … } # why` is on the table's lines; a block mapping's trailing comment is not.
    const after = isMap(columns) && columns.flow ? columns.comment : undefined;
    const own = joinComments([...rest, ...aroundValue(table), after]);
    const key = place(keyNode(table));
    if (key && own) byPlace.set(key, own);
    if (key && section) sections.set(key, section);
    if (!isMap(columns)) return;
    columns.items.forEach((column, j) => {
      if (!isPair(column)) return;
      const above = [j === 0 ? columns.commentBefore : undefined, keyNode(column)?.commentBefore];
      const text = joinComments([...above, ...aroundValue(column)]);
      const at = place(keyNode(column));
      if (at && text) byPlace.set(at, text);
    });
  });
  return { byPlace, sections };
}

const keyNode = (pair: Pair): Node | undefined =>
  pair.key && typeof pair.key === 'object' ? (pair.key as Node) : undefined;

/** The comment after the key or the value on their line, and the lines between key and a block value. */
function aroundValue(pair: Pair): (string | null | undefined)[] {
  const value = pair.value && typeof pair.value === 'object' ? (pair.value as Node) : undefined;
  return [keyNode(pair)?.comment, value?.commentBefore, value?.comment];
}

/** A ruler line (`--- people ---`, `=== x ===`): the words inside it. */
const RULER = /^\s*[-=#*~]{3,}\s*(.*?)\s*[-=#*~]*\s*$/;

/** Separates section rulers from ordinary comment lines; an empty heading ends a section. */
function splitHeading(comments: (string | null | undefined)[]): { heading?: string; rest: string[] } {
  let heading: string | undefined;
  const rest: string[] = [];
  for (const comment of comments) {
    for (const line of (comment ?? '').split('\n')) {
      const ruler = RULER.exec(line);
      if (ruler) heading = ruler[1] ?? '';
      else rest.push(line);
    }
  }
  return { ...(heading !== undefined && { heading }), rest };
}

/** Comment lines as one sentence-like string: trimmed, blank lines and editor hints left out. */
function joinComments(comments: (string | null | undefined)[]): string {
  return comments
    .flatMap((c) => (c ?? '').split('\n'))
    .map((line) => line.trim())
    .filter((line) => line && !line.startsWith('yaml-language-server:'))
    .join(' ');
}
