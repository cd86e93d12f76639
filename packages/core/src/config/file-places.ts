import { isAlias, isMap, isScalar, isSeq, type Document, type LineCounter, type Pair } from 'yaml';
import type { SourcePlace } from '../errors.ts';

/** A path into the parsed rules: keys of mappings and indexes of lists. */
export type RulesPath = readonly PropertyKey[];

/** The text of a mapping key, as `toJS` turns it into an object key. */
export function keyText(key: unknown): string {
  return isScalar(key) ? String(key.value) : String(key);
}

/**
 * Maps paths and offsets of one parsed rules file to `file:line:column` places. Paths come from
 * zod issues and from normalisation; walking the YAML nodes (not the JS value) is what keeps the
 * positions.
 */
export class FilePlaces {
  constructor(
    readonly file: string,
    private readonly doc: Document,
    private readonly lines: LineCounter,
  ) {}

  /** The place of a character offset in the text. */
  at(offset: number): SourcePlace {
    const { line, col } = this.lines.linePos(offset);
    return { file: this.file, line, column: col };
  }

  /** Where the value at `path` is written, or its nearest written ancestor when it is missing. */
  ofValue(path: RulesPath): SourcePlace {
    const { node, pair } = this.walk(path);
    const range = node?.range ?? pair?.key?.range ?? this.doc.contents?.range;
    return this.at(range?.[0] ?? 0);
  }

  /** Where the key that ends `path` is written; falls back to `ofValue` (e.g. for list items). */
  ofKey(path: RulesPath): SourcePlace {
    const { pair, depth } = this.walk(path);
    const range = depth === path.length ? pair?.key?.range : undefined;
    return range ? this.at(range[0]) : this.ofValue(path);
  }

  /** Follows `path` as far as the document goes; `depth` is how many segments were found. */
  private walk(path: RulesPath): { node?: NodeWithRange; pair?: PairWithRange; depth: number } {
    let node = this.doc.contents as unknown;
    let pair: PairWithRange | undefined;
    let depth = 0;
    for (const segment of path) {
      if (isAlias(node)) node = node.resolve(this.doc);
      let next: unknown;
      if (isMap(node)) {
        pair = node.items.find((item) => keyText(item.key) === String(segment)) as PairWithRange | undefined;
        next = pair?.value;
        // A pair without a value node (`? key`) still has a key to point at.
        if (pair && !next) return { pair, depth: depth + 1 };
      } else if (isSeq(node) && typeof segment === 'number') {
        pair = undefined;
        next = node.items[segment];
      }
      if (!next) break;
      node = next;
      depth++;
    }
    return { node: node as NodeWithRange | undefined, pair, depth };
  }
}

type Range = readonly [number, number, number];
type NodeWithRange = { range?: Range | null };
type PairWithRange = Pair<NodeWithRange | null, unknown>;
