import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { locate, parseJsonPath } from './json-path.ts';

const found = (text: string, path: string) => locate(text, parseJsonPath(path)).map((s) => text.slice(s.start, s.end));

describe('JSON paths', () => {
  it('parses names, quoted keys, indexes and wildcards', () => {
    expect(parseJsonPath('$')).toEqual([]);
    expect(parseJsonPath('$.a[\'b c\'][2][*].*["d\\"e"]')).toEqual([
      { key: 'a' },
      { key: 'b c' },
      { index: 2 },
      { any: true },
      { any: true },
      { key: 'd"e' },
    ]);
  });

  it('refuses what it cannot read, saying where', () => {
    expect(() => parseJsonPath('a.b')).toThrow('must start with $');
    expect(() => parseJsonPath('$.a..b')).toThrow('cannot read "..b"');
    expect(() => parseJsonPath('$.a[-1]')).toThrow('cannot read "[-1]"');
  });

  it('finds the values at a path, keeping their exact text', () => {
    const text = ' { "a" : { "b" : 12345678901234567890 , "c":[1, {"d":"x\\"}"} ]}, "e\\u0041":true } ';
    expect(found(text, '$.a.b')).toEqual(['12345678901234567890']);
    expect(found(text, '$.a.c[1].d')).toEqual(['"x\\"}"']);
    expect(found(text, '$.a.c[*]')).toEqual(['1', '{"d":"x\\"}"}']);
    expect(found(text, '$.eA')).toEqual(['true']);
    expect(found(text, '$.*.b')).toEqual(['12345678901234567890']);
    expect(found(text, '$')).toEqual([
      '{ "a" : { "b" : 12345678901234567890 , "c":[1, {"d":"x\\"}"} ]}, "e\\u0041":true }',
    ]);
    expect(found(text, '$.a.nope')).toEqual([]);
    expect(found(text, '$.a.b.c')).toEqual([]);
    expect(found('[]', '$[*]')).toEqual([]);
    expect(found('{}', '$.a')).toEqual([]);
  });

  it('finds exactly what a parser finds, in any JSON', () => {
    fc.assert(
      fc.property(fc.jsonValue(), fc.constantFrom(undefined, 2, '\t'), (parsed, indent) => {
        const text = JSON.stringify(parsed, null, indent);
        const members = (v: unknown): unknown[] => (v && typeof v === 'object' ? Object.values(v) : []);
        const expected = members(JSON.parse(text)).flatMap(members);
        expect(found(text, '$.*.*').map((s) => JSON.parse(s) as unknown)).toEqual(expected);
      }),
    );
  });

  it('skips deep values off the path without overflowing', () => {
    const deep = `{"a":${'['.repeat(100000)}${']'.repeat(100000)},"b":1}`;
    expect(found(deep, '$.b')).toEqual(['1']);
  });
});
