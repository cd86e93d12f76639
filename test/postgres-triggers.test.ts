/**
 * PostgreSQL: the target's triggers never fire during a load and are never lost, and no superuser
 * is needed. A schema in the style of a real application — an AFTER INSERT copy into another loaded
 * table (Sakila's film → film_text), BEFORE INSERT/UPDATE stamps, an audit trigger writing into a
 * loaded audit table, an ENABLE ALWAYS guard, an ENABLE REPLICA audit, a trigger switched off long
 * ago, a partitioned table whose trigger is cloned onto its partitions (one clone with a mode of
 * its own) and whose keys are declared on the partitions, materialized views over the tables —
 * loaded staged and direct, as superuser and as a plain role that owns the target and reads the
 * source through a SELECT-only role. Then: a role that owns nothing stops before writing, kill -9
 * at several moments leaves triggers and data as they were, a cycle of NOT DEFERRABLE keys is
 * named, and Pagila loads as a plain owner and passes `masque verify`.
 */
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseRules } from '@masque/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connectPostgres } from '../packages/core/src/dialects/postgres/postgres-driver.ts';
import {
  createPagilaSource,
  createPagilaTarget,
  createPgDatabase,
  pgAdmin,
  pgUrl,
  psql,
  psqlAdmin,
  repoRoot,
  type TestDatabase,
} from './support/databases.ts';
import { pgBrokenForeignKeys, pgColumnsMd5, pgRowCounts } from './support/pg-checks.ts';
import { runCollecting } from './support/run-refresh.ts';
import { runCli } from './support/run-cli.ts';
import { type CliEvent, runToEnd, spawnCli } from './support/spawn-cli.ts';

const folder = mkdtempSync(join(tmpdir(), 'masque-triggers-'));
const suffix = randomBytes(4).toString('hex');
/**
 * Roles made for this run (unique names), dropped after it: a plain role that owns the targets (no
 * superuser, whoever the tests run as), one that may only read the sources, one that may write
 * the target's tables without owning them.
 */
const roles = { owner: `masque_owner_${suffix}`, reader: `masque_reader_${suffix}`, writer: `masque_writer_${suffix}` };
/** The role the tests' own checks run as (psql). */
const testRole = new URL(pgUrl('postgres')).username;

beforeAll(() => {
  psqlAdmin('postgres', [
    '-c',
    Object.values(roles)
      .map((role) => `CREATE ROLE ${role} LOGIN NOSUPERUSER;`)
      .join(' '),
  ]);
});
afterAll(() => {
  psqlAdmin('postgres', [
    '-c',
    Object.values(roles)
      .map((role) => `DROP ROLE IF EXISTS ${role};`)
      .join(' '),
  ]);
  rmSync(folder, { recursive: true, force: true });
});

/** `db`'s URL as `role`. */
function urlAs(role: string, db: TestDatabase): string {
  const url = new URL(pgUrl(db.name));
  url.username = role;
  return url.toString();
}

/** A role that may read every table of `db` and nothing else. */
function grantReader(db: TestDatabase, role: string): void {
  psqlAdmin(db.name, ['-c', `GRANT SELECT ON ALL TABLES IN SCHEMA public TO ${role}`]);
}

/**
 * Hands `db` and every table, view and sequence in it to `roles.owner`, as a managed database's
 * migrations leave staging; the tests' own checks keep every privilege on the tables.
 */
function handToOwner(db: TestDatabase): void {
  const owner = roles.owner;
  psqlAdmin(
    db.name,
    [],
    `ALTER DATABASE ${db.name} OWNER TO ${owner};
     DO $$ DECLARE r record; BEGIN
       FOR r IN SELECT c.oid::regclass AS rel, c.relkind FROM pg_class c
                WHERE c.relnamespace = 'public'::regnamespace AND c.relkind IN ('r', 'p', 'v', 'm') LOOP
         EXECUTE format('ALTER %s %s OWNER TO ${owner}',
           CASE r.relkind WHEN 'v' THEN 'VIEW' WHEN 'm' THEN 'MATERIALIZED VIEW' ELSE 'TABLE' END, r.rel);
       END LOOP;
       -- Sequences of a column went with their table; the others now.
       FOR r IN SELECT c.oid::regclass AS rel FROM pg_class c WHERE c.relnamespace = 'public'::regnamespace
                AND c.relkind = 'S' AND c.relowner <> '${owner}'::regrole LOOP
         EXECUTE format('ALTER SEQUENCE %s OWNER TO ${owner}', r.rel);
       END LOOP;
     END $$;
     GRANT ALL ON ALL TABLES IN SCHEMA public TO ${testRole};`,
  );
}

