import { visit, type Document } from 'yaml';
import type { ConfigIssue } from './config-issue.ts';
import type { FilePlaces } from './file-places.ts';

/** The environment variables interpolation reads; `process.env` fits. */
export type Env = Readonly<Record<string, string | undefined>>;

// `$${` is an escaped literal `${`; `${...}` a reference; a lone `${` an unclosed reference.
const REFERENCE = /\$\$\{|\$\{([^}]*)\}|\$\{/g;
const NAME_AND_DEFAULT = /^([A-Za-z_][A-Za-z0-9_]*)(?::-(.*))?$/s;

/**
 * Replaces `${VAR}` and `${VAR:-default}` in every string value of the document, in place.
 * Done on the YAML nodes rather than on the text so that positions stay those of the file, and
 * rather than on the JS value so that every problem can still be placed. Keys are left alone:
 * table and column names are not configuration. `:-` takes the default when the variable is
 * unset or empty, as in the shell. Interpolated values stay strings, so a digits-only secret is
 * never turned into a number. Messages name variables, never their values.
 */
export function interpolateEnv(doc: Document, text: string, env: Env, places: FilePlaces): ConfigIssue[] {
  const issues: ConfigIssue[] = [];
  visit(doc, {
    Scalar(key, node) {
      if (key === 'key' || typeof node.value !== 'string' || !node.value.includes('${')) return;
      // Where each reference is written: searched in the scalar's source, which equals the value
      // for plain and simply quoted strings; otherwise the scalar's start is the best we know.
      const start = node.range?.[0] ?? 0;
      const source = text.slice(start, node.range?.[1] ?? start);
      let searchFrom = 0;
      const placeOf = (reference: string) => {
        const found = source.indexOf(reference, searchFrom);
        if (found < 0) return places.at(start);
        searchFrom = found + reference.length;
        return places.at(start + found);
      };
      node.value = node.value.replace(REFERENCE, (reference: string, inner: string | undefined) => {
        if (reference === '$${') {
          placeOf(reference);
          return '${';
        }
        const parsed = inner === undefined ? null : NAME_AND_DEFAULT.exec(inner);
        const place = placeOf(reference);
        if (!parsed) {
          // The text inside is not quoted back: it may be part of a secret written literally.
          const message = 'invalid ${…} reference: write ${NAME} or ${NAME:-default}, or $${ for a literal ${';
          issues.push({ message, place });
          return reference;
        }
        const name = parsed[1]!;
        const fallback = parsed[2];
        const value = env[name];
        if (value !== undefined && (value !== '' || fallback === undefined)) return value;
        if (fallback !== undefined) return fallback;
        issues.push({
          message: `environment variable ${name} is not set (give a default with \${${name}:-default})`,
          place,
        });
        return reference;
      });
    },
  });
  return issues;
}
