import { RuntimeError } from '@masque/core';
import { esc } from './html.ts';

/**
 * Shorter secrets are not looked for: a test's `s` is in every page by chance, and a secret that
 * short protects nothing anyway.
 */
const MIN_SECRET = 8;

/**
 * The last check before a page is written: the secret in any form the page could hold it (as
 * is, HTML-escaped, JSON-escaped as the data block writes it) stops the write. Nothing puts it there; this
 * makes sure of it.
 */
export function refuseSecret(html: string, secret: string | undefined, file: string): void {
  if (!secret || secret.length < MIN_SECRET) return;
  const json = JSON.stringify(secret).slice(1, -1);
  const forms = [secret, esc(secret), json, json.replace(/</g, '\\u003c')];
  if (forms.some((form) => html.includes(form)))
    throw new RuntimeError(`${file}: the page would contain the secret; not written`);
}