const schema = `
  CREATE TABLE customer (id int PRIMARY KEY, name text NOT NULL, email text NOT NULL UNIQUE,
    created_at timestamptz NOT NULL, updated_at timestamptz NOT NULL);
  CREATE TABLE film (id int PRIMARY KEY, title text NOT NULL, description text NOT NULL);
  CREATE TABLE film_text (film_id int PRIMARY KEY REFERENCES film, title text NOT NULL, description text NOT NULL);
  CREATE TABLE rental (id int PRIMARY KEY, customer_id int NOT NULL REFERENCES customer,
    film_id int NOT NULL REFERENCES film, rented_at timestamptz NOT NULL);
  CREATE TABLE payment (id int NOT NULL, customer_id int NOT NULL, rental_id int NOT NULL, amount numeric(6, 2) NOT NULL,
    paid_at timestamptz NOT NULL, recorded_at timestamptz NOT NULL, PRIMARY KEY (id, paid_at)) PARTITION BY RANGE (paid_at);
  CREATE TABLE payment_2024 PARTITION OF payment FOR VALUES FROM ('2024-01-01') TO ('2025-01-01');
  CREATE TABLE payment_2025 PARTITION OF payment FOR VALUES FROM ('2025-01-01') TO ('2026-01-01');
  -- As in Pagila, the keys are declared on the partitions, not on the partitioned table.
  ALTER TABLE payment_2024 ADD FOREIGN KEY (rental_id) REFERENCES rental, ADD FOREIGN KEY (customer_id) REFERENCES customer;
  ALTER TABLE payment_2025 ADD FOREIGN KEY (rental_id) REFERENCES rental, ADD FOREIGN KEY (customer_id) REFERENCES customer;
  -- Keys indexed, as applications do: a DELETE of a parent checks its children through them.
  CREATE INDEX ON rental (customer_id);
  CREATE INDEX ON rental (film_id);
  CREATE INDEX ON payment (rental_id);
  CREATE INDEX ON payment (customer_id);
  CREATE TABLE audit_log (id bigserial PRIMARY KEY, table_name text NOT NULL, op text NOT NULL, row_id int,
    at timestamptz NOT NULL DEFAULT now());

  -- Sakila's film → film_text: a denormalised copy.
  CREATE FUNCTION film_copy() RETURNS trigger LANGUAGE plpgsql AS
    $$ BEGIN INSERT INTO film_text VALUES (NEW.id, NEW.title, NEW.description); RETURN NULL; END $$;
  CREATE TRIGGER film_copy AFTER INSERT ON film FOR EACH ROW EXECUTE FUNCTION film_copy();

  CREATE FUNCTION stamp() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
      IF TG_OP = 'INSERT' THEN NEW.created_at := now(); END IF;
      NEW.updated_at := now();
      RETURN NEW;
    END $$;
  CREATE TRIGGER customer_stamp BEFORE INSERT OR UPDATE ON customer FOR EACH ROW EXECUTE FUNCTION stamp();

  CREATE FUNCTION audit() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
      IF TG_LEVEL = 'STATEMENT' THEN INSERT INTO audit_log (table_name, op) VALUES (TG_TABLE_NAME, TG_OP);
      ELSIF TG_OP = 'DELETE' THEN INSERT INTO audit_log (table_name, op, row_id) VALUES (TG_TABLE_NAME, TG_OP, OLD.id);
      ELSE INSERT INTO audit_log (table_name, op, row_id) VALUES (TG_TABLE_NAME, TG_OP, NEW.id);
      END IF;
      RETURN NULL;
    END $$;
  CREATE TRIGGER customer_audit AFTER INSERT OR DELETE ON customer FOR EACH ROW EXECUTE FUNCTION audit();
  CREATE TRIGGER rental_audit AFTER INSERT OR DELETE ON rental FOR EACH ROW EXECUTE FUNCTION audit();
  CREATE TRIGGER payment_audit AFTER INSERT OR DELETE ON payment FOR EACH STATEMENT EXECUTE FUNCTION audit();
  -- Fires in replica sessions only, as on a logical-replication subscriber.
  CREATE TRIGGER film_replica_audit AFTER INSERT OR DELETE ON film FOR EACH ROW EXECUTE FUNCTION audit();
  ALTER TABLE film ENABLE REPLICA TRIGGER film_replica_audit;

  CREATE FUNCTION refuse() RETURNS trigger LANGUAGE plpgsql AS
    $$ BEGIN RAISE EXCEPTION '% on % is not allowed', TG_OP, TG_TABLE_NAME; END $$;
  -- Rentals are never deleted, whatever the session: ALWAYS fires in replica role too.
  CREATE TRIGGER rental_guard BEFORE DELETE ON rental FOR EACH ROW EXECUTE FUNCTION refuse();
  ALTER TABLE rental ENABLE ALWAYS TRIGGER rental_guard;
  -- Switched off long ago: it must stay off.
  CREATE TRIGGER customer_legacy BEFORE INSERT ON customer FOR EACH ROW EXECUTE FUNCTION refuse();
  ALTER TABLE customer DISABLE TRIGGER customer_legacy;

  -- Cloned onto each partition; the clone on payment_2025 gets a mode of its own.
  CREATE FUNCTION payment_stamp() RETURNS trigger LANGUAGE plpgsql AS
    $$ BEGIN NEW.recorded_at := now(); RETURN NEW; END $$;
  CREATE TRIGGER payment_stamp BEFORE INSERT ON payment FOR EACH ROW EXECUTE FUNCTION payment_stamp();
  ALTER TABLE payment_2025 ENABLE ALWAYS TRIGGER payment_stamp;

  -- A materialized view read through a view, and one over it (refreshed after it).
  CREATE VIEW customer_public AS SELECT id, name, email FROM customer;
  CREATE MATERIALIZED VIEW customer_rentals AS
    SELECT c.id, c.name, c.email, count(r.id) AS rentals
    FROM customer_public c LEFT JOIN rental r ON r.customer_id = c.id GROUP BY c.id, c.name, c.email;
  CREATE UNIQUE INDEX ON customer_rentals (id);
  CREATE MATERIALIZED VIEW busy_customers AS SELECT name, email FROM customer_rentals WHERE rentals >= 200;`;

