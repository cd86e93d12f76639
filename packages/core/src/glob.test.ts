import { describe, expect, it } from 'vitest';
import { globMatcher } from './glob.ts';

describe('globMatcher', () => {
  it('reads `*` as any text and `?` as one character', () => {
    expect(globMatcher('payment_p*')('payment_p2022_01')).toBe(true);
    expect(globMatcher('payment_p*')('payment')).toBe(false);
    const url = 'postgres://app@db1.prod.example.com:5432/shop';
    expect(globMatcher('postgres://*@*.prod.example.com*')(url)).toBe(true);
    expect(globMatcher('/srv/*.db')('/srv/prod/app.db')).toBe(true);
    expect(globMatcher('db?.prod')('db1.prod')).toBe(true);
    expect(globMatcher('db?.prod')('db12.prod')).toBe(false);
  });

  it('matches case exactly unless told otherwise', () => {
    expect(globMatcher('Client*')('client list')).toBe(false);
    expect(globMatcher('Client*', { nocase: true })('client list')).toBe(true);
  });

  it('takes every other character literally, picomatch syntax and backslashes included', () => {
    const names = ['orders(old)', 'a|b', 'data[2020]', '{a,b}', '!x', '+(a)', '@(a)', 'a$b^', './x', 'a.b', 'say "hi"'];
    for (const name of [...names, 'a\\b', 'a\\\\\\b']) {
      expect(globMatcher(name)(name), name).toBe(true);
    }
    expect(globMatcher('orders(old)')('ordersold')).toBe(false);
    expect(globMatcher('data[12]')('data1')).toBe(false);
    expect(globMatcher('{a,b}')('a')).toBe(false);
    expect(globMatcher('!x')('y')).toBe(false);
    expect(globMatcher('a.b')('axb')).toBe(false);
    expect(globMatcher('a\\d')('a1')).toBe(false);
    expect(globMatcher('a\\\\*')('a\\\\z')).toBe(true);
  });

  it('lets a `*` cross any path segment, but a `?` is never a `/` (picomatch reads paths)', () => {
    expect(globMatcher('/srv/*.db')('/srv/../etc/x.db')).toBe(true);
    expect(globMatcher('x*y')('x/./y')).toBe(true);
    expect(globMatcher('**')('')).toBe(true);
    expect(globMatcher('a?b')('a/b')).toBe(false);
  });
});
