/**
 * PostgreSQL side of the benchmark: source generated with generate_series, baseline
 * `psql \copy … to pstdout | psql \copy … from pstdin` per table into the indexed target.
 */
import { execFileSync } from 'node:child_process';
import {
  type BenchDatabases,
  type BenchEngine,
  benchDatabaseName,
  FIRST_NAMES,
  LAST_NAMES,
  NOTES,
  SOURCE_DOMAIN,
  sqlList,
} from './engine.ts';

const host = process.env.PGHOST ?? '127.0.0.1';
const user = process.env.PGUSER ?? 'postgres';
const connection = ['-X', '-q', '-v', 'ON_ERROR_STOP=1', '-h', host, '-U', user];

function psql(database: string, sql: string): string {
  return execFileSync('psql', [...connection, '-A', '-t', '-d', database], {
    input: sql,
    encoding: 'utf8',
    maxBuffer: 1 << 24,
  });
}

/** The application's schema on both sides: keys, the unique email, the foreign key and its index. */
const SCHEMA = `
CREATE TABLE accounts (
  id bigint PRIMARY KEY,
  email varchar(255) NOT NULL UNIQUE,
  name varchar(100) NOT NULL,
  phone varchar(32),
  created_at timestamp NOT NULL
);
CREATE TABLE orders (
  id bigint PRIMARY KEY,
  account_id bigint NOT NULL REFERENCES accounts (id),
  amount numeric(10,2) NOT NULL,
  note text,
  ordered_at timestamp NOT NULL
);
CREATE INDEX orders_account_id ON orders (account_id);
`;

/** Every value a function of the row number: repeatable sources, and all work stays in the server. */
function fill(n: number): string {
  const first = `(ARRAY[${sqlList(FIRST_NAMES)}])[1 + i % ${FIRST_NAMES.length}]`;
  const last = `(ARRAY[${sqlList(LAST_NAMES)}])[1 + (i / ${FIRST_NAMES.length}) % ${LAST_NAMES.length}]`;
  const note = `(ARRAY[${sqlList(NOTES)}])[1 + i % ${NOTES.length}]`;
  return `
INSERT INTO accounts
SELECT i, lower(f) || '.' || lower(l) || i || '@${SOURCE_DOMAIN}', f || ' ' || l,
       CASE WHEN i % 10 = 0 THEN NULL ELSE '+1 555 ' || lpad((i * 7919 % 10000000)::text, 7, '0') END,
       timestamp '2019-01-01' + i * interval '17 seconds'
FROM (SELECT i, ${first} AS f, ${last} AS l FROM generate_series(1::bigint, ${n}) i) s;
INSERT INTO orders
SELECT i, 1 + i * 7919 % ${n}, (i * 3571 % 100000) / 100.0,
       CASE WHEN i % 4 = 0 THEN NULL ELSE ${note} || ', ref ' || i END,
       timestamp '2020-01-01' + i * interval '11 seconds'
FROM generate_series(1::bigint, ${2 * n}) i;
VACUUM (ANALYZE) accounts, orders;
`;
}

export const postgres: BenchEngine = {
  name: 'pg',
  rawLabel: 'psql \\copy | psql \\copy',
  defaultN: 1_000_000,
  defaultScalingN: 200_000,
  create(n) {
    const source = benchDatabaseName('src');
    const target = benchDatabaseName('dst');
    const databases: BenchDatabases = {
      sourceUrl: `postgres://${user}@${host}:5432/${source}`,
      targetUrl: `postgres://${user}@${host}:5432/${target}`,
      sourceBytes: () =>
        Number(psql(source, "SELECT pg_total_relation_size('accounts') + pg_total_relation_size('orders')")),
      rawSteps: () => {
        const side = (database: string): string => [...connection, '-d', database].join(' ');
        const copy = (table: string): string =>
          `set -euo pipefail; psql ${side(source)} -c '\\copy ${table} to pstdout' | psql ${side(target)} -c '\\copy ${table} from pstdin'`;
        // Accounts first: the target's foreign key checks every order as it arrives.
        return { accounts: copy('accounts'), orders: copy('orders') };
      },
      resetTarget: () => void psql(target, 'TRUNCATE orders, accounts; CHECKPOINT;'),
      targetCounts: () => {
        const [accounts, orders, sourceEmails] = psql(
          target,
          `SELECT (SELECT count(*) FROM accounts), (SELECT count(*) FROM orders),
                  (SELECT count(*) FROM accounts WHERE email LIKE '%@${SOURCE_DOMAIN}')`,
        )
          .trim()
          .split('|')
          .map(Number);
        return { accounts: accounts!, orders: orders!, sourceEmails: sourceEmails! };
      },
      drop: () => {
        for (const name of [source, target]) psql('postgres', `DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      },
    };
    try {
      psql('postgres', `CREATE DATABASE ${source}`);
      psql('postgres', `CREATE DATABASE ${target}`);
      psql(source, SCHEMA + fill(n));
      psql(target, SCHEMA);
      return databases;
    } catch (error) {
      databases.drop();
      throw error;
    }
  },
};
