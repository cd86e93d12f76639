import { describe, expect, it } from 'vitest';
import type { Rules } from '../../config/rules.ts';
import { ConfigError } from '../../errors.ts';
import { checkShards, shardIndexOf } from './shard-options.ts';

const rules = { secret: 's', tables: [] } as unknown as Rules;
const pg = 'postgres://u@h/db';

describe('--shards', () => {
  it('takes the index from --shard-index, else from JOB_COMPLETION_INDEX', () => {
    expect(shardIndexOf(2, { JOB_COMPLETION_INDEX: '5' })).toBe(2);
    expect(shardIndexOf(undefined, { JOB_COMPLETION_INDEX: '5' })).toBe(5);
    expect(() => shardIndexOf(undefined, {})).toThrow(/set JOB_COMPLETION_INDEX .* or pass --shard-index/);
    expect(() => shardIndexOf(undefined, { JOB_COMPLETION_INDEX: 'x' })).toThrow(ConfigError);
  });

  it('accepts a PostgreSQL staged run with a secret and an index below N', () => {
    expect(() => checkShards({ count: 3, index: 2 }, rules, pg, 'staged')).not.toThrow();
    expect(() => checkShards({ count: 1, index: 0 }, rules, pg, 'staged')).not.toThrow();
  });

  it('refuses, as usage errors, what cannot be spread over processes', () => {
    const refused = (shards: { count: number; index: number }, url: string, mode: 'staged' | 'direct', r = rules) => {
      try {
        checkShards(shards, r, url, mode);
      } catch (error) {
        expect(error).toBeInstanceOf(ConfigError);
        return (error as Error).message;
      }
      throw new Error('not refused');
    };
    expect(refused({ count: 3, index: 3 }, pg, 'staged')).toBe("--shards 3: this shard's index is 3, expected 0 to 2");
    expect(refused({ count: 3, index: 0 }, 'sqlite:a.db', 'staged')).toMatch(/SQLite is one file on one machine/);
    expect(refused({ count: 3, index: 0 }, 'mysql://u@h/db', 'staged')).toMatch(
      /MariaDB and MySQL cannot share one snapshot between processes/,
    );
    expect(refused({ count: 3, index: 0 }, pg, 'direct')).toMatch(/--direct loads in one transaction/);
    const noSecret = { ...rules, secret: undefined } as unknown as Rules;
    expect(refused({ count: 3, index: 0 }, pg, 'staged', noSecret)).toMatch(/needs the secret/);
  });
});
