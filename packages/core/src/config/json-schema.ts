import { fileURLToPath } from 'node:url';
import { z } from 'zod';
import { builtinTransformers } from '../transformers/builtins.ts';
import { type JsonSchema, paramsJsonSchema, type SchemaOverride } from '../transformers/catalogue.ts';
import { NestedRuleSchema } from '../transformers/nested-rule.ts';
import { ColumnRuleSchema, RulesFileSchema } from './rules-schema.ts';

/** Where the generated JSON Schema is committed, for editors (`yaml-language-server: $schema=`). */
export const RULES_JSON_SCHEMA_FILE = fileURLToPath(new URL('../../masque-rules.schema.json', import.meta.url));

const TRANSFORMER_NAME = '#/definitions/transformerName';
const TRANSFORMER_SHORTHAND = '#/definitions/transformerShorthand';
const TRANSFORMER_PARAMETERS = '#/definitions/transformerParameters';

/** faker's `module.method` names as a pattern: the list is long and follows the faker version. */
const FAKER_METHOD = '^[a-z][a-zA-Z]*\\.[a-zA-Z][a-zA-Z0-9]*$';

/** Keys of a rule object that are not the transformer's parameters (rules-schema.ts handles them). */
const RULE_KEYS = { transform: true, unique: true, when: true, consistent: true, group: true };

const [, columnRuleName, columnRuleObject] = ColumnRuleSchema.options;
const [, nestedRuleName, nestedRuleObject] = NestedRuleSchema.options;

/**
 * Links every place a rule is written (column rules, and rules nested in `json` paths) to the
 * shared definitions: names complete from the catalogue, parameters validate per transformer.
 * The zod schema stays loose on purpose; the registry validates parameters with messages that
 * name the rule's place, and this only helps editors.
 */
const linkRules: SchemaOverride = ({ zodSchema, jsonSchema }) => {
  const schema = jsonSchema as JsonSchema;
  if (zodSchema === columnRuleName || zodSchema === nestedRuleName) schema.allOf = [{ $ref: TRANSFORMER_SHORTHAND }];
  if (zodSchema === columnRuleObject || zodSchema === nestedRuleObject) {
    (schema.properties as Record<string, JsonSchema>).transform!.allOf = [{ $ref: TRANSFORMER_NAME }];
    schema.allOf = [{ $ref: TRANSFORMER_PARAMETERS }];
  }
};

/**
 * Names: builtins as an enum (editors complete them, with descriptions), or a faker method.
 * `shorthand` keeps only the builtins that work without parameters (`column: email`), so an
 * editor does not suggest `column: template`, which needs its `template`.
 */
function transformerName(shorthand: boolean): JsonSchema {
  const builtins = builtinTransformers.filter((d) => !shorthand || d.params.safeParse({}).success);
  return {
    anyOf: [
      {
        type: 'string',
        enum: builtins.map((d) => d.name),
        markdownEnumDescriptions: builtins.map((d) => d.description),
        description: shorthand
          ? 'A builtin transformer that needs no parameters; ' +
            'the others take the form { transform: NAME, ...parameters }.'
          : 'A builtin transformer (`masque transformers` lists them with their parameters).',
      },
      {
        type: 'string',
        pattern: FAKER_METHOD,
        description: 'A faker method, `module.method`, e.g. `person.firstName` or `location.city`.',
      },
    ],
  };
}

/** One `if transform is X then X's parameters` per builtin; faker methods take any options. */
function transformerParameters(): JsonSchema {
  return {
    allOf: builtinTransformers.map((definition) => {
      const params = paramsJsonSchema(definition, linkRules);
      const then: JsonSchema = {
        description: definition.description,
        properties: { ...RULE_KEYS, ...(params.properties as object) },
        additionalProperties: false,
      };
      if (params.required) then.required = params.required;
      return { if: { properties: { transform: { const: definition.name } }, required: ['transform'] }, then };
    }),
  };
}

/**
 * The rules file's JSON Schema, generated from the zod schema and the transformer definitions so
 * they cannot disagree. Draft-07 because it is what most editors' YAML and JSON language servers
 * read. `io: 'input'` describes what a user writes: keys with defaults are optional.
 */
export function rulesJsonSchema(): Record<string, unknown> {
  const schema = z.toJSONSchema(RulesFileSchema, { target: 'draft-7', io: 'input', override: linkRules }) as JsonSchema;
  schema.definitions = {
    transformerName: transformerName(false),
    transformerShorthand: transformerName(true),
    transformerParameters: transformerParameters(),
  };
  return schema;
}

/** The file's exact text: stable key order and a final newline, so regenerating is a no-op diff. */
export function renderRulesJsonSchema(): string {
  return `${JSON.stringify(rulesJsonSchema(), null, 2)}\n`;
}
