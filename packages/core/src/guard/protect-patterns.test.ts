import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { stripPassword } from '../dialects/database-url.ts';
import { protectedBy } from './protect-patterns.ts';

describe('protect: patterns', () => {
  it('match a whole URL with the password stripped', () => {
    const url = 'postgres://app:s3cret@db1.prod.example.com:5432/shop';
    expect(stripPassword(url)).toBe('postgres://app@db1.prod.example.com:5432/shop');
    expect(protectedBy(url, ['postgres://app@db1.prod.example.com:5432/shop'])).toBe(
      'postgres://app@db1.prod.example.com:5432/shop',
    );
    expect(protectedBy(url, ['postgres://*@*.prod.example.com*'])).toBe('postgres://*@*.prod.example.com*');
    // A pattern written with the password never matches: masque never compares secrets.
    expect(protectedBy(url, ['postgres://app:s3cret@db1.prod.example.com:5432/shop'])).toBeUndefined();
  });

  it('match a host, or host:port, on their own, ignoring case', () => {
    const url = 'mysql://root@DB1.Prod.Example.com:3306/shop';
    expect(protectedBy(url, ['staging.*', '*.prod.example.com'])).toBe('*.prod.example.com');
    expect(protectedBy(url, ['db1.prod.example.com:3306'])).toBe('db1.prod.example.com:3306');
    expect(protectedBy(url, ['db1.prod.example.com:3307', 'db?.prod'])).toBeUndefined();
  });

  it('see a unix socket host decoded, however it is spelt', () => {
    expect(protectedBy('postgres://postgres@%2Fvar%2Frun%2Fpostgresql/app', ['/var/run/postgresql'])).toBe(
      '/var/run/postgresql',
    );
    expect(protectedBy('postgres://postgres@/app?host=/var/run/postgresql', ['/var/run/*'])).toBe('/var/run/*');
  });

  it('match a SQLite file by the path as written or its absolute form', () => {
    expect(protectedBy('sqlite:data/prod.db', ['*prod.db'])).toBe('*prod.db');
    expect(protectedBy('sqlite:data/prod.db', [resolve('data/prod.db')])).toBe(resolve('data/prod.db'));
    expect(protectedBy('sqlite:///srv/prod/app.db', ['/srv/prod/*'])).toBe('/srv/prod/*');
    expect(protectedBy('sqlite:staging.db', ['/srv/prod/*', '*prod*'])).toBeUndefined();
  });

  it('treat regular-expression characters literally', () => {
    expect(
      protectedBy('postgres://u@a.b:5432/x', ['postgres://u@a+b:5432/x', 'postgres://u@a(b):5432/x']),
    ).toBeUndefined();
    expect(protectedBy('postgres://u@axb:5432/x', ['postgres://u@a.b:5432/x'])).toBeUndefined();
  });
});
