import type pg from 'pg';
import type { Dialect, DialectOptions, LoadOptions, Loader, LockAttempt, SnapshotReader, Value } from '../dialect.ts';
import { type ConnectionLost, ConfigError } from '../../errors.ts';
import { statementError } from '../driver-error.ts';
import type { DatabaseSchema, TableInfo } from '../schema.ts';
import type { ShardBoard } from '../shard-board.ts';
import { PgConnections } from './postgres-driver.ts';
import { introspectPostgres } from './postgres-introspector.ts';
import { tryLockPostgres } from './postgres-lock.ts';
import { PostgresLoader } from './postgres-loader.ts';
import { PostgresReader } from './postgres-reader.ts';
import { copyPostgresSchema } from './postgres-schema-copy.ts';
import { PostgresShardBoard } from './postgres-shard-board.ts';
import { PostgresStagedLoader } from './postgres-staged-loader.ts';

/** PostgreSQL 12+: COPY out of one exported snapshot; COPY into shadow tables, then one cut-over transaction. */
export class PostgresDialect implements Dialect {
  readonly engine = 'postgres';
  private readonly connections: PgConnections;

  constructor(url: string, options: DialectOptions = {}) {
    this.connections = new PgConnections(url, options);
  }

  /** The catalogue connection, opened once; opening it proves the URL works. */
  private main?: Promise<pg.Client>;
  catalog(): Promise<pg.Client> {
    this.main ??= this.connections.connect();
    return this.main;
  }

  introspect(): Promise<DatabaseSchema> {
    return step('reading the schema', async () => introspectPostgres(await this.catalog()));
  }

  identity(): Promise<string> {
    return step('identifying the database', async () => {
      const client = await this.catalog();
      // pg_control_system() may be denied to ordinary roles; the data directory path is a fallback.
      const { rows } = await client
        .query('SELECT system_identifier::text AS id, current_database() AS db FROM pg_control_system()')
        .catch(() =>
          client.query(`SELECT current_setting('data_directory') || '@' || inet_server_port() AS id,
                                          current_database() AS db`),
        );
      return `postgres:${rows[0].id}:${rows[0].db}`;
    });
  }

  openSnapshot(): Promise<SnapshotReader> {
    return step('opening the snapshot', async () =>
      PostgresReader.open(await this.connections.connect(), this.connections),
    );
  }

  /** `--shards`: another process's exported snapshot, on a connection of this one. */
  joinSnapshot(snapshotId: string): Promise<SnapshotReader> {
    return step("joining shard 0's source snapshot", () => PostgresReader.join(snapshotId, this.connections));
  }

  shardBoard(): Promise<ShardBoard> {
    return step("opening the shards' plan in the target", () => PostgresShardBoard.open(this.connections));
  }

  tryLock(): Promise<LockAttempt> {
    return step('taking the run lock', async () => tryLockPostgres(await this.connections.connect(), this.connections));
  }

  beginLoad(tables: TableInfo[], options: LoadOptions = {}): Promise<Loader> {
    return step('beginning the load', async () => {
      const client = await this.connections.connect();
      if (options.mode === 'direct') return PostgresLoader.open(client, tables);
      // A statement of the cut-over is cancelled from the catalogue connection when the run is aborted.
      const pid = (client as unknown as { processID: number }).processID;
      const cancel = async (): Promise<void> => {
        await (await this.catalog()).query('SELECT pg_cancel_backend($1)', [pid]).catch(() => {});
      };
      return PostgresStagedLoader.open(client, tables, options, cancel, this.connections);
    });
  }

  /** `--create-schema`: the source's `pg_dump --schema-only`, on a connection of its own (the script sets it up). */
  copySchemaFrom(source: Dialect, sourceUrl: string): Promise<void> {
    return step('creating the schema', async () => {
      if (!(source instanceof PostgresDialect)) throw new ConfigError('--create-schema: the source is not PostgreSQL');
      const client = await this.connections.connect();
      try {
        await copyPostgresSchema(await source.catalog(), sourceUrl, client);
      } finally {
        await this.connections.end(client);
      }
    });
  }

  /** A condition is read as `(…)::boolean` in COPY text format: `t` when it holds. */
  readsTrue(value: Value): boolean {
    return value === 't';
  }

  onLost(listener: (loss: ConnectionLost) => void): void {
    this.connections.losses.add(listener);
  }

  close(): Promise<void> {
    return this.connections.close();
  }
}

/** `work`, its failure named after `what` (a lost connection says what masque was doing). */
async function step<T>(what: string, work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (error) {
    throw statementError(what, error);
  }
}

export async function createPostgresDialect(url: string, options: DialectOptions = {}): Promise<Dialect> {
  const dialect = new PostgresDialect(url, options);
  await dialect.catalog();
  return dialect;
}
