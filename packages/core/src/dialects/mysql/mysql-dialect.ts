import type { Dialect, DialectOptions, LoadOptions, Loader, LockAttempt, SnapshotReader, Value } from '../dialect.ts';
import type { DatabaseSchema, TableInfo } from '../schema.ts';
import { type ConnectionLost, ConfigError } from '../../errors.ts';
import { statementError } from '../driver-error.ts';
import { LossListeners } from '../loss-listeners.ts';
import { openSession, type MysqlSession, type SessionOptions } from './mysql-driver.ts';
import { introspectMysql } from './mysql-introspector.ts';
import { tryLockMysql } from './mysql-lock.ts';
import { MysqlLoader, type MysqlLoadMethod } from './mysql-loader.ts';
import { MysqlSnapshotReader } from './mysql-reader.ts';
import { copyMysqlSchema } from './mysql-schema-copy.ts';
import { MysqlStagedLoader } from './mysql-staged-loader.ts';
import { parseMysqlUrl, type MysqlUrl } from './mysql-url.ts';

export interface MysqlDialectOptions extends DialectOptions {
  /**
   * How the loader writes rows. `auto` (default) uses `LOAD DATA LOCAL INFILE` when the server's
   * `local_infile` is on and multi-row INSERTs otherwise; the other two force one path.
   */
  loadMethod?: MysqlLoadMethod;
}

/** MySQL 8 and MariaDB 10.6+ behind the `Dialect` interface. */
export class MysqlDialect implements Dialect {
  readonly engine = 'mysql';
  /** Dedicated connections of open snapshots and loads, ended by `close()` if still open. */
  private readonly dedicated = new Set<MysqlSession>();

  private constructor(
    private readonly url: MysqlUrl,
    private readonly meta: MysqlSession,
    private readonly loadMethod: MysqlLoadMethod,
    private readonly sessionOptions: SessionOptions,
    private readonly losses: LossListeners,
  ) {}

  /** Connects once, so a wrong URL or password fails here rather than half-way through a run. */
  static async connect(url: string, options: MysqlDialectOptions = {}): Promise<MysqlDialect> {
    const parsed = parseMysqlUrl(url);
    const { side, lockTimeoutSeconds } = options;
    const losses = new LossListeners();
    const sessionOptions = { side, lockTimeoutSeconds, onLost: (loss: ConnectionLost) => losses.tell(loss) };
    const meta = await openSession(parsed, sessionOptions);
    return new MysqlDialect(parsed, meta, options.loadMethod ?? 'auto', sessionOptions, losses);
  }

  introspect(): Promise<DatabaseSchema> {
    return introspectMysql(this.meta).catch((err: unknown) => {
      throw statementError(`reading the schema of ${this.url.redacted}`, err);
    });
  }

  /**
   * `server_uuid:database`. MariaDB has no server_uuid; host name, port and data directory
   * together name one server as well, however the URL spells the host.
   */
  async identity(): Promise<string> {
    try {
      const [[database] = []] = await this.meta.rows('SELECT DATABASE()');
      let server: string;
      try {
        const [[uuid] = []] = await this.meta.rows('SELECT @@server_uuid');
        server = String(uuid);
      } catch {
        const [facts = []] = await this.meta.rows('SELECT @@hostname, @@port, @@datadir');
        server = facts.map(String).join(':');
      }
      return `${server}:${String(database)}`;
    } catch (err) {
      throw statementError(`identifying ${this.url.redacted}`, err);
    }
  }

  async openSnapshot(): Promise<SnapshotReader> {
    return MysqlSnapshotReader.start(await this.dedicatedSession('opening a consistent snapshot'));
  }

  async tryLock(): Promise<LockAttempt> {
    const session = await this.dedicatedSession('taking the run lock');
    try {
      return await tryLockMysql(session, this.url.database);
    } catch (err) {
      await session.destroy();
      throw statementError('taking the run lock', err);
    }
  }

  async beginLoad(tables: TableInfo[], options: LoadOptions = {}): Promise<Loader> {
    const session = await this.dedicatedSession('beginning the load');
    const connect = () => this.dedicatedSession('opening the cut-over');
    return options.mode === 'direct'
      ? MysqlLoader.begin(session, tables, this.loadMethod, connect)
      : MysqlStagedLoader.begin(session, tables, this.loadMethod, options, connect);
  }

  /** `--create-schema`: the source's objects as its `SHOW CREATE` statements give them, on sessions of their own. */
  async copySchemaFrom(source: Dialect): Promise<void> {
    if (!(source instanceof MysqlDialect)) throw new ConfigError('--create-schema: the source is not MariaDB/MySQL');
    const from = await source.dedicatedSession('reading the schema of the source');
    try {
      const to = await this.dedicatedSession('creating the schema');
      await copyMysqlSchema(from, source.url.database, to).finally(() => to.end());
    } finally {
      await from.end();
    }
  }

  /** A condition reads as the integer 1 when it holds: a number, or a string where it is a BIGINT. */
  readsTrue(value: Value): boolean {
    return value === 1 || value === '1';
  }

  onLost(listener: (loss: ConnectionLost) => void): void {
    this.losses.add(listener);
  }

  async close(): Promise<void> {
    // A load still open is rolled back by the server when its connection goes.
    await Promise.all([...this.dedicated].map((session) => session.destroy()));
    await this.meta.end();
  }

  /** A new connection, for `step`, that leaves the set of open ones when it ends. */
  private async dedicatedSession(step: string): Promise<MysqlSession> {
    const session = await openSession(this.url, { ...this.sessionOptions, reconnect: true }).catch((err: unknown) => {
      throw statementError(step, err);
    });
    const forget = (): void => void this.dedicated.delete(tracked);
    const tracked: MysqlSession = {
      ...session,
      end: () => {
        forget();
        return session.end();
      },
      destroy: () => {
        forget();
        return session.destroy();
      },
    };
    this.dedicated.add(tracked);
    return tracked;
  }
}

/** Opens a dialect for a `mysql://` or `mariadb://` URL. */
export function createMysqlDialect(url: string, options: MysqlDialectOptions = {}): Promise<Dialect> {
  return MysqlDialect.connect(url, options);
}