/** Production's rows, written the way the application writes them: every trigger fires. */
const sourceRows = (generation: number): string => `
  INSERT INTO customer (id, name, email, created_at, updated_at)
    SELECT n, 'Customer ' || n, 'customer' || n || '.g${generation}@example.org', now(), now()
    FROM generate_series(1, 500) n;
  INSERT INTO film (id, title, description) SELECT n, 'Film ' || n, 'About film ' || n FROM generate_series(1, 200) n;
  INSERT INTO rental SELECT n, 1 + n % 500, 1 + n % 200, '2024-01-01'::timestamptz + n * interval '5 minutes'
    FROM generate_series(1, 100000) n;
  INSERT INTO payment (id, customer_id, rental_id, amount, paid_at, recorded_at)
    SELECT n, 1 + n % 500, n, (n % 10) + 0.99, '2024-06-01'::timestamptz + n * interval '20 minutes', now()
    FROM generate_series(1, 20000) n;
  -- Years of history: stamps older than any load.
  ALTER TABLE customer DISABLE TRIGGER customer_stamp;
  UPDATE customer SET created_at = '2019-01-01'::timestamptz + id * interval '1 day',
    updated_at = '2023-01-01'::timestamptz + id * interval '1 hour';
  ALTER TABLE customer ENABLE TRIGGER customer_stamp;
  UPDATE payment SET recorded_at = paid_at + interval '1 minute';
  ANALYZE;`;

const rules = `
source: \${MASQUE_SOURCE_URL}
target: \${MASQUE_TARGET_URL}
secret: \${MASQUE_SECRET}
tables:
  public.customer: { columns: { id: keep, name: person.fullName, email: email, created_at: keep, updated_at: keep } }
  public.film: { columns: { id: keep, title: keep, description: keep } }
  public.film_text: { columns: { film_id: keep, title: keep, description: keep } }
  public.rental: { columns: { id: keep, customer_id: keep, film_id: keep, rented_at: keep } }
  public.payment:
    columns: { id: keep, customer_id: keep, rental_id: keep, amount: keep, paid_at: keep, recorded_at: keep }
  public.audit_log: { columns: { id: keep, table_name: keep, op: keep, row_id: keep, at: keep } }
`;
const rulesFile = join(folder, 'triggers.yaml');
writeFileSync(rulesFile, rules);

/** Kept columns per table, as the rules say. */
const kept: Record<string, string[]> = {
  'public.customer': ['id', 'created_at', 'updated_at'],
  'public.film': ['id', 'title', 'description'],
  'public.film_text': ['film_id', 'title', 'description'],
  'public.rental': ['id', 'customer_id', 'film_id', 'rented_at'],
  'public.payment': ['id', 'customer_id', 'rental_id', 'amount', 'paid_at', 'recorded_at'],
  'public.audit_log': ['id', 'table_name', 'op', 'row_id', 'at'],
};

