import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { builtinTransformers } from './builtins.ts';
import { email } from './email.ts';
import { build, testColumn } from './test-context.ts';

const json = builtinTransformers.find((d) => d.name === 'json')!;
const make = (paths: Record<string, unknown>, column = {}, options = {}) =>
  build(json, { paths }, { category: 'json', ...column }, options);
const issues = (paths: unknown) => {
  const result = json.params.safeParse({ paths });
  return result.success ? [] : result.error.issues.map((i) => `${i.path.join('/')}: ${i.message}`);
};

describe('json', () => {
  it('masks the values at paths and keeps every other byte', () => {
    const t = make({ '$.email': 'email', '$.cards[*].number': { transform: 'partial', keepLast: 4 }, '$.note': null });
    const input =
      '{ "id": 12345678901234567890, "email": "jo@corp.example",\n' +
      ' "cards": [{"number": "4111111111111111"}, {"number": "5500005555555559"}], "note": "call me", "x": 1.50 }';
    const out = t(input, []) as string;
    expect(out).toMatch(
      new RegExp(
        String.raw`^\{ "id": 12345678901234567890, "email": "[a-z]+\.[a-z]+\.\d{4}@example\.com",\n` +
          String.raw` "cards": \[\{"number": "\*{12}1111"\}, \{"number": "\*{12}5559"\}\],` +
          String.raw` "note": null, "x": 1\.50 \}$`,
      ),
    );
  });

  it('masks a value inside JSON as the same transformer masks a column', () => {
    const inJson = make({ '$.contact.mail': 'email' })('{"contact":{"mail":"jo@corp.example"}}', []) as string;
    const inColumn = build(email)('jo@corp.example', []);
    expect(JSON.parse(inJson).contact.mail).toBe(inColumn);
    const domain = make({ '$.m': { transform: 'email', consistent: 'people' } })(
      '{"m":"jo@corp.example"}',
      [],
    ) as string;
    expect(JSON.parse(domain).m).toBe(build(email, {}, {}, { domain: 'people' })('jo@corp.example', []));
  });

  it('keeps value types: numbers stay numbers, objects a rule keeps stay as written', () => {
    const t = make({ '$.n': { transform: 'noise', percent: 10 }, '$.o': 'keep', '$.s': 'hash' });
    const out = JSON.parse(t('{"n": 200, "o": {"k": [1, 2]}, "s": 42}', []) as string);
    expect(typeof out.n).toBe('number');
    expect(Math.abs(out.n - 200)).toBeLessThanOrEqual(20);
    expect(out.o).toEqual({ k: [1, 2] });
    expect(out.s).toMatch(/^[0-9a-f]{64}$/);
  });

  it('returns the input itself when no path matches, and keeps NULL', () => {
    const t = make({ '$.a.b': 'email' });
    expect(t('[1, 2]', [])).toBe('[1, 2]');
    const buffer = Buffer.from('{"z":1}');
    expect(t(buffer, [])).toBe(buffer);
    expect(t(null, [])).toBeNull();
  });

  it('is deterministic and always writes valid JSON with the same structure', () => {
    const t = make({ '$.*': 'scramble', '$[*]': 'scramble' });
    fc.assert(
      fc.property(fc.json(), (text) => {
        const out = t(text, []) as string;
        expect(t(text, [])).toBe(out);
        const [before, after] = [JSON.parse(text), JSON.parse(out)] as unknown[];
        const shape = (v: unknown): unknown => (v && typeof v === 'object' ? Object.keys(v) : typeof v);
        expect(shape(after)).toEqual(shape(before));
      }),
    );
  });

  it('refuses invalid JSON without quoting it', () => {
    const t = make({ '$.a': 'email' });
    expect(() => t('{"secret": "jane@corp', [])).toThrow(/^json: the value is not valid JSON$/);
  });

  it('names the path when a nested transformer fails', () => {
    expect(() => make({ '$.d': { transform: 'dateShift', days: 5 } })('{"d": "soon"}', [])).toThrow(
      /^json path \$\.d: dateShift:/,
    );
    const otherColumns = [testColumn({ name: 'id' })];
    expect(() =>
      build(json, { paths: { '$.x': { transform: 'template', template: '{{row.nope}}' } } }, {}, { otherColumns }),
    ).toThrow('path $.x: template: unknown column "nope"');
  });

  it('fits the column or refuses the value', () => {
    expect(() =>
      make({ '$.a': { transform: 'constant', value: 'a long replacement' } }, { category: 'text', maxLength: 12 })(
        '{"a":"b"}',
        [],
      ),
    ).toThrow("longer than the column's maximum length 12");
  });

  it('validates paths and nested rules with the parameters', () => {
    expect(issues({})).toEqual(['paths: needs at least one path']);
    expect(issues({ 'a.b': 'email' })).toEqual(['paths/a.b: not a JSONPath: must start with $']);
    expect(issues({ '$.a': 'emial' })).toEqual(['paths/$.a: unknown transformer "emial"']);
    expect(issues({ '$.a': { transform: 'hash', length: 0 } })).toEqual([
      expect.stringMatching(/^paths\/\$\.a: hash parameter length: /),
    ]);
    expect(issues({ '$.a': { transform: 'email', unique: true } })).toEqual([
      'paths/$.a: unique apply to columns, not to values inside JSON',
    ]);
    expect(issues({ '$.a': 'person.firstName', '$.b[*]': { transform: 'partial', keepLast: 2 } })).toEqual([]);
  });
});
