import { distance } from 'fastest-levenshtein';
import { builtinTransformers } from './builtins.ts';
import type { TransformerDefinition } from './define-transformer.ts';
import { fakerMethodNames, fakerTransformer } from './faker-method.ts';

const builtins = new Map(builtinTransformers.map((d) => [d.name, d]));

/**
 * A builtin, else a faker method (`person.firstName`). Names are exact: the HMAC domain defaults
 * to the name as written, so two spellings of one transformer would mask alike values differently.
 */
export function resolveTransformer(name: string): TransformerDefinition | undefined {
  return builtins.get(name) ?? fakerTransformer(name);
}

/** Every name a rule may use: builtins first, then all faker `module.method` names. */
export function transformerNames(): string[] {
  return [...builtins.keys(), ...fakerMethodNames()];
}

/**
 * The closest known name to a misspelt one, for "unknown transformer … did you mean …?", or
 * undefined when nothing is close enough to be a plausible typo. Case is ignored
 * (`internet.userName` → `internet.username`), and a bare method name also matches its faker
 * module (`firstName` → `person.firstName`).
 */
export function suggestTransformer(name: string): string | undefined {
  const query = name.toLowerCase();
  // Up to a third of the characters wrong, and at least the two edits of a swapped pair (`emial`).
  const allowed = Math.max(2, Math.floor(query.length / 3));
  let best: string | undefined;
  let bestScore = Infinity;
  for (const candidate of transformerNames()) {
    const lower = candidate.toLowerCase();
    let score = distance(query, lower);
    if (!query.includes('.') && lower.includes('.'))
      score = Math.min(score, distance(query, lower.slice(lower.indexOf('.') + 1)) + 0.5);
    if (score < bestScore) [best, bestScore] = [candidate, score];
  }
  return bestScore <= allowed ? best : undefined;
}
