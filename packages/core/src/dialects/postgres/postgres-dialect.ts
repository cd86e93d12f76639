import type pg from 'pg';
import type { Dialect, DialectOptions, LoadOptions, Loader, LockAttempt, SnapshotReader, Value } from '../dialect.ts';
import type { DatabaseSchema, TableInfo } from '../schema.ts';
import { connectPostgres } from './postgres-driver.ts';
import { introspectPostgres } from './postgres-introspector.ts';
import { tryLockPostgres } from './postgres-lock.ts';
import { PostgresLoader } from './postgres-loader.ts';
import { PostgresReader } from './postgres-reader.ts';
import { PostgresStagedLoader } from './postgres-staged-loader.ts';

/** PostgreSQL 12+: COPY out of one exported snapshot; COPY into shadow tables, then one cut-over transaction. */
export class PostgresDialect implements Dialect {
  readonly engine = 'postgres';
  private readonly clients: pg.Client[] = [];

  constructor(private readonly url: string) {}

  private async connect(): Promise<pg.Client> {
    const client = await connectPostgres(this.url);
    this.clients.push(client);
    return client;
  }

  /** The catalogue connection, opened once; opening it proves the URL works. */
  private main?: Promise<pg.Client>;
  catalog(): Promise<pg.Client> {
    this.main ??= this.connect();
    return this.main;
  }

  async introspect(): Promise<DatabaseSchema> {
    return introspectPostgres(await this.catalog());
  }

  async identity(): Promise<string> {
    const client = await this.catalog();
    // pg_control_system() may be denied to ordinary roles; the data directory path is a fallback.
    const { rows } = await client
      .query('SELECT system_identifier::text AS id, current_database() AS db FROM pg_control_system()')
      .catch(() =>
        client.query(`SELECT current_setting('data_directory') || '@' || inet_server_port() AS id,
                                        current_database() AS db`),
      );
    return `postgres:${rows[0].id}:${rows[0].db}`;
  }

  async openSnapshot(): Promise<SnapshotReader> {
    return PostgresReader.open(await this.connect(), () => this.connect());
  }

  async tryLock(): Promise<LockAttempt> {
    return tryLockPostgres(await this.connect());
  }

  async beginLoad(tables: TableInfo[], options: LoadOptions = {}): Promise<Loader> {
    const client = await this.connect();
    if (options.mode === 'direct') return PostgresLoader.open(client, tables);
    // A statement of the cut-over is cancelled from the catalogue connection when the run is aborted.
    const pid = (client as unknown as { processID: number }).processID;
    const cancel = async (): Promise<void> => {
      await (await this.catalog()).query('SELECT pg_cancel_backend($1)', [pid]).catch(() => {});
    };
    return PostgresStagedLoader.open(client, tables, options, cancel, () => this.connect());
  }

  /** A condition is read as `(…)::boolean` in COPY text format: `t` when it holds. */
  readsTrue(value: Value): boolean {
    return value === 't';
  }

  async close(): Promise<void> {
    await Promise.all(this.clients.splice(0).map((c) => c.end().catch(() => {})));
  }
}

export async function createPostgresDialect(url: string, _options: DialectOptions = {}): Promise<Dialect> {
  const dialect = new PostgresDialect(url);
  await dialect.catalog();
  return dialect;
}
