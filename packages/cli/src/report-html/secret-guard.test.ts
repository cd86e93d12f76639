import { describe, expect, it } from 'vitest';
import { refuseSecret } from './secret-guard.ts';

describe('the secret guard', () => {
  it('refuses a page holding the secret as is, HTML-escaped or JSON-escaped', () => {
    const secret = 'k3y<&"\\value';
    for (const page of [
      `x${secret}x`,
      'x k3y&lt;&amp;&quot;\\value',
      '{"a":"k3y<&\\"\\\\value"}',
      '{"a":"k3y\\u003c&\\"\\\\value"}',
    ])
      expect(() => refuseSecret(page, secret, 'p.html'), page).toThrow('p.html: the page would contain the secret');
    expect(() => refuseSecret('<p>nothing here</p>', secret, 'p.html')).not.toThrow();
  });

  it('does not look for a secret too short to mean anything, nor for none', () => {
    expect(() => refuseSecret('<p>s</p>', 's', 'p.html')).not.toThrow();
    expect(() => refuseSecret('<p>s</p>', undefined, 'p.html')).not.toThrow();
  });
});
