import type { TransformerDefinition } from './define-transformer.ts';
import { constant } from './constant.ts';
import { dateShift } from './date-shift.ts';
import { email } from './email.ts';
import { hash } from './hash.ts';
import { keep } from './keep.ts';
import { noise } from './noise.ts';
import { nullTransformer } from './null.ts';
import { partial } from './partial.ts';
import { redact } from './redact.ts';
import { scramble } from './scramble.ts';

/**
 * Every builtin transformer, in catalogue order. A plain list, not import side effects: the same
 * definitions drive rule validation, `masque transformers`, the JSON Schema and the docs.
 * Faker methods are not listed here; the registry resolves them by name.
 */
export const builtinTransformers: readonly TransformerDefinition[] = [
  keep,
  nullTransformer,
  constant,
  redact,
  email,
  hash,
  partial,
  scramble,
  dateShift,
  noise,
];
