/**
 * What an operator or a failing server does to a run's connections, from outside masque: ending
 * them all at once (`pg_terminate_backend`, MariaDB `KILL CONNECTION`), through the engines' own
 * command-line clients, never masque's code. As the admins, as an operator would: the plain test
 * user may neither end another user's sessions nor make users.
 */
import { mysqlAsAdmin as mysql, psqlAdmin as psql } from './databases.ts';

export interface ConnectionControl {
  /** Ends every connection to `database` but the caller's own; returns how many it ended. */
  killAll(database: string): number;
  /** `url` for a user with `password` and every right on its database (`user` names a new one where needed). */
  withPassword(url: string, user: string, password: string): string;
  /** Drops what `withPassword` created for `user`. */
  dropUser(user: string): void;
}

export const connectionControl: Record<string, ConnectionControl> = {
  PostgreSQL: {
    killAll: (database) =>
      Number(
        psql('postgres', [
          '-c',
          `SELECT count(*) FILTER (WHERE pg_terminate_backend(pid)) FROM pg_stat_activity
           WHERE datname = '${database}' AND pid <> pg_backend_pid()`,
        ]).trim(),
      ),
    // Trust authentication ignores the password; the point is that no message shows it.
    withPassword: (url, _user, password) => url.replace(/^(\w+:\/\/[^:@/]+)@/, `$1:${password}@`),
    dropUser: () => {},
  },
  MariaDB: {
    killAll: (database) => {
      const ids = mysql(undefined, [
        '-e',
        `SELECT ID FROM information_schema.PROCESSLIST WHERE DB = '${database}' AND ID <> CONNECTION_ID()`,
      ])
        .split('\n')
        .filter(Boolean);
      let killed = 0;
      for (const id of ids) {
        try {
          mysql(undefined, ['-e', `KILL CONNECTION ${id}`]);
          killed++;
        } catch (error) {
          // It ended by itself between the two statements.
          if (!/Unknown thread id/.test(String((error as { stderr?: string }).stderr))) throw error;
        }
      }
      return killed;
    },
    withPassword: (url, user, password) => {
      const database = databaseOf(url);
      mysql(undefined, [
        '-e',
        `CREATE USER IF NOT EXISTS '${user}'@'127.0.0.1' IDENTIFIED BY '${password}';
         GRANT ALL ON \`${database}\`.* TO '${user}'@'127.0.0.1'`,
      ]);
      return url.replace(/^(\w+:\/\/)[^:@/]+@/, `$1${user}:${password}@`);
    },
    dropUser: (user) => void mysql(undefined, ['-e', `DROP USER IF EXISTS '${user}'@'127.0.0.1'`]),
  },
};

/** The database a server URL names. */
export const databaseOf = (url: string): string => new URL(url).pathname.slice(1);
