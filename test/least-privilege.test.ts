/**
 * Every command as a managed database allows: the source read by a user that may only SELECT, the
 * target written by the plain user that owns it (PostgreSQL: a role without superuser that owns
 * the tables; MariaDB: a user with ALL on the target database only, no SUPER, RELOAD or PROCESS).
 * check, scan, preview, run (staged, --jobs, --resume, --direct) and verify all work, through the
 * CLI as a user runs them.
 */
import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  createChinookMysql,
  createPagilaSource,
  createPagilaTarget,
  mysql,
  mysqlAsAdmin,
  psql,
  psqlAdmin,
  repoRoot,
  type TestDatabase,
} from './support/databases.ts';
import { pgRowCounts } from './support/pg-checks.ts';
import { runCli } from './support/run-cli.ts';

interface Setup {
  name: string;
  rules: string;
  /** The source, its URL as the read-only user, and the target as the plain owner. */
  open(): Promise<{ source: TestDatabase; target: TestDatabase; readerUrl: string; dropReader(): void }>;
  table: string;
  counts(db: TestDatabase): Record<string, number>;
}

const reader = `masque_reader_${randomBytes(4).toString('hex')}`;

const postgres: Setup = {
  name: 'PostgreSQL (Pagila)',
  rules: join(repoRoot, 'rules/pagila.yaml'),
  table: 'public.customer',
  async open() {
    const [source, target] = await Promise.all([createPagilaSource(), createPagilaTarget()]);
    psqlAdmin('postgres', ['-c', `CREATE ROLE ${reader} LOGIN`]);
    // As the source's owner: what a read-only replica user is given, and nothing more.
    psql(source.name, [
      '-c',
      `GRANT USAGE ON SCHEMA public TO ${reader}; GRANT SELECT ON ALL TABLES IN SCHEMA public TO ${reader}`,
    ]);
    expect(psql(target.name, ['-c', 'SELECT rolsuper FROM pg_roles WHERE rolname = current_user']).trim()).toBe('f');
    return {
      source,
      target,
      readerUrl: source.url.replace(/\/\/[^@]+@/, `//${reader}@`),
      dropReader: () => {
        psqlAdmin(source.name, ['-c', `DROP OWNED BY ${reader}`]);
        psqlAdmin('postgres', ['-c', `DROP ROLE IF EXISTS ${reader}`]);
      },
    };
  },
  counts: (db) => pgRowCounts(db.name),
};

const mariadb: Setup = {
  name: 'MariaDB (Chinook)',
  rules: join(repoRoot, 'rules/chinook.yaml'),
  table: 'Customer',
  async open() {
    const [source, target] = await Promise.all([
      createChinookMysql('least_src'),
      createChinookMysql('least_dst', { empty: true }),
    ]);
    mysqlAsAdmin(undefined, [
      '-e',
      `CREATE USER '${reader}'@'%'; CREATE USER '${reader}'@'localhost';
       GRANT SELECT ON \`${source.name}\`.* TO '${reader}'@'%';
       GRANT SELECT ON \`${source.name}\`.* TO '${reader}'@'localhost'`,
    ]);
    const grants = mysql(undefined, ['-e', 'SHOW GRANTS']);
    expect(grants).not.toMatch(/SUPER|RELOAD|PROCESS|ALL PRIVILEGES ON \*\.\*/);
    return {
      source,
      target,
      readerUrl: source.url.replace(/\/\/[^@]+@/, `//${reader}@`),
      dropReader: () =>
        void mysqlAsAdmin(undefined, ['-e', `DROP USER IF EXISTS '${reader}'@'%', '${reader}'@'localhost'`]),
    };
  },
  counts(db) {
    const tables = mysql(db.name, ['-e', 'SHOW TABLES']).trim().split('\n');
    return Object.fromEntries(tables.map((t) => [t, Number(mysql(db.name, ['-e', `SELECT COUNT(*) FROM \`${t}\``]))]));
  },
};

describe.each([postgres, mariadb])('$name with a read-only source user and a plain target owner', (setup) => {
  let source: TestDatabase;
  let target: TestDatabase;
  let readerUrl: string;
  let dropReader = (): void => {};
  let sourceCounts: Record<string, number>;
  const env = () => ({ MASQUE_SOURCE_URL: readerUrl, MASQUE_TARGET_URL: target.url, MASQUE_SECRET: 'least' });
  const cli = (...args: string[]) => runCli([args[0]!, '--config', setup.rules, ...args.slice(1)], env());

  beforeAll(async () => {
    ({ source, target, readerUrl, dropReader } = await setup.open());
    sourceCounts = setup.counts(source);
  });
  afterAll(async () => {
    dropReader();
    await Promise.all([source?.drop(), target?.drop()]);
  });

  it('the source user can only read it', () => {
    const result = runCli(['run', '--config', setup.rules, '--quiet'], {
      ...env(),
      MASQUE_SOURCE_URL: target.url,
      MASQUE_TARGET_URL: readerUrl,
    });
    expect(result.status).toBeGreaterThan(1);
    // PostgreSQL's preflight names what is missing before anything is written; MariaDB's server denies.
    expect(result.stderr).toMatch(/denied|must own/i);
    expect(setup.counts(source)).toEqual(sourceCounts);
  });

  it('check passes', () => {
    const result = cli('check', '--log', 'json');
    expect(result.status, result.stderr).toBe(0);
  });

  it('scan and preview read the source', () => {
    const scan = runCli(['scan', '--source', readerUrl], {});
    expect(scan.status, scan.stderr).toBe(0);
    expect(scan.stdout).toContain(setup.table);
    const preview = cli('preview', setup.table, '--rows', '3');
    expect(preview.status, preview.stderr).toBe(0);
  });

  it('run copies every row (staged, two jobs), then verify passes', () => {
    const result = cli('run', '--jobs', '2', '--quiet');
    expect(result.status, result.stderr).toBe(0);
    expect(setup.counts(target)).toEqual(setup.counts(source));
    const verify = cli('verify', '--log', 'json');
    expect(verify.status, verify.stdout + verify.stderr).toBe(0);
  });

  it('run --resume and run --direct replace the rows again', () => {
    for (const flag of ['--resume', '--direct']) {
      const result = cli('run', flag, '--quiet');
      expect(result.status, `${flag}: ${result.stderr}`).toBe(0);
      expect(setup.counts(target)).toEqual(setup.counts(source));
    }
    expect(cli('verify', '--quiet').status).toBe(0);
  });
});
