import { resolve } from 'node:path';
import { sqlitePath, stripPassword } from '../dialects/database-url.ts';
import { globMatcher } from '../glob.ts';

/**
 * `protect:` patterns are globs (`*` any text, `?` one character: glob.ts), matched ignoring case,
 * as host names are, against the target's URL with its password stripped, and against the parts
 * a reviewer is likely to write on their own: the host, `host:port`, and for SQLite the file's
 * absolute path. So `prod-db.internal`, `*.prod.example.com`, `postgres://*@db1:5432/*` and
 * `/srv/prod/*.db` all work.
 */
export function protectedBy(targetUrl: string, patterns: readonly string[]): string | undefined {
  const candidates = urlCandidates(targetUrl);
  return patterns.find((pattern) => {
    const matches = globMatcher(pattern, { nocase: true });
    return candidates.some(matches);
  });
}

/** Every spelling of the target a pattern may name. */
function urlCandidates(url: string): string[] {
  const stripped = stripPassword(url);
  if (/^sqlite:/i.test(url)) {
    const path = sqlitePath(url);
    return [stripped, path, resolve(path), `sqlite:${resolve(path)}`];
  }
  // A unix socket is spelt as a %2F-escaped host or as `?host=/dir` (an empty host, which the
  // WHATWG parser refuses, hence the plain regular expressions); patterns see it decoded.
  const authority = /^[a-z][a-z0-9+.-]*:\/\/(?:[^@/?#]*@)?([^/?#]*)/i.exec(url)?.[1] ?? '';
  const [, rawHost = '', port] = /^(\[[^\]]*\]|[^:]*)(?::(\d+))?$/.exec(authority) ?? [];
  const queryHost = /[?&]host=([^&#]*)/.exec(url)?.[1];
  const host = safeDecode(rawHost.replace(/^\[(.*)\]$/, '$1') || (queryHost ?? ''));
  const candidates = [stripped];
  if (host) candidates.push(host);
  if (host && port) candidates.push(`${host}:${port}`);
  return candidates;
}

function safeDecode(text: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    return text;
  }
}
