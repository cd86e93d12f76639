import picomatch from 'picomatch';

/**
 * How masque reads a glob: `*` any text, `?` any one character but `/`, every other character
 * itself (`[`, `{`, `(`, `!`, `\` included), so that a table or host name holding them matches
 * itself. picomatch compiles it; it is made for paths, so `bash` lets a `*` cross `/` (URLs and
 * file paths need it), and without its fast paths a `*` is the same anywhere in a pattern.
 */
export function globMatcher(glob: string, { nocase = false }: { nocase?: boolean } = {}): (text: string) => boolean {
  const key = `${nocase ? 'i' : 'c'}${glob}`;
  const regexp = compiled.get(key) ?? compiled.set(key, compile(glob, nocase)).get(key)!;
  return (text) => regexp.test(text);
}

/** Compiled once per glob: a plan matches every rule's pattern against every table. */
const compiled = new Map<string, RegExp>();

function compile(glob: string, nocase: boolean): RegExp {
  // A backslash escapes itself; the empty quotes after it keep picomatch from folding a run of them.
  const escaped = glob.replace(/\*+/g, '*').replace(/[^\p{L}\p{N}*?]/gu, (c) => (c === '\\' ? '\\\\""' : `\\${c}`));
  return picomatch.makeRe(escaped, { bash: true, dot: true, fastpaths: false, nocase, windows: false });
}