/** Every user trigger of `db` with its mode, one line each: `relation|name|tgenabled`. */
function triggerStates(db: TestDatabase): string[] {
  return psql(db.name, [
    '-c',
    `SELECT tgrelid::regclass || '|' || tgname || '|' || tgenabled::text FROM pg_trigger
     WHERE NOT tgisinternal ORDER BY 1`,
  ])
    .trim()
    .split('\n');
}

/** md5 of every row of every table and materialized view of `db`, by name. */
function checksums(db: TestDatabase): Record<string, string> {
  const relations = psql(db.name, [
    '-c',
    `SELECT format('%I.%I', n.nspname, c.relname) FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
     WHERE c.relkind IN ('r', 'm') AND n.nspname = 'public' ORDER BY 1`,
  ])
    .trim()
    .split('\n');
  return Object.fromEntries(
    relations.map((r) => [
      r,
      psql(db.name, [
        '-c',
        `SELECT count(*) || ' ' || md5(coalesce(string_agg(t::text, ',' ORDER BY t::text), '')) FROM ${r} t`,
      ]).trim(),
    ]),
  );
}

/** One column of a query on `db`, as text lines. */
function lines(db: TestDatabase, sql: string): string[] {
  return psql(db.name, ['-c', sql]).trim().split('\n').filter(Boolean);
}

