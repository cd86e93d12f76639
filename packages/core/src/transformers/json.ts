import { z } from 'zod';
import type { Value } from '../dialects/dialect.ts';
import type { ColumnInfo } from '../dialects/schema.ts';
import { type Transform, defineTransformer } from './define-transformer.ts';
import { fitsColumn, textOf } from './fit.ts';
import { locate, parseJsonPath, type PathStep } from './json-path.ts';
import { NestedRuleSchema, type NestedRule, type ResolveTransformer, resolveNestedRule } from './nested-rule.ts';

/** A JSON value's text as the value a nested transformer sees: objects and arrays stay JSON text. */
function jsonValue(raw: string): Value {
  switch (raw[0]) {
    case '"':
      return JSON.parse(raw) as string;
    case '{':
    case '[':
      return raw;
    case 't':
      return true;
    case 'f':
      return false;
    case 'n':
      return null;
    default:
      return Number(raw);
  }
}

/** A nested transformer's result as JSON text. */
function jsonText(value: Value): string {
  if (value === null) return 'null';
  if (typeof value === 'number') return Number.isFinite(value) ? String(value) : 'null';
  if (typeof value === 'bigint' || typeof value === 'boolean') return String(value);
  return JSON.stringify(textOf(value));
}

/** Nested rules write values inside JSON, which have no column length of their own. */
function innerColumn(column: ColumnInfo, path: string): ColumnInfo {
  return {
    name: `${column.name} ${path}`,
    dataType: 'json value',
    category: 'text',
    nullable: true,
    generated: false,
    identity: false,
  };
}

/** Runs `transform` on every value `steps` finds and splices the results into the text. */
function applyPath(text: string, steps: readonly PathStep[], transform: Transform, row: Value[]): string {
  const spans = locate(text, steps);
  if (!spans.length) return text;
  let out = '';
  let last = 0;
  for (const { start, end } of spans) {
    const raw = text.slice(start, end);
    const input = jsonValue(raw);
    const result = transform(input, row);
    // An unchanged value keeps its exact text (`keep`, NULL, an object a rule left alone).
    out += text.slice(last, start) + (result === input ? raw : jsonText(result));
    last = end;
  }
  return out + text.slice(last);
}

/**
 * `json` applies rules to values inside a JSON or JSONB value. It is built with the registry's
 * lookup, because its nested rules name other transformers (and the registry lists `json`).
 */
export function jsonTransformer(resolve: ResolveTransformer) {
  const paths = z
    .record(z.string(), NestedRuleSchema)
    .describe(
      'Rule per JSONPath: `{ "$.email": email, "$.items[*].card": { transform: partial, keepLast: 4 } }`. ' +
        'Rules apply in this order.',
    )
    .superRefine((rules, ctx) => {
      if (!Object.keys(rules).length) ctx.addIssue({ code: 'custom', message: 'needs at least one path' });
      for (const [path, rule] of Object.entries(rules)) {
        try {
          parseJsonPath(path);
        } catch (error) {
          ctx.addIssue({ code: 'custom', path: [path], message: `not a JSONPath: ${(error as Error).message}` });
          continue;
        }
        const nested = resolveNestedRule(rule, resolve);
        if (Array.isArray(nested))
          for (const message of nested) ctx.addIssue({ code: 'custom', path: [path], message });
      }
    });

  /** Resolves the (already validated) rules, in file order. */
  const compile = (rules: z.infer<typeof paths>) =>
    Object.entries(rules).map(([path, rule]) => ({
      path,
      steps: parseJsonPath(path),
      rule: resolveNestedRule(rule, resolve) as NestedRule,
    }));

  return defineTransformer({
    name: 'json',
    description:
      'Apply rules to values inside a JSON/JSONB value, found by JSONPath (`$.a.b`, `$.items[*].email`); ' +
      'every other byte is kept.',
    params: z.strictObject({ paths }),
    columnTypes: ['json', 'text'],
    async prepare({ paths: rules }, env) {
      const prepared: Record<string, unknown> = {};
      for (const { path, rule } of compile(rules)) {
        if (rule.definition.prepare) prepared[path] = await rule.definition.prepare(rule.params, env);
      }
      return prepared;
    },
    create({ paths: rules }, context) {
      const { column, keyed } = context;
      const prepared = (context.prepared ?? {}) as Record<string, unknown>;
      const compiled = compile(rules).map(({ path, steps, rule }) => {
        let transform: Transform;
        try {
          transform = rule.definition.create(rule.params, {
            ...context,
            column: innerColumn(column, path),
            keyed: keyed.forDomain(rule.domain),
            prepared: prepared[path],
          });
        } catch (error) {
          throw new Error(`path ${path}: ${rule.definition.name}: ${(error as Error).message}`);
        }
        return { path, steps, transform };
      });
      return (value, row) => {
        if (value === null) return null;
        const text = textOf(value);
        try {
          JSON.parse(text);
        } catch {
          // JSON.parse's message quotes the text, which is personal data: say only what is wrong.
          throw new Error('json: the value is not valid JSON');
        }
        let out = text;
        for (const { path, steps, transform } of compiled) {
          try {
            out = applyPath(out, steps, transform, row);
          } catch (error) {
            throw new Error(`json path ${path}: ${(error as Error).message}`);
          }
        }
        if (out === text) return value;
        if (!fitsColumn(out, column))
          throw new Error(`json: the masked JSON is longer than the column's maximum length ${column.maxLength}`);
        return Buffer.isBuffer(value) ? Buffer.from(out, 'utf8') : out;
      };
    },
  });
}
