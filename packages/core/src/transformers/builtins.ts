import type { TransformerDefinition } from './define-transformer.ts';
import { constant } from './constant.ts';
import { creditCard } from './credit-card.ts';
import { custom } from './custom.ts';
import { dateShift } from './date-shift.ts';
import { email } from './email.ts';
import { fakerTransformer } from './faker-method.ts';
import { hash } from './hash.ts';
import { iban } from './iban.ts';
import { ip } from './ip.ts';
import { jsonTransformer } from './json.ts';
import { keep } from './keep.ts';
import { mentionsTransformer } from './mentions.ts';
import { noise } from './noise.ts';
import { nullTransformer } from './null.ts';
import { partial } from './partial.ts';
import { phone } from './phone.ts';
import { redact } from './redact.ts';
import { regex } from './regex.ts';
import { scramble } from './scramble.ts';
import { template } from './template.ts';
import { uuid } from './uuid.ts';

/** Rules nested in `json` resolve as column rules do (looked up when a rule is checked, not now). */
const json = jsonTransformer((name) => builtinTransformers.find((d) => d.name === name) ?? fakerTransformer(name));
/** So do the rules `mentions` names for the columns whose values it finds in text. */
const mentions = mentionsTransformer(
  (name) => builtinTransformers.find((d) => d.name === name) ?? fakerTransformer(name),
);

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
  template,
  regex,
  noise,
  dateShift,
  uuid,
  phone,
  creditCard,
  iban,
  ip,
  json,
  mentions,
  custom,
];
