/**
 * `--create-schema` on PostgreSQL: the source's schema as the engine's own tool writes it
 * (`pg_dump --schema-only`), run on the empty target in one transaction, so a failure leaves the
 * target as empty as it was. pg_dump knows every kind of object a server version has; masque
 * only finds a pg_dump fit for the source's server and runs its script.
 */
import { execFile, spawn } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import { delimiter, join } from 'node:path';
import { ConfigError, DatabaseError } from '../../errors.ts';
import { redactUrl, stripPassword } from '../database-url.ts';
import { statementError } from '../driver-error.ts';
import { stagingNames } from '../staging.ts';
import type { PgQueryable } from './postgres-driver.ts';

/** The longest a schema dump may take: a schema of thousands of tables dumps within a minute or two. */
const pgDumpTimeoutMs = 600_000;
/** The longest `pg_dump --version` may take. */
const versionTimeoutMs = 10_000;

/** A pg_dump found on this machine, with the major version it reports. */
export interface PgDump {
  path: string;
  major: number;
}

/**
 * Every pg_dump on this machine: the one on the PATH first, then the side-by-side installs of
 * Debian/Ubuntu (`/usr/lib/postgresql/N/bin`) and of the PGDG packages for RHEL (`/usr/pgsql-N/bin`),
 * where a newer pg_dump often sits without being on the PATH.
 */
export function pgDumpPaths(): string[] {
  const onPath = (process.env.PATH ?? '').split(delimiter).map((dir) => join(dir, 'pg_dump'));
  const sideBySide = [
    ...subfolders('/usr/lib/postgresql').map((dir) => join(dir, 'bin/pg_dump')),
    ...subfolders('/usr')
      .filter((dir) => /\/pgsql-\d+$/.test(dir))
      .map((dir) => join(dir, 'bin/pg_dump')),
  ];
  return [...new Set([...onPath, ...sideBySide])].filter((path) => existsSync(path));
}

function subfolders(dir: string): string[] {
  try {
    return readdirSync(dir).map((name) => join(dir, name));
  } catch {
    return [];
  }
}

/** The major version a pg_dump reports (`pg_dump (PostgreSQL) 15.20 (Debian …)` → 15); undefined if it does not run. */
export function pgDumpVersion(path: string): Promise<number | undefined> {
  return new Promise((resolve) => {
    execFile(path, ['--version'], { timeout: versionTimeoutMs }, (error, stdout) => {
      const version = /\(PostgreSQL\) (\d+)/.exec(String(stdout));
      resolve(error || !version ? undefined : Number(version[1]));
    });
  });
}

/**
 * The pg_dump to use for a server of major version `serverMajor` (with version text `server`):
 * pg_dump reads only servers of its own major version or older, and its script suits best a
 * server of its own version, so the oldest major that is not older than the server's.
 */
export function choosePgDump(found: PgDump[], serverMajor: number, server: string): PgDump {
  const fit = found.filter((d) => d.major >= serverMajor).sort((a, b) => a.major - b.major);
  if (fit[0]) return fit[0];
  const seen = found.length
    ? `found only ${found.map((d) => `pg_dump ${d.major} (${d.path})`).join(', ')}`
    : 'found none on the PATH or in /usr/lib/postgresql/*/bin';
  throw new ConfigError(
    `--create-schema needs pg_dump ${serverMajor} or newer for the source's PostgreSQL ${server}; ${seen}: ` +
      `install the PostgreSQL ${serverMajor} client tools`,
  );
}

/**
 * Creates `source`'s schema (`sourceUrl`) in the empty database `target` is connected to, in one
 * transaction. `target` is a connection of its own: the script changes its session settings.
 */
export async function copyPostgresSchema(source: PgQueryable, sourceUrl: string, target: PgQueryable): Promise<void> {
  const { rows } = await source.query<{ num: string; text: string }>(
    "SELECT current_setting('server_version_num') AS num, current_setting('server_version') AS text",
  );
  const server = rows[0]!;
  const found: PgDump[] = [];
  for (const path of pgDumpPaths()) {
    const major = await pgDumpVersion(path);
    if (major !== undefined) found.push({ path, major });
  }
  const pgDump = choosePgDump(found, Math.floor(Number(server.num) / 10_000), server.text);
  await runScript(target, scriptEntries(cleanScript(await dumpSchema(pgDump.path, sourceUrl))));
}