/** Waits until `test` holds, at most `seconds`. */
async function waitUntil(test: () => boolean, what: string, seconds = 60): Promise<void> {
  const end = Date.now() + seconds * 1000;
  while (!test()) {
    if (Date.now() > end) throw new Error(`waited ${seconds} s for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

/** masque's sessions on `db` (seen by the superuser, whoever runs masque). */
function masqueSessions(db: TestDatabase, where = 'true'): number {
  return Number(
    psqlAdmin(db.name, [
      '-c',
      `SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() AND application_name = 'masque'
       AND pid <> pg_backend_pid() AND ${where}`,
    ]).trim(),
  );
}

/** Whether a masque session holds `mode` on `table` of `db`. */
function masqueHolds(db: TestDatabase, table: string, mode: string): boolean {
  const held = psqlAdmin(db.name, [
    '-c',
    `SELECT count(*) FROM pg_locks l JOIN pg_stat_activity a ON a.pid = l.pid
     WHERE a.application_name = 'masque' AND l.granted AND l.mode = '${mode}' AND l.relation = '${table}'::regclass`,
  ]);
  return Number(held.trim()) > 0;
}

describe('PostgreSQL: the target’s triggers stay silent during a load and are kept', () => {
  let source: TestDatabase;
  let target: TestDatabase;
  /** The target's triggers as its migrations left them. */
  let triggersBefore: string[];
  const env = (targetUrl: string): Record<string, string> => ({
    MASQUE_SOURCE_URL: urlAs(roles.reader, source),
    MASQUE_TARGET_URL: targetUrl,
    MASQUE_SECRET: 'triggers-secret',
  });
  const load = (targetUrl: string, mode: 'staged' | 'direct', only?: string[]) =>
    runCollecting({ rules: parseRules(rules, 'triggers.yaml', env(targetUrl)), mode, ...(only && { only }) });
  const asOwner = (): string => urlAs(roles.owner, target);
  const asSuperuser = (): string => urlAs(pgAdmin, target);

  beforeAll(async () => {
    [source, target] = await Promise.all([createPgDatabase('trg_src'), createPgDatabase('trg_dst')]);
    psql(source.name, [], schema + sourceRows(1));
    psql(target.name, [], schema);
    handToOwner(target);
    triggersBefore = triggerStates(target);
    grantReader(source, roles.reader);
    // Every privilege on the target but ownership.
    psqlAdmin(target.name, [
      '-c',
      `GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public TO ${roles.writer};
       GRANT USAGE, UPDATE ON ALL SEQUENCES IN SCHEMA public TO ${roles.writer};
       GRANT CREATE ON DATABASE ${target.name} TO ${roles.writer}`,
    ]);
  });
  afterAll(async () => {
    await Promise.all([source?.drop(), target?.drop()]);
  });

  /** The target holds the source's masked copy, its triggers as before, its materialized views refreshed. */
  function expectMaskedCopy(startedAt: Date): void {
    expect(pgRowCounts(target.name)).toEqual(pgRowCounts(source.name));
    for (const [table, columns] of Object.entries(kept)) {
      expect(pgColumnsMd5(target.name, table, columns), table).toBe(pgColumnsMd5(source.name, table, columns));
    }
    // No stamp of the load: the copied dates are the source's, all older than this run.
    const newest = lines(
      target,
      "SELECT max(greatest(created_at, updated_at)) < now() - interval '1 year' FROM customer",
    );
    expect(newest).toEqual(['t']);
    expect(lines(target, `SELECT count(*) FROM payment WHERE recorded_at >= '${startedAt.toISOString()}'`)).toEqual([
      '0',
    ]);
    // The audit table holds the source's rows and none of the load's (no INSERT or DELETE audited).
    expect(lines(target, 'SELECT op, count(*) FROM audit_log GROUP BY op ORDER BY op')).toEqual(
      lines(source, 'SELECT op, count(*) FROM audit_log GROUP BY op ORDER BY op'),
    );
    expect(lines(target, 'SELECT count(*) FROM film_text')).toEqual(['200']);
    // Masked: no name or email of the source's.
    const sourceEmails = new Set(lines(source, 'SELECT email FROM customer'));
    const emails = lines(target, 'SELECT email FROM customer');
    expect(emails).toHaveLength(500);
    expect(emails.filter((e) => sourceEmails.has(e))).toEqual([]);
    expect(lines(target, "SELECT count(*) FROM customer WHERE name LIKE 'Customer %'")).toEqual(['0']);
    expect(triggerStates(target)).toEqual(triggersBefore);
    // Refreshed from the masked rows: equal to their query now, no source value in them.
    expect(
      lines(
        target,
        `SELECT (SELECT md5(string_agg(m::text, ',' ORDER BY m.id)) FROM customer_rentals m) =
                (SELECT md5(string_agg(q::text, ',' ORDER BY q.id)) FROM (SELECT c.id, c.name, c.email, count(r.id)
                   FROM customer c LEFT JOIN rental r ON r.customer_id = c.id GROUP BY c.id) q)`,
      ),
    ).toEqual(['t']);
    const viewEmails = lines(target, 'SELECT email FROM customer_rentals UNION ALL SELECT email FROM busy_customers');
    expect(viewEmails.length).toBeGreaterThan(500);
    expect(viewEmails.filter((e) => sourceEmails.has(e))).toEqual([]);
    expect(lines(target, 'SELECT count(*) FROM busy_customers')).toEqual(
      lines(target, 'SELECT count(*) FROM (SELECT customer_id FROM rental GROUP BY 1 HAVING count(*) >= 200) r'),
    );
    expect(pgBrokenForeignKeys(target.name)).toEqual([]);
    expect(lines(target, "SELECT to_regnamespace('masque_shadow') IS NULL")).toEqual(['t']);
  }

  /** md5 of the masked columns, to compare runs. */
  const maskedOutput = (): string => pgColumnsMd5(target.name, 'public.customer', ['id', 'name', 'email']);
  let firstOutput: string;

  it('staged, as a plain role that owns the target and reads the source through a SELECT-only role', async () => {
    const startedAt = new Date();
    const { summary } = await load(asOwner(), 'staged');
    expect(summary.tables.find((t) => t.table === 'public.audit_log')?.rows).toBe(
      Number(lines(source, 'SELECT count(*) FROM audit_log')[0]),
    );
    expectMaskedCopy(startedAt);
    firstOutput = maskedOutput();
  });

  it('--direct, as that role: rows replaced (the ALWAYS guard against DELETE stays silent)', async () => {
    const startedAt = new Date();
    await load(asOwner(), 'direct');
    expectMaskedCopy(startedAt);
    expect(maskedOutput()).toBe(firstOutput);
  });

  it.each(['staged', 'direct'] as const)(
    '%s, as superuser (replica role: REPLICA and ALWAYS triggers)',
    async (mode) => {
      const startedAt = new Date();
      await load(asSuperuser(), mode);
      expectMaskedCopy(startedAt);
      expect(maskedOutput()).toBe(firstOutput);
    },
  );

  describe('a role that may write the tables but owns none of them', () => {
    const asWriter = (): string => urlAs(roles.writer, target);

    it.each(['staged', 'direct'] as const)('stops before writing anything (%s)', async (mode) => {
      const before = checksums(target);
      const failure = await load(asWriter(), mode).then(
        () => new Error('the run succeeded'),
        (e: unknown) => e as Error,
      );
      expect(failure.name).toBe('DatabaseError');
      // ALWAYS triggers fire in replica role too: owning the tables is the only way.
      expect(failure.message).toBe(
        "the target's triggers on public.customer (customer_audit, customer_stamp), public.film (film_copy), " +
          'public.payment (payment_audit, payment_stamp), public.payment_2024 (payment_stamp), ' +
          'public.payment_2025 (payment_stamp), public.rental (rental_audit, rental_guard) would fire during the ' +
          'load: masque must own these tables (to ALTER TABLE … DISABLE TRIGGER inside the load); ' +
          "the target's materialized views public.customer_rentals, public.busy_customers read loaded tables and " +
          'are refreshed inside the load: masque must own them (REFRESH MATERIALIZED VIEW needs ownership)',
      );
      expect(checksums(target)).toEqual(before);
      expect(triggerStates(target)).toEqual(triggersBefore);
      expect(lines(target, "SELECT to_regnamespace('masque_shadow') IS NULL")).toEqual(['t']);
    });

    it('names session_replication_role too where it would do (triggers enabled the ordinary way only)', () => {
      const before = checksums(target);
      const result = runCli(['run', '--config', rulesFile, '--only', 'public.customer', '--log', 'json'], {
        ...env(asWriter()),
      });
      expect(result.status).toBe(3);
      expect(result.stderr).toContain(
        "the target's triggers on public.customer (customer_audit, customer_stamp) would fire during the load: " +
          'masque must own these tables (to ALTER TABLE … DISABLE TRIGGER inside the load) or be allowed to SET ' +
          'session_replication_role (superuser, or GRANT SET ON PARAMETER session_replication_role on PostgreSQL 15+)',
      );
      expect(checksums(target)).toEqual(before);
    });
  });

  describe('kill -9', () => {
    const cliEnv = (targetUrl: string): Record<string, string> => env(targetUrl);
    let before: Record<string, string>;

    /** A session of the test's own that holds a row of film_text: masque's DELETE of it waits. */
    async function holdFilmText(): Promise<() => Promise<void>> {
      const client = await connectPostgres(urlAs(pgAdmin, target));
      await client.query('BEGIN');
      await client.query('SELECT 1 FROM film_text WHERE film_id = 1 FOR UPDATE');
      return async () => {
        await client.query('ROLLBACK');
        await client.end();
      };
    }

    /** Kills the CLI, lets its sessions end (a backend waiting on a lock notices once it has it). */
    async function kill(cli: ReturnType<typeof spawnCli>, release?: () => Promise<void>): Promise<void> {
      cli.child.kill('SIGKILL');
      expect((await cli.exited).signal).toBe('SIGKILL');
      await release?.();
      await waitUntil(() => masqueSessions(target) === 0, "the killed run's sessions to end");
    }

    const run = (targetUrl: string, ...args: string[]) =>
      spawnCli(['run', '--config', rulesFile, '--log', 'json', ...args], cliEnv(targetUrl));
    const done = (table: string) => (e: CliEvent) => e.type === 'table-done' && e.summary.table === table;

    beforeAll(() => {
      // A new generation in the source: a run that went through would change the target.
      psql(source.name, [], `TRUNCATE customer, film, film_text, rental, payment, audit_log;${sourceRows(2)}`);
      before = checksums(target);
    });

    it('during staging, as the owning role: triggers and data as before', async () => {
      const cli = run(asOwner());
      await cli.waitFor(done('public.customer'));
      await kill(cli);
      expect(triggerStates(target)).toEqual(triggersBefore);
      expect(checksums(target)).toEqual(before);
    });

    it.each([
      ['staged', []],
      ['direct', ['--direct']],
    ] as const)('in the cut-over transaction, its triggers switched off, as the owning role (%s)', async (_, args) => {
      const release = await holdFilmText();
      const cli = run(asOwner(), ...args);
      try {
        await waitUntil(() => masqueSessions(target, "wait_event_type = 'Lock'") > 0, 'the DELETE to wait');
        // The transaction switched the triggers off (a SHARE ROW EXCLUSIVE lock per table altered); others see them on.
        expect(masqueHolds(target, 'rental', 'ShareRowExclusiveLock')).toBe(true);
        expect(masqueHolds(target, 'payment_2025', 'ShareRowExclusiveLock')).toBe(true);
        expect(triggerStates(target)).toEqual(triggersBefore);
      } finally {
        await kill(cli, release);
      }
      expect(triggerStates(target)).toEqual(triggersBefore);
      expect(checksums(target)).toEqual(before);
    });

    it('while staging, as superuser: the cut-over opened early with REPLICA and ALWAYS triggers off', async () => {
      const release = await holdFilmText();
      const cli = run(asSuperuser());
      try {
        await waitUntil(() => masqueSessions(target, "wait_event_type = 'Lock'") > 0, 'the DELETE to wait');
        expect(masqueHolds(target, 'rental', 'ShareRowExclusiveLock')).toBe(true);
        // customer has only ordinary triggers, which replica role silences: it is not altered.
        expect(masqueHolds(target, 'customer', 'ShareRowExclusiveLock')).toBe(false);
      } finally {
        await kill(cli, release);
      }
      expect(triggerStates(target)).toEqual(triggersBefore);
      expect(checksums(target)).toEqual(before);
    });

    // As superuser: what the superuser's killed run left in masque_shadow is the superuser's to drop.
    it('the next run loads the new generation, triggers kept', async () => {
      const startedAt = new Date();
      const result = await runToEnd(['run', '--config', rulesFile, '--log', 'json'], cliEnv(asSuperuser()));
      expect(result.stderr).toBe('');
      expect(result.code).toBe(0);
      expectMaskedCopy(startedAt);
      expect(lines(target, "SELECT count(*) FROM film_text WHERE title LIKE 'Film %'")).toEqual(['200']);
    });
  });
});

describe('PostgreSQL without superuser (a plain owner): keys no load order satisfies', () => {
  const cycle = (deferrable: string): string => `
    CREATE TABLE store (id int PRIMARY KEY, manager_id int NOT NULL);
    CREATE TABLE staff (id int PRIMARY KEY, store_id int NOT NULL REFERENCES store);
    ALTER TABLE store ADD CONSTRAINT store_manager_fkey FOREIGN KEY (manager_id) REFERENCES staff ${deferrable};`;
  const cycleRules = (source: TestDatabase, target: TestDatabase) =>
    parseRules(
      `source: ${source.url}
target: ${urlAs(roles.owner, target)}
secret: cycle-secret
tables:
  public.store: { columns: { id: keep, manager_id: keep } }
  public.staff: { columns: { id: keep, store_id: keep } }
`,
      'cycle.yaml',
      {},
    );
  let source: TestDatabase;
  let target: TestDatabase;

  beforeAll(async () => {
    [source, target] = await Promise.all([createPgDatabase('cycle_src'), createPgDatabase('cycle_dst')]);
    psql(
      source.name,
      [],
      `${cycle('DEFERRABLE INITIALLY DEFERRED')}
       BEGIN; INSERT INTO store VALUES (1, 10), (2, 20); INSERT INTO staff VALUES (10, 1), (20, 2); COMMIT;`,
    );
    psql(target.name, [], cycle(''));
    handToOwner(target);
  });
  afterAll(async () => {
    await Promise.all([source?.drop(), target?.drop()]);
  });

  it.each(['staged', 'direct'] as const)('is named, with what lets the load through (%s)', async (mode) => {
    const failure = await runCollecting({ rules: cycleRules(source, target), mode }).then(
      () => new Error('the run succeeded'),
      (e: unknown) => e as Error,
    );
    expect(failure.message).toMatch(
      /^(moving public\.(store|staff) into place|writing public\.(store|staff)): the foreign keys staff_store_id_fkey, store_manager_fkey make a cycle between public\.staff, public\.store and are NOT DEFERRABLE, so no order of the tables satisfies them while their checks stay on: make them DEFERRABLE \(masque defers them to its commit\), or let masque SET session_replication_role \(superuser, or GRANT SET ON PARAMETER session_replication_role on PostgreSQL 15\+\)$/,
    );
    expect(lines(target, 'SELECT count(*) FROM store')).toEqual(['0']);
  });

  it('loads once the keys are DEFERRABLE', async () => {
    psqlAdmin(target.name, [
      '-c',
      'ALTER TABLE store ALTER CONSTRAINT store_manager_fkey DEFERRABLE; ' +
        'ALTER TABLE staff ALTER CONSTRAINT staff_store_id_fkey DEFERRABLE',
    ]);
    await runCollecting({ rules: cycleRules(source, target), mode: 'staged' });
    expect(lines(target, 'SELECT id, manager_id FROM store ORDER BY id')).toEqual(['1|10', '2|20']);
    expect(lines(target, 'SELECT id, store_id FROM staff ORDER BY id')).toEqual(['10|1', '20|2']);
  });

  it('refuses, before writing, to empty a table that a table not loaded references', async () => {
    psqlAdmin(
      target.name,
      [],
      `CREATE TABLE visit (id int PRIMARY KEY, staff_id int REFERENCES staff ON DELETE CASCADE);
       CREATE TABLE shift (id int PRIMARY KEY, staff_id int CONSTRAINT shift_staff_fkey REFERENCES staff);
       INSERT INTO visit VALUES (1, 10); INSERT INTO shift VALUES (1, 20);`,
    );
    handToOwner(target);
    const before = lines(target, "SELECT (SELECT count(*) FROM visit) || '|' || (SELECT count(*) FROM staff)");
    const failure = await runCollecting({ rules: cycleRules(source, target), mode: 'direct' }).then(
      () => new Error('the run succeeded'),
      (e: unknown) => e as Error,
    );
    const replica =
      'or let masque SET session_replication_role (superuser, or GRANT SET ON PARAMETER ' +
      'session_replication_role on PostgreSQL 15+)';
    expect(failure.message).toBe(
      'public.shift, which is not loaded, references public.staff through shift_staff_fkey, checked at once ' +
        `(NOT DEFERRABLE), so the rows of public.staff cannot be replaced: load public.shift too, make the key DEFERRABLE, ${replica}; ` +
        'emptying public.staff would delete rows of public.visit, which is not loaded, through its key ' +
        `visit_staff_id_fkey (ON DELETE CASCADE): load public.visit too, ${replica}`,
    );
    expect(lines(target, "SELECT (SELECT count(*) FROM visit) || '|' || (SELECT count(*) FROM staff)")).toEqual(before);
    // An empty table's key stops nothing; a DEFERRABLE one is checked at the commit, and holds.
    psqlAdmin(target.name, ['-c', 'DELETE FROM visit; ALTER TABLE shift ALTER CONSTRAINT shift_staff_fkey DEFERRABLE']);
    await runCollecting({ rules: cycleRules(source, target), mode: 'direct' });
    expect(lines(target, 'SELECT id, store_id FROM staff ORDER BY id')).toEqual(['10|1', '20|2']);
  });
});

describe('Pagila as a plain role that owns the target, reading the source through a SELECT-only role', () => {
  const pagilaRules = join(repoRoot, 'rules/pagila.yaml');
  let source: TestDatabase;
  let target: TestDatabase;
  let triggersBefore: string[];
  const env = (): Record<string, string> => ({
    MASQUE_SOURCE_URL: urlAs(roles.reader, source),
    MASQUE_TARGET_URL: urlAs(roles.owner, target),
    MASQUE_SECRET: 'pagila-triggers',
  });
  /** The materialized view compared with its own query on the target, as `count|equal`. */
  const salesView = (): string[] => {
    const query = psql(target.name, ['-c', "SELECT pg_get_viewdef('rental_by_category')"]).trim().replace(/;$/, '');
    return lines(
      target,
      `SELECT (SELECT count(*) FROM rental_by_category) || '|' ||
              ((SELECT md5(string_agg(v::text, ',' ORDER BY v::text)) FROM rental_by_category v) =
               (SELECT md5(string_agg(q::text, ',' ORDER BY q::text)) FROM (${query}) q))`,
    );
  };

  beforeAll(async () => {
    [source, target] = await Promise.all([createPagilaSource(), createPagilaTarget()]);
    grantReader(source, roles.reader);
    handToOwner(target);
    triggersBefore = triggerStates(target);
    // The target is its migrations' work, all of it owned by a role that is no superuser.
    const owners = `SELECT DISTINCT r.rolname || '|' || r.rolsuper FROM pg_class c JOIN pg_roles r ON r.oid = c.relowner
      WHERE c.relnamespace = 'public'::regnamespace`;
    expect(lines(target, owners)).toEqual([`${roles.owner}|false`]);
  });
  afterAll(async () => {
    await Promise.all([source?.drop(), target?.drop()]);
  });

  it.each([
    ['staged', []],
    ['direct', ['--direct']],
  ] as const)('runs %s, passes masque verify, keeps the triggers, refreshes rental_by_category', (_, args) => {
    const result = runCli(['run', '--config', pagilaRules, '--log', 'json', ...args], env());
    expect(result.stderr).toBe('');
    expect(result.status).toBe(0);
    expect(pgRowCounts(target.name)).toEqual(pgRowCounts(source.name));
    const verify = runCli(['verify', '--config', pagilaRules, '--log', 'json'], env());
    expect(verify.stderr).toBe('');
    expect(verify.status).toBe(0);
    const summary = JSON.parse(verify.stdout.trim().split('\n').at(-1)!);
    expect(summary).toMatchObject({ type: 'verify', findings: 0 });
    expect(triggerStates(target)).toEqual(triggersBefore);
    expect(salesView()).toEqual(['16|true']);
  });
});
