/**
 * The JSONPath subset `json` rules use: `$`, then `.name`, `['name']` / `["name"]`, `[0]`, and the
 * wildcards `[*]` / `.*` (every member of an object, every element of an array).
 */
export type PathStep = { key: string } | { index: number } | { any: true };

/** The forms of a step, tried in order at the start of what is left of a path. */
const STEP_FORMS: [RegExp, (m: RegExpExecArray) => PathStep][] = [
  [/^\.\*/, () => ({ any: true })],
  [/^\.([A-Za-z_$][\w$-]*)/, (m) => ({ key: m[1]! })],
  [/^\[\*\]/, () => ({ any: true })],
  [/^\[(\d+)\]/, (m) => ({ index: Number(m[1]) })],
  [/^\[(?:'((?:[^'\\]|\\.)*)'|"((?:[^"\\]|\\.)*)")\]/, (m) => ({ key: (m[1] ?? m[2]!).replace(/\\(.)/g, '$1') })],
];

/** Parses a path such as `$.items[*].email`; throws a message naming what is wrong. */
export function parseJsonPath(path: string): PathStep[] {
  if (!path.startsWith('$')) throw new Error('must start with $');
  const steps: PathStep[] = [];
  let rest = path.slice(1);
  while (rest) {
    const read = readStep(rest);
    if (!read) throw new Error(`cannot read "${rest}": use .name, ['name'], [0], [*] or .*`);
    steps.push(read.step);
    rest = rest.slice(read.length);
  }
  return steps;
}

/** The step at the start of `rest`, and how many characters it takes. */
function readStep(rest: string): { step: PathStep; length: number } | undefined {
  for (const [pattern, step] of STEP_FORMS) {
    const m = pattern.exec(rest);
    if (m) return { step: step(m), length: m[0].length };
  }
  return undefined;
}

/** A value's place in a JSON text: `text.slice(start, end)` is the value. */
export interface Span {
  start: number;
  end: number;
}

const WHITESPACE = new Set([' ', '\t', '\n', '\r']);

/**
 * Where the values at `steps` are in `text`, which must be valid JSON (check with JSON.parse
 * first: this scanner trusts it). Finding places rather than parsing lets `json` splice new
 * values in and keep every other byte as it was, including numbers JavaScript cannot hold exactly.
 */
export function locate(text: string, steps: readonly PathStep[]): Span[] {
  const spans: Span[] = [];
  let i = 0;
  const space = () => {
    while (WHITESPACE.has(text[i]!)) i++;
  };
  const skipString = () => {
    for (i++; text[i] !== '"'; i++) if (text[i] === '\\') i++;
    i++;
  };
  /** Skips any value without recursion, so deep JSON off the path cannot overflow the stack. */
  const skipValue = () => {
    let depth = 0;
    do {
      const ch = text[i];
      if (ch === '"') skipString();
      else if (ch === '{' || ch === '[') {
        depth++;
        i++;
      } else if (ch === '}' || ch === ']') {
        depth--;
        i++;
      } else if (depth === 0) {
        while (i < text.length && !',}] \t\n\r'.includes(text[i]!)) i++;
      } else i++;
    } while (depth > 0);
  };
  /** Walks the value at `i`, which the first `depth` steps led to. */
  const walk = (depth: number) => {
    space();
    if (depth === steps.length) {
      const start = i;
      skipValue();
      spans.push({ start, end: i });
      return;
    }
    const step = steps[depth]!;
    const ch = text[i];
    if (ch !== '{' && ch !== '[') return skipValue();
    i++;
    space();
    for (let n = 0; text[i] !== '}' && text[i] !== ']'; n++) {
      let matches: boolean;
      if (ch === '{') {
        const keyStart = i;
        skipString();
        const raw = text.slice(keyStart, i);
        const key = raw.includes('\\') ? (JSON.parse(raw) as string) : raw.slice(1, -1);
        matches = 'any' in step || ('key' in step && step.key === key);
        space();
        i++; // the colon
      } else {
        matches = 'any' in step || ('index' in step && step.index === n);
      }
      if (matches) walk(depth + 1);
      else {
        space();
        skipValue();
      }
      space();
      if (text[i] === ',') {
        i++;
        space();
      }
    }
    i++;
  };
  walk(0);
  return spans;
}
