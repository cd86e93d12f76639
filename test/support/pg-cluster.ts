/**
 * A PostgreSQL server of a test's own, for what must never happen to the shared one (a restart):
 * `initdb` into a temporary folder with trust authentication, listening on 127.0.0.1 at a free
 * port. Run as the `postgres` user when the tests run as root (PostgreSQL refuses root).
 */
import { execFileSync } from 'node:child_process';
import { chownSync, existsSync, mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { testUser } from './databases.ts';

export interface PgCluster {
  port: number;
  /** `pg_ctl restart -m fast`: every session is ended, then the server accepts connections again. */
  restart(): void;
  /** Stops the server and deletes its folder. */
  destroy(): void;
}

const bin = (tool: string): string => {
  const versioned = `/usr/lib/postgresql/15/bin/${tool}`;
  return existsSync(versioned) ? versioned : tool;
};

function asPostgres(tool: string, args: string[]): string {
  const asRoot = process.getuid?.() === 0;
  const [command, all] = asRoot ? ['runuser', ['-u', 'postgres', '--', bin(tool), ...args]] : [bin(tool), args];
  return execFileSync(command, all, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

export async function startPgCluster(): Promise<PgCluster> {
  const folder = mkdtempSync(join(tmpdir(), 'masque-pg-'));
  if (process.getuid?.() === 0) {
    const uid = Number(execFileSync('id', ['-u', 'postgres'], { encoding: 'utf8' }));
    const gid = Number(execFileSync('id', ['-g', 'postgres'], { encoding: 'utf8' }));
    chownSync(folder, uid, gid);
  }
  const data = join(folder, 'data');
  const port = await freePort();
  asPostgres('initdb', ['-A', 'trust', '-U', 'postgres', '-D', data]);
  // A log file, or the server would hold on to pg_ctl's output pipe (and execFileSync would wait for it).
  const log = ['-l', join(folder, 'server.log')];
  const options = `-p ${port} -k ${folder} -c listen_addresses=127.0.0.1 -c fsync=off`;
  asPostgres('pg_ctl', ['-D', data, '-o', options, ...log, '-w', 'start']);
  // The plain role the suites work as (databases.ts), as on the shared server.
  const role = `CREATE ROLE ${testUser} LOGIN CREATEDB`;
  asPostgres('psql', [
    '-X',
    '-q',
    '-h',
    '127.0.0.1',
    '-p',
    String(port),
    '-U',
    'postgres',
    '-d',
    'postgres',
    '-c',
    role,
  ]);
  return {
    port,
    restart: () => void asPostgres('pg_ctl', ['-D', data, '-m', 'fast', ...log, '-w', 'restart']),
    destroy: () => {
      try {
        asPostgres('pg_ctl', ['-D', data, '-m', 'immediate', '-w', 'stop']);
      } finally {
        rmSync(folder, { recursive: true, force: true });
      }
    },
  };
}
