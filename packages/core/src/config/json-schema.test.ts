import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { builtinTransformers } from '../transformers/builtins.ts';
import { RULES_JSON_SCHEMA_FILE, renderRulesJsonSchema, rulesJsonSchema } from './json-schema.ts';

describe('rules JSON Schema', () => {
  it('is committed exactly as the zod schema generates it (run `pnpm schema` to refresh)', () => {
    expect(readFileSync(RULES_JSON_SCHEMA_FILE, 'utf8')).toBe(renderRulesJsonSchema());
  });

  it('is draft-07, rejects unknown top-level keys and requires only tables', () => {
    const schema = rulesJsonSchema();
    expect(schema.$schema).toBe('http://json-schema.org/draft-07/schema#');
    expect(schema.additionalProperties).toBe(false);
    expect(schema.required).toEqual(['tables']);
  });

  it('describes every top-level key for editors', () => {
    const properties = rulesJsonSchema().properties as Record<string, { description?: string }>;
    const undescribed = Object.entries(properties).filter(([, p]) => !p.description);
    expect(undescribed).toEqual([]);
  });
});

describe('rules JSON Schema: transformers', () => {
  // biome-ignore lint/suspicious/noExplicitAny: walks the generated document by path; the assertions check its shape.
  type Schema = Record<string, any>;
  const schema = rulesJsonSchema() as Schema;
  const columnRule = schema.properties.tables.additionalProperties.anyOf[1].properties.columns
    .additionalProperties as Schema;
  const definitions = schema.definitions as Schema;

  it('suggests every builtin name and accepts faker module.method names', () => {
    const [builtins, faker] = definitions.transformerName.anyOf as Schema[];
    expect(builtins!.enum).toEqual(builtinTransformers.map((d) => d.name));
    expect(builtins!.markdownEnumDescriptions).toEqual(builtinTransformers.map((d) => d.description));
    const pattern = new RegExp(faker!.pattern);
    for (const name of ['person.firstName', 'location.city', 'number.int']) expect(name).toMatch(pattern);
    for (const name of ['email', 'person', 'person.first name', 'a.b.c']) expect(name).not.toMatch(pattern);
    expect(columnRule.anyOf[1].allOf).toEqual([{ $ref: '#/definitions/transformerShorthand' }]);
    // The shorthand `column: NAME` suggests only builtins that need no parameters.
    const shorthand = definitions.transformerShorthand.anyOf[0].enum as string[];
    expect(shorthand).toContain('email');
    expect(shorthand).toContain('keep');
    for (const name of ['template', 'regex', 'constant', 'dateShift', 'noise', 'json', 'custom'])
      expect(shorthand).not.toContain(name);
    expect(columnRule.anyOf[2].properties.transform.allOf).toEqual([{ $ref: '#/definitions/transformerName' }]);
  });

  it("checks a rule object's parameters against its transformer's, and only those", () => {
    expect(columnRule.anyOf[2].allOf).toEqual([{ $ref: '#/definitions/transformerParameters' }]);
    const cases = definitions.transformerParameters.allOf as Schema[];
    expect(cases.map((c) => c.if.properties.transform.const)).toEqual(builtinTransformers.map((d) => d.name));
    const hash = cases.find((c) => c.if.properties.transform.const === 'hash')!.then;
    expect(Object.keys(hash.properties)).toEqual([
      'transform',
      'unique',
      'when',
      'consistent',
      'group',
      'length',
      'encoding',
    ]);
    expect(hash.properties.encoding.enum).toEqual(['hex', 'base64url']);
    expect(hash.additionalProperties).toBe(false);
    expect(cases.find((c) => c.if.properties.transform.const === 'template')!.then.required).toEqual(['template']);
  });

  it('links rules nested in json paths to the same definitions', () => {
    const json = (definitions.transformerParameters.allOf as Schema[]).find(
      (c) => c.if.properties.transform.const === 'json',
    )!.then;
    const [, name, object] = json.properties.paths.additionalProperties.anyOf as Schema[];
    expect(name!.allOf).toEqual([{ $ref: '#/definitions/transformerShorthand' }]);
    expect(object!.allOf).toEqual([{ $ref: '#/definitions/transformerParameters' }]);
  });
});
