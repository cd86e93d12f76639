import { z } from 'zod';
import type { TypeCategory } from '../dialects/schema.ts';
import { builtinTransformers } from './builtins.ts';
import type { TransformerDefinition } from './define-transformer.ts';
import { fakerMethodNames } from './faker-method.ts';

/** A JSON Schema object, loosely typed: the catalogue only reads a few keywords from it. */
export type JsonSchema = Record<string, unknown>;

/** Hook to adjust parts of a generated schema (the rules JSON Schema links nested rules this way). */
export type SchemaOverride = NonNullable<Parameters<typeof z.toJSONSchema>[1]>['override'];

/**
 * A transformer's parameters as a draft-07 JSON Schema object (without `$schema`), describing
 * what a user writes: parameters with defaults are optional.
 */
export function paramsJsonSchema(definition: TransformerDefinition, override?: SchemaOverride): JsonSchema {
  const { $schema: _, ...schema } = z.toJSONSchema(definition.params, {
    target: 'draft-7',
    io: 'input',
    ...(override ? { override } : {}),
  });
  return schema as JsonSchema;
}

/** One parameter, for people and machines (`masque transformers [--json]`). */
export interface ParameterInfo {
  name: string;
  /** Readable type: `string`, `integer 1..64`, `hex | base64url`, `4 | 6`, `object`. */
  type: string;
  required: boolean;
  default?: unknown;
  description?: string;
}

export interface TransformerInfo {
  name: string;
  description: string;
  /** Column type families it can write; undefined means any. */
  columnTypes?: TypeCategory[];
  parameters: ParameterInfo[];
}

export interface FakerInfo {
  /** How many `module.method` names there are. */
  count: number;
  /** How to name one in a rule. */
  naming: string;
  /** Method names by module, e.g. `person: [firstName, lastName, …]`. */
  modules: Record<string, string[]>;
}

export interface Catalogue {
  transformers: TransformerInfo[];
  faker: FakerInfo;
}

/** Bounds worth printing; zod's safe-integer limits say nothing to a reader. */
const range = (s: JsonSchema): string => {
  const min = (s.minimum ?? s.exclusiveMinimum) as number | undefined;
  const max = s.maximum as number | undefined;
  const shown = (n: number | undefined) => n !== undefined && Math.abs(n) < Number.MAX_SAFE_INTEGER;
  if (!shown(min) && !shown(max)) return '';
  const low = shown(min) ? `${s.exclusiveMinimum !== undefined ? '>' : ''}${min}` : '';
  return ` ${low}..${shown(max) ? max : ''}`;
};

/** A readable type for one parameter's JSON Schema. */
function typeText(s: JsonSchema): string {
  if (Array.isArray(s.enum)) return s.enum.map(String).join(' | ');
  if ('const' in s) return String(s.const);
  if (Array.isArray(s.anyOf)) return (s.anyOf as JsonSchema[]).map(typeText).join(' | ');
  if (Array.isArray(s.type)) return s.type.join(' | ');
  const type = String(s.type ?? 'any');
  return type === 'integer' || type === 'number' ? type + range(s) : type;
}

/** What `masque transformers` shows for one definition. */
export function describeTransformer(definition: TransformerDefinition): TransformerInfo {
  const schema = paramsJsonSchema(definition);
  const required = new Set((schema.required as string[] | undefined) ?? []);
  const parameters = Object.entries((schema.properties ?? {}) as Record<string, JsonSchema>).map(([name, p]) => {
    const info: ParameterInfo = { name, type: typeText(p), required: required.has(name) };
    if ('default' in p) info.default = p.default;
    if (typeof p.description === 'string') info.description = p.description;
    return info;
  });
  const info: TransformerInfo = { name: definition.name, description: definition.description, parameters };
  if (definition.columnTypes) info.columnTypes = [...definition.columnTypes];
  return info;
}

/** The whole catalogue, from the definitions themselves: builtins in order, then faker's methods. */
export function transformerCatalogue(): Catalogue {
  const modules: Record<string, string[]> = {};
  for (const name of fakerMethodNames()) {
    const [module, method] = name.split('.') as [string, string];
    const methods = modules[module];
    if (methods) methods.push(method);
    else modules[module] = [method];
  }
  return {
    transformers: builtinTransformers.map(describeTransformer),
    faker: {
      count: fakerMethodNames().length,
      naming:
        'module.method, e.g. person.firstName or location.city; ' +
        'parameters are passed to faker as its options, e.g. { transform: number.int, min: 1, max: 9 }, ' +
        "except shape (default true: keep the input's case, blanks, and a phone's or postal code's layout)",
      modules,
    },
  };
}