/** pg_dump's schema-only script of the database at `url`; the password goes by environment, never argv. */
function dumpSchema(pgDump: string, url: string): Promise<string> {
  const password = passwordOf(url);
  const args = [
    '--schema-only',
    '--no-owner', // the target's objects belong to whoever masque connects as
    '--no-privileges', // grants name the source's roles, which a staging server may not have
    // Staging must not publish or subscribe to production's replication, and has its own
    // tablespaces and label providers, if any.
    '--no-publications',
    '--no-subscriptions',
    '--no-tablespaces',
    '--no-security-labels',
    '--lock-wait-timeout=60s', // pg_dump locks every table it dumps: never queue behind a migration for ever
    // A source that is itself a masque target (a masked staging copy) may hold a dead run's shadows.
    `--exclude-schema=${stagingNames.schema}`,
    `--dbname=${stripPassword(url)}`,
  ];
  const env = { ...process.env, PGCONNECT_TIMEOUT: '30', ...(password ? { PGPASSWORD: password } : {}) };
  return new Promise((resolve, reject) => {
    const child = spawn(pgDump, args, { env, stdio: ['ignore', 'pipe', 'pipe'] });
    const out: Buffer[] = [];
    let err = '';
    child.stdout.on('data', (chunk: Buffer) => out.push(chunk));
    child.stderr.on('data', (chunk: Buffer) => {
      err = (err + chunk.toString('utf8')).slice(-4000);
    });
    const timer = setTimeout(() => child.kill('SIGKILL'), pgDumpTimeoutMs);
    const failed = (why: string): void => {
      const said = err.trim().split('\n').join('; ');
      const shown = password ? said.replaceAll(password, '***') : said;
      reject(new DatabaseError(`pg_dump of ${redactUrl(url)} ${why}${shown ? `: ${shown}` : ''}`));
    };
    child.on('error', (error) => {
      clearTimeout(timer);
      failed(`could not start (${pgDump}: ${error.message})`);
    });
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      if (code === 0) resolve(Buffer.concat(out).toString('utf8'));
      else if (signal === 'SIGKILL') failed(`took more than ${pgDumpTimeoutMs / 1000} s and was stopped`);
      else failed(`failed (exit ${code ?? signal})`);
    });
  });
}

/** The password of a URL, decoded, as libpq takes it from PGPASSWORD; undefined when it has none. */
function passwordOf(url: string): string | undefined {
  const encoded = /^[a-z][a-z0-9+.-]*:\/\/[^:/@]*:([^@/]*)@/i.exec(url)?.[1];
  return encoded ? decodeURIComponent(encoded) : undefined;
}

/**
 * pg_dump's script made fit to run as SQL: without the psql meta-commands of recent versions
 * (`\restrict KEY` … `\unrestrict KEY`, which guard psql itself), without `SET lock_timeout = 0`
 * (the session keeps masque's lock timeout), and without comments on extensions, which only an
 * extension's owner may set: CREATE EXTENSION gives the extension its own comment anyway.
 */
export function cleanScript(script: string): string {
  return script
    .replace(/^\\(?:un)?restrict [A-Za-z0-9]+\n/gm, '')
    .replace(/^SET lock_timeout = 0;\n/m, '')
    .replace(/^COMMENT ON EXTENSION .*? IS '(?:[^']|'')*';\n/gms, '');
}

/** One object of the script, as pg_dump's header comment names it (`FUNCTION public.f(integer)`). */
interface ScriptEntry {
  what: string;
  type: string;
  name: string;
  sql: string;
}

/**
 * The script cut at pg_dump's header comment before each object (`-- Name: x; Type: T; Schema: s;
 * Owner: -` between two `--` lines), so that a failure names the object that failed.
 */
export function scriptEntries(script: string): ScriptEntry[] {
  const header = /^--\n-- Name: (.*); Type: (.*); Schema: (.*); Owner: .*\n--\n/gm;
  const entries: ScriptEntry[] = [];
  let last = { what: 'the settings at the top of the script', type: '', name: '', start: 0 };
  const close = (end: number): void => {
    const sql = script.slice(last.start, end);
    // An entry left with comments only (an extension's comment, cut) is no statement.
    if (sql.split('\n').some((line) => line.trim() && !line.startsWith('--')))
      entries.push({ what: last.what, type: last.type, name: last.name, sql });
  };
  for (const match of script.matchAll(header)) {
    close(match.index);
    const [, name = '', type = '', schema = '-'] = match;
    const what = `${type} ${schema === '-' ? '' : `${schema}.`}${name}`;
    last = { what, type, name, start: match.index };
  }
  close(script.length);
  return entries;
}

/** Runs every entry in one transaction; the first failure rolls it all back and names its object. */
async function runScript(target: PgQueryable, entries: ScriptEntry[]): Promise<void> {
  await target.query('BEGIN');
  try {
    for (const entry of entries) {
      await target.query(entry.sql).catch((error: unknown) => {
        throw entryError(entry, error);
      });
    }
    await target.query('COMMIT');
  } catch (error) {
    await target.query('ROLLBACK').catch(() => {});
    throw error;
  }
}

/** PostgreSQL's SQLSTATE for a missing privilege. */
const insufficientPrivilege = '42501';

function entryError(entry: ScriptEntry, error: unknown): Error {
  if (entry.type === 'EXTENSION' && (error as { code?: string }).code === insufficientPrivilege) {
    return new DatabaseError(
      `--create-schema: the source uses the extension ${entry.name}, which masque's role may not create in the ` +
        `target (${(error as Error).message}): have an administrator run CREATE EXTENSION ${entry.name} ` +
        'in the target database, then run again',
    );
  }
  return statementError(`--create-schema: creating ${entry.what} of the source's schema in the target`, error);
}
