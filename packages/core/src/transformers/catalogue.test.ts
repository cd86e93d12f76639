import { describe, expect, it } from 'vitest';
import { builtinTransformers } from './builtins.ts';
import { describeTransformer, transformerCatalogue } from './catalogue.ts';
import { fakerMethodNames } from './faker-method.ts';
import { hash } from './hash.ts';

describe('transformer catalogue', () => {
  it('describes each parameter: type, default, requirement, description', () => {
    expect(describeTransformer(hash)).toEqual({
      name: 'hash',
      description: hash.description,
      columnTypes: ['text'],
      parameters: [
        {
          name: 'length',
          type: 'integer 1..64',
          required: false,
          description: expect.stringMatching(/^Characters to keep/),
        },
        {
          name: 'encoding',
          type: 'hex | base64url',
          required: false,
          default: 'hex',
          description: 'Text encoding of the digest.',
        },
      ],
    });
  });

  it('lists every builtin in order, with a description for every parameter', () => {
    const { transformers } = transformerCatalogue();
    expect(transformers.map((t) => t.name)).toEqual(builtinTransformers.map((d) => d.name));
    const byName = Object.fromEntries(transformers.map((t) => [t.name, t]));
    expect(byName.template?.parameters).toEqual([
      expect.objectContaining({ name: 'template', type: 'string', required: true }),
    ]);
    expect(byName.ip?.parameters[0]?.type).toBe('4 | 6');
    expect(byName.partial?.parameters[0]?.type).toBe('integer 0..');
    expect(byName.constant?.parameters[0]?.type).toBe('string | number | boolean');
    expect(byName.json?.parameters[0]).toMatchObject({ name: 'paths', type: 'object', required: true });
    expect(byName.custom?.columnTypes).toBeUndefined();
    expect(transformers.flatMap((t) => t.parameters).filter((p) => !p.description)).toEqual([]);
  });

  it('summarises faker methods by module', () => {
    const { faker } = transformerCatalogue();
    expect(faker.count).toBe(fakerMethodNames().length);
    expect(faker.count).toBeGreaterThan(200);
    expect(faker.modules.person).toContain('firstName');
    expect(Object.values(faker.modules).flat().length).toBe(faker.count);
  });
});
