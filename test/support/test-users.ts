/**
 * Vitest's global setup: the plain users the tests work as (see `testUser` in databases.ts), made
 * by the admins once per suite. Idempotent, so a second suite on the same servers finds them made.
 */
import { mysqlAsAdmin, psqlAdmin, testUser } from './databases.ts';

export default function setup(): void {
  if (!process.env.PGUSER) {
    psqlAdmin('postgres', [
      '-c',
      `DO $$ BEGIN
         IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = '${testUser}') THEN
           CREATE ROLE ${testUser} LOGIN CREATEDB;
         END IF;
       END $$`,
    ]);
  }
  if (!process.env.MYSQL_USER) {
    // Both hosts: a TCP client from 127.0.0.1 may be matched as 'localhost' or as an address.
    const users = [`'${testUser}'@'localhost'`, `'${testUser}'@'%'`];
    mysqlAsAdmin(undefined, [
      '-e',
      users.map((u) => `CREATE USER IF NOT EXISTS ${u}; GRANT ALL ON \`masque\\_%\`.* TO ${u};`).join(' '),
    ]);
  }
}
