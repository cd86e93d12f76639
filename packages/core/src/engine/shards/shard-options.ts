import type { Rules } from '../../config/rules.ts';
import { engineOf } from '../../dialects/database-url.ts';
import type { LoadMode } from '../../dialects/dialect.ts';
import { ConfigError } from '../../errors.ts';

/** `masque run --shards N`: this process is one of N that share one refresh (docs/scale-out.md). */
export interface ShardOptions {
  /** N: the processes (pods) of the run. */
  count: number;
  /** This process's index, 0 to N-1 (`JOB_COMPLETION_INDEX`, `--shard-index`); shard 0 coordinates. */
  index: number;
  /** How long a claimed unit stays a shard's without a renewal (`--lease`). */
  leaseSeconds?: number;
  /** How long a shard waits for shard 0's plan (`--plan-wait`). */
  planWaitSeconds?: number;
}

/** A shard renews its lease three times a lease: one late renewal never loses it. */
export const defaultLeaseSeconds = 30;
/** Shard 0 publishes its plan once it holds the lock and the snapshot: seconds, unless it waits for a lock. */
export const defaultPlanWaitSeconds = 600;

/**
 * Refuses, before anything is opened, a sharded run that cannot work: an engine whose snapshot
 * other processes cannot join, a load that is one transaction, a secret missing (every shard must
 * mask a value as the others do), an index out of range.
 */
export function checkShards(shard: ShardOptions, rules: Rules, source: string, mode: LoadMode): void {
  const { count, index } = shard;
  if (!Number.isInteger(count) || count < 1) throw new ConfigError('--shards: expected a whole number, at least 1');
  if (!Number.isInteger(index) || index < 0 || index >= count) {
    throw new ConfigError(`--shards ${count}: this shard's index is ${index}, expected 0 to ${count - 1}`);
  }
  const engine = engineOf(source);
  if (engine === 'sqlite') {
    throw new ConfigError(
      '--shards: SQLite is one file on one machine; run one process (`--shards` is for PostgreSQL)',
    );
  }
  if (engine === 'mysql') {
    throw new ConfigError(
      '--shards: MariaDB and MySQL cannot share one snapshot between processes (the only way, ' +
        'FLUSH TABLES WITH READ LOCK until every pod has started, would stop the source’s writes for that long); ' +
        'run one process, or use --shards with PostgreSQL',
    );
  }
  if (mode === 'direct') {
    throw new ConfigError('--shards: --direct loads in one transaction of one process; shards stage their units');
  }
  if (!rules.secret) {
    throw new ConfigError('--shards: every shard must mask as the others do, which needs the secret (`secret:`)');
  }
}

/** This process's index: `--shard-index`, else Kubernetes' `JOB_COMPLETION_INDEX`. */
export function shardIndexOf(flag: number | undefined, env: NodeJS.ProcessEnv = process.env): number {
  if (flag !== undefined) return flag;
  const value = env.JOB_COMPLETION_INDEX;
  if (value === undefined || value === '') {
    throw new ConfigError(
      '--shards: no index for this shard: ' +
        'set JOB_COMPLETION_INDEX (a Kubernetes Indexed Job does) or pass --shard-index',
    );
  }
  const index = Number(value);
  if (!Number.isInteger(index) || index < 0) {
    throw new ConfigError(`--shards: JOB_COMPLETION_INDEX is not a whole number: ${JSON.stringify(value)}`);
  }
  return index;
}
