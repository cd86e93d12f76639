import type { Rules } from '../config/rules.ts';
import type { Dialect, DialectOptions } from '../dialects/dialect.ts';
import { engineOf } from '../dialects/database-url.ts';
import { openDialect } from '../dialects/open-dialect.ts';
import { ConfigError, type DatabaseSide } from '../errors.ts';
import { closeWithin } from './run-abort.ts';

/** The URLs of the databases a command opens. */
export interface DatabaseUrls {
  source: string;
  target?: string;
}

/**
 * The rules' database URLs, checked before anything is opened: a source always; a target when the
 * command needs one (`required`), or when the rules name one and the command can do without
 * (`optional`); none when it never touches the target (`unused`). Source and target must be the
 * same engine: masque copies between databases of one kind.
 */
export function databaseUrls(rules: Rules, target: 'required'): Required<DatabaseUrls>;
export function databaseUrls(rules: Rules, target: 'optional' | 'unused'): DatabaseUrls;
export function databaseUrls(rules: Rules, target: 'required' | 'optional' | 'unused'): DatabaseUrls {
  if (!rules.source) throw new ConfigError('no source database: set `source:` in the rules or pass --source');
  if (target === 'unused') return { source: rules.source };
  if (!rules.target) {
    if (target === 'optional') return { source: rules.source };
    throw new ConfigError('no target database: set `target:` in the rules or pass --target');
  }
  const [from, to] = [engineOf(rules.source), engineOf(rules.target)];
  if (from !== to) throw new ConfigError(`source and target must be the same engine (${from} vs ${to})`);
  return { source: rules.source, target: rules.target };
}

/** How the target is opened, where a command says (`masque run --lock-timeout`, `--create-schema`). */
export type TargetOptions = Pick<DialectOptions, 'lockTimeoutSeconds' | 'create'>;

/**
 * Opens the source and the target of `urls` for `use`, and closes what it opened however `use`
 * ends, waiting a few seconds at most for each (a dead server may never answer a goodbye).
 */
export async function withDatabases<T>(
  urls: Required<DatabaseUrls>,
  use: (source: Dialect, target: Dialect) => Promise<T>,
  targetOptions?: TargetOptions,
): Promise<T>;
export async function withDatabases<T>(
  urls: DatabaseUrls,
  use: (source: Dialect, target: Dialect | undefined) => Promise<T>,
  targetOptions?: TargetOptions,
): Promise<T>;
export async function withDatabases<T>(
  urls: DatabaseUrls,
  use: (source: Dialect, target: Dialect) => Promise<T>,
  targetOptions: TargetOptions = {},
): Promise<T> {
  const opened: Dialect[] = [];
  const open = async (url: string, side: DatabaseSide, options: TargetOptions = {}): Promise<Dialect> => {
    const dialect = await openDialect(url, side, options);
    opened.push(dialect);
    return dialect;
  };
  try {
    const source = await open(urls.source, 'source');
    const target = urls.target === undefined ? undefined : await open(urls.target, 'target', targetOptions);
    // Without a target URL, `use` is one that takes none (the second signature).
    return await use(source, target as Dialect);
  } finally {
    await Promise.all(opened.map((d) => closeWithin(() => d.close())));
  }
}
