/**
 * MariaDB: the target's triggers never fire during a load, and are never lost. The Sakila-style
 * schema of support/sakila-triggers.ts, whose target has a copy into another loaded table, a NOW()
 * stamp, audits into a loaded table in FOLLOWS/PRECEDES order, and DELETE triggers. masque runs as
 * a user with ALL on the targets and SELECT on the source only, no SUPER. After staged and
 * `--direct` runs the target equals the masked copy a trigger-free target gets (kept columns
 * byte-identical to the source, stamped dates the source's, as many audit rows), and `SHOW CREATE
 * TRIGGER` of every trigger, with its order, and `SHOW CREATE TABLE` of every table are what they
 * were. `kill -9` during staging and during a direct load leaves the data as it was; inside the
 * swap's window (after its RENAME, before the keys and triggers are back) it leaves the new data,
 * and inside the move's window (a load with a table not loaded that has a key into a loaded one)
 * the old. Either way the triggers and keys are back after the next run at the latest — a plain
 * one, `--resume` or `--direct`. A trigger of another definer stops the run before anything is
 * written, naming it.
 */
import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseRules } from '@masque/core';
import { createConnection } from 'mysql2/promise';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mysql, mysqlAsAdmin, mysqlUrl } from './support/databases.ts';
import { runCollecting } from './support/run-refresh.ts';
import { kept, rulesText, schema, sourceRows, tables, targetRows, triggers } from './support/sakila-triggers.ts';
import { runToEnd, spawnCli, type CliEvent } from './support/spawn-cli.ts';

const suffix = randomBytes(4).toString('hex');
/** The user masque runs as: no SUPER, ALL on the targets, SELECT on the source. */
const user = `masque_trg_${suffix}`;
const names = {
  source: `masque_trg_src_${suffix}`,
  target: `masque_trg_dst_${suffix}`,
  plain: `masque_trg_pln_${suffix}`,
};
const host = new URL(mysqlUrl('x')).hostname;
const urlOf = (database: string) => `mysql://${user}@${host}:3306/${database}`;
const grantName = (database: string) => `\`${database.replaceAll('_', '\\_')}\``;

/** The mariadb client as the run's user, reading `script` from stdin. */
function asUser(database: string, script: string): string {
  return execFileSync('mariadb', ['-h', host, '-u', user, '-N', '-B', '-D', database], {
    input: script,
    encoding: 'utf8',
  });
}

const one = (database: string, sql: string): string => mysql(database, ['-e', sql]).trim();

/** Row count and CHECKSUM TABLE of every table. */
function checksums(database: string): Record<string, string> {
  return Object.fromEntries(
    tables.map((t) => [
      t,
      `${one(database, `SELECT COUNT(*) FROM ${t}`)} ${one(database, `CHECKSUM TABLE ${t}`).split('\t')[1]}`,
    ]),
  );
}

/** A digest of the kept columns of every table, row by row in key order. */
function keptDigests(database: string): Record<string, string> {
  return Object.fromEntries(
    tables.map((t) => {
      const row = `CONCAT_WS(0x1f, ${kept[t]!.map((c) => `QUOTE(${c})`).join(', ')})`;
      const sql = `SET SESSION group_concat_max_len = 1 << 30;
        SELECT COUNT(*), SHA2(GROUP_CONCAT(${row} ORDER BY ${kept[t]![0]} SEPARATOR 0x1e), 256) FROM ${t}`;
      return [t, one(database, sql)];
    }),
  );
}

/** Every trigger: name, table, timing, event, order, definer, then SHOW CREATE TRIGGER but its time of creation. */
function triggerDefinitions(database: string): string[] {
  const listed = one(
    database,
    `SELECT TRIGGER_NAME, EVENT_OBJECT_TABLE, ACTION_TIMING, EVENT_MANIPULATION, ACTION_ORDER, DEFINER
     FROM information_schema.TRIGGERS WHERE TRIGGER_SCHEMA = DATABASE() ORDER BY TRIGGER_NAME`,
  );
  return listed
    .split('\n')
    .filter(Boolean)
    .map((line) => {
      const shown = one(database, `SHOW CREATE TRIGGER \`${line.split('\t')[0]}\``).split('\t');
      return [line, ...shown.slice(0, 6)].join('\t');
    });
}

const triggerNames = (database: string): string[] =>
  one(database, 'SELECT TRIGGER_NAME FROM information_schema.TRIGGERS WHERE TRIGGER_SCHEMA = DATABASE() ORDER BY 1')
    .split('\n')
    .filter(Boolean);

const masqueTables = (database: string): string[] =>
  one(
    database,
    `SELECT TABLE_NAME FROM information_schema.TABLES WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME LIKE '\\_masque\\_%'
     ORDER BY 1`,
  )
    .split('\n')
    .filter(Boolean);

/** `SHOW CREATE TABLE` of every table, the AUTO_INCREMENT counter aside: columns, indexes, keys. */
function tableDefinitions(database: string): Record<string, string> {
  return Object.fromEntries(
    tables.map((t) => [
      t,
      one(database, `SHOW CREATE TABLE ${t}`)
        .replace(/ AUTO_INCREMENT=\d+/, '')
        .replaceAll('\\n', '\n'),
    ]),
  );
}

/** Triggers of the loaded tables, and their foreign keys. */
const onLoadedTables = (database: string): string =>
  one(
    database,
    `SELECT (SELECT COUNT(*) FROM information_schema.TRIGGERS WHERE TRIGGER_SCHEMA = DATABASE()
               AND EVENT_OBJECT_TABLE IN (${tables.map((t) => `'${t}'`).join(', ')})),
            (SELECT COUNT(*) FROM information_schema.REFERENTIAL_CONSTRAINTS WHERE CONSTRAINT_SCHEMA = DATABASE()
               AND TABLE_NAME IN (${tables.map((t) => `'${t}'`).join(', ')}))`,
  );

/** Changes every table of the source, so that a finished run changes every table of the target. */
function setGeneration(generation: number): void {
  mysql(
    names.source,
    [],
    `
    UPDATE film SET description = CONCAT('A description of film ', film_id, ', generation ${generation}');
    UPDATE film_text SET description = CONCAT('A description of film ', film_id, ', generation ${generation}');
    UPDATE language SET last_update = '2006-02-15 05:02:19' + INTERVAL ${generation} DAY;
    UPDATE customer SET first_name = CONCAT('FIRST', customer_id, 'G', ${generation}),
      create_date = '2006-02-14 22:04:36' + INTERVAL customer_id + ${generation} MINUTE;
    UPDATE payment SET amount = (payment_id % 1000 + ${generation}) / 100;
    UPDATE audit_log SET action = CONCAT('insert ', ${generation});`,
  );
}

describe('MariaDB: the target triggers never fire during a load and are never lost', () => {
  let folder: string;
  let rulesFile: string;
  let env: Record<string, string>;
  let definitions: string[];
  let shapes: Record<string, string>;
  const cli = (...args: string[]) => spawnCli(['run', '--config', rulesFile, '--log', 'json', ...args], env);
  const rulesFor = (target: string) =>
    parseRules(rulesText, 'triggers.yaml', { ...env, MASQUE_TARGET_URL: urlOf(target) });

  /**
   * The target equals what a trigger-free target gets from the same source (refreshed now), its
   * kept columns equal the source's, its stamped dates are the source's, its audit rows as many,
   * no masked value is the source's; and every trigger is back as it was, and masque's record gone.
   */
  async function expectMaskedCopyWithTriggers(): Promise<void> {
    await runCollecting({ rules: rulesFor(names.plain) });
    expect(checksums(names.target)).toEqual(checksums(names.plain));
    expect(keptDigests(names.target)).toEqual(keptDigests(names.source));
    const joined = (on: string) =>
      Number(
        one(
          names.target,
          `SELECT COUNT(*) FROM customer t JOIN \`${names.source}\`.customer s USING (customer_id) WHERE ${on}`,
        ),
      );
    expect(joined('t.create_date = s.create_date')).toBe(599);
    expect(joined('t.first_name = s.first_name OR t.email = s.email')).toBe(0);
    expect(one(names.target, 'SELECT COUNT(*) FROM audit_log')).toBe('16049');
    expect(one(names.target, 'SELECT COUNT(*) FROM film_text')).toBe('1000');
    expect(triggerDefinitions(names.target)).toEqual(definitions);
    expect(tableDefinitions(names.target)).toEqual(shapes);
    expect(masqueTables(names.target)).toEqual([]);
  }

  /** A run killed with SIGKILL once `moment` resolves; returns its events. */
  async function killAt(
    args: string[],
    moment: (events: (test: (e: CliEvent) => boolean) => Promise<CliEvent>) => Promise<void>,
  ) {
    const run = cli(...args);
    await moment(run.waitFor);
    run.child.kill('SIGKILL');
    expect((await run.exited).signal).toBe('SIGKILL');
    return run.events;
  }

  /** Until no connection of the run's user is left: the server has rolled back what a killed run had open. */
  async function untilRunGone(): Promise<void> {
    await waitUntil(() => admin(`SELECT COUNT(*) FROM information_schema.PROCESSLIST WHERE USER = '${user}'`) === '0');
  }

  /**
   * Kills a staged run inside the swap's window: once its RENAME has made the shadows the tables,
   * before their keys and triggers are back. A connection of the run's user runs a CREATE TRIGGER
   * that waits for a lock another session holds on a table of the plain database: the swap's last
   * step first waits for such statements (a dead run's may still be running), so the run waits
   * there, and is killed.
   */
  async function killInSwapWindow(): Promise<void> {
    const holder = await createConnection({ uri: mysqlUrl(names.plain) });
    const waiting = await createConnection({ uri: urlOf(names.target) });
    let pending: Promise<unknown> = Promise.resolve();
    try {
      const events = await killAt([], async (waitFor) => {
        await waitFor((e) => e.type === 'table-done');
        await holder.query('START TRANSACTION');
        await holder.query('SELECT COUNT(*) FROM language');
        pending = waiting
          .query(
            `CREATE DEFINER = CURRENT_USER TRIGGER \`${names.plain}\`.hold_window BEFORE INSERT
             ON \`${names.plain}\`.language FOR EACH ROW SET @held = 1`,
          )
          .catch(() => {});
        await waitFor((e) => e.type === 'commit');
        await waitUntil(() => masqueTables(names.target).includes('_masque_swapped'));
      });
      expect(events.some((e) => e.type === 'done')).toBe(false);
    } finally {
      await holder.query('ROLLBACK');
      await holder.end();
      await pending;
      await waiting.end();
      mysql(names.plain, ['-e', 'DROP TRIGGER IF EXISTS hold_window']);
    }
    await untilRunGone();
  }

  /**
   * Kills a run that moves rows inside its window: another session holds a row of `language` (no
   * trigger of its own, but a parent of `film`, so it moves at commit) from once the shadows exist,
   * so the cut-over waits at its DELETE, after the triggers were dropped.
   */
  async function killInMoveWindow(): Promise<void> {
    const blocker = await createConnection({ uri: mysqlUrl(names.target) });
    try {
      const events = await killAt([], async (waitFor) => {
        await waitFor((e) => e.type === 'table-done');
        await blocker.query('START TRANSACTION');
        await blocker.query('SELECT * FROM language WHERE language_id = 1 FOR UPDATE');
        await waitFor((e) => e.type === 'commit');
        await waitUntil(
          () =>
            admin(
              `SELECT COUNT(*) FROM information_schema.PROCESSLIST
               WHERE USER = '${user}' AND DB = '${names.target}' AND INFO LIKE 'DELETE FROM \`language\`%'`,
            ) === '1',
        );
      });
      expect(events.some((e) => e.type === 'done')).toBe(false);
    } finally {
      await blocker.query('ROLLBACK');
      await blocker.end();
    }
    await untilRunGone();
  }

  /** Right after a kill inside the swap's window: the new data, the old tables and records left. */
  async function expectSwapWindow(): Promise<void> {
    await runCollecting({ rules: rulesFor(names.plain) });
    expect(checksums(names.target)).toEqual(checksums(names.plain));
    expect(onLoadedTables(names.target)).toBe('0\t0');
    expect(masqueTables(names.target)).toEqual(
      expect.arrayContaining(['_masque_foreign_keys', '_masque_old_film', '_masque_swapped', '_masque_triggers']),
    );
    expect(one(names.target, 'SELECT COUNT(*) FROM _masque_triggers')).toBe(String(definitions.length));
    expect(one(names.target, 'SELECT COUNT(*) FROM _masque_foreign_keys')).toBe('2');
  }

  beforeAll(async () => {
    folder = mkdtempSync(join(tmpdir(), 'masque-triggers-'));
    rulesFile = join(folder, 'triggers.yaml');
    writeFileSync(rulesFile, rulesText);
    mysqlAsAdmin(undefined, [
      '-e',
      `CREATE USER '${user}'@'%';
       ${Object.values(names)
         .map((db) => `CREATE DATABASE \`${db}\` CHARACTER SET utf8mb4;`)
         .join(' ')}
       GRANT SELECT ON ${grantName(names.source)}.* TO '${user}'@'%';
       GRANT ALL ON ${grantName(names.target)}.* TO '${user}'@'%';
       GRANT ALL ON ${grantName(names.plain)}.* TO '${user}'@'%';`,
    ]);
    mysql(names.source, [], schema() + sourceRows());
    // The targets are the user's own: its triggers have it as definer, as on a managed database.
    asUser(names.plain, schema());
    asUser(names.target, schema() + triggers + targetRows);
    env = { MASQUE_SOURCE_URL: urlOf(names.source), MASQUE_TARGET_URL: urlOf(names.target), MASQUE_SECRET: 'trg' };
    definitions = triggerDefinitions(names.target);
    shapes = tableDefinitions(names.target);
  }, 120_000);

  afterAll(async () => {
    mysqlAsAdmin(undefined, [
      '-e',
      `${Object.values(names)
        .map((db) => `DROP DATABASE IF EXISTS \`${db}\`;`)
        .join(' ')} DROP USER IF EXISTS '${user}'@'%';`,
    ]);
    if (folder) rmSync(folder, { recursive: true, force: true });
  });

  it('the target was set up with every kind of trigger, in an order unlike their creation', () => {
    // The old rows were written with the triggers on: they fired.
    expect(one(names.target, 'SELECT COUNT(*) FROM film_text')).toBe('2');
    expect(one(names.target, 'SELECT COUNT(*) FROM audit_log')).toBe('3');
    expect(one(names.target, 'SELECT create_date > NOW() - INTERVAL 1 DAY FROM customer')).toBe('1');
    const order = one(
      names.target,
      `SELECT GROUP_CONCAT(TRIGGER_NAME ORDER BY ACTION_ORDER) FROM information_schema.TRIGGERS
       WHERE TRIGGER_SCHEMA = DATABASE() AND EVENT_OBJECT_TABLE = 'payment'`,
    );
    expect(order).toBe('payment_audit_first,payment_audit,payment_audit_last');
    const stamp = definitions.find((d) => d.startsWith('customer_create_date\t'))!.split('\t');
    expect(stamp.slice(5)).toEqual([
      `${user}@%`,
      'customer_create_date',
      'PIPES_AS_CONCAT,STRICT_TRANS_TABLES',
      `CREATE DEFINER=\`${user}\`@\`%\` TRIGGER customer_create_date BEFORE INSERT ON customer FOR EACH ROW SET NEW.create_date = NOW()`,
      'latin1',
      'latin1_swedish_ci',
      'utf8mb4_general_ci',
    ]);
    expect(definitions.find((d) => d.startsWith('customer_delete\t'))).toContain("'supprimé'");
    expect(definitions).toHaveLength(8);
  });

  it('staged (in parts): the data is the masked copy, and the triggers are back as they were', async () => {
    setGeneration(1);
    const { summary } = await runCollecting({ rules: rulesFor(names.target), unitRows: 4000 });
    expect(summary.rows).toBe(6 + 1000 + 1000 + 599 + 16049 + 16049);
    await expectMaskedCopyWithTriggers();
  });

  it('--direct: the data is the masked copy, and the triggers are back as they were', async () => {
    setGeneration(2);
    await runCollecting({ rules: rulesFor(names.target), mode: 'direct' });
    await expectMaskedCopyWithTriggers();
  });

  it('a trigger of another definer stops the run before anything is written, naming it and the privilege', async () => {
    setGeneration(3);
    const before = checksums(names.target);
    mysqlAsAdmin(names.target, [
      '-e',
      'CREATE DEFINER = `root`@`localhost` TRIGGER language_stamp BEFORE UPDATE ON language FOR EACH ROW SET @x = 1',
    ]);
    try {
      for (const mode of ['staged', 'direct'] as const) {
        const run = runCollecting({ rules: rulesFor(names.target), mode });
        await expect(run).rejects.toThrow(
          new RegExp(
            `^trigger \`language_stamp\` on table \`language\` has definer root@localhost: .* needs the SUPER ` +
              `privilege \\(MariaDB: or SET USER; MySQL 8: SET_USER_ID or SET_ANY_DEFINER\\), which ${user}@% lacks; ` +
              'nothing was written$',
          ),
        );
        expect(checksums(names.target)).toEqual(before);
        expect(triggerNames(names.target)).toHaveLength(9);
        expect(masqueTables(names.target)).toEqual([]);
      }
    } finally {
      mysqlAsAdmin(names.target, ['-e', 'DROP TRIGGER language_stamp']);
    }
  });

  it('kill -9 during staging: data and triggers as they were; the next run refreshes', async () => {
    setGeneration(4);
    const before = checksums(names.target);
    const events = await killAt([], async (waitFor) => void (await waitFor((e) => e.type === 'table-done')));
    expect(events.some((e) => e.type === 'commit')).toBe(false);
    await untilRunGone();
    expect(checksums(names.target)).toEqual(before);
    expect(triggerDefinitions(names.target)).toEqual(definitions);
    expect(masqueTables(names.target)).toContain('_masque_progress');
    expect(masqueTables(names.target)).not.toContain('_masque_triggers');

    const next = await runToEnd(['run', '--config', rulesFile, '--log', 'json'], env);
    expect(next.stderr).toBe('');
    expect(next.code).toBe(0);
    await expectMaskedCopyWithTriggers();
  });

  it('kill -9 inside the swap window: the new data, keys and triggers recorded; the next run (--resume) brings them back', async () => {
    setGeneration(5);
    await killInSwapWindow();
    await expectSwapWindow();

    const next = await runToEnd(['run', '--config', rulesFile, '--log', 'json', '--resume'], env);
    expect(next.stderr).toBe('');
    expect(next.code).toBe(0);
    // The swap took the progress along: nothing was left to resume.
    const resumed = next.events.filter((e) => e.type === 'table-done').map((e) => e.summary.resumed === true);
    expect(resumed).toEqual(tables.map(() => false));
    await expectMaskedCopyWithTriggers();
  });

  it('kill -9 inside the swap window: the next run, --direct, brings the keys and triggers back first', async () => {
    setGeneration(6);
    await killInSwapWindow();
    await expectSwapWindow();

    const next = await runToEnd(['run', '--config', rulesFile, '--log', 'json', '--direct'], env);
    expect(next.stderr).toBe('');
    expect(next.code).toBe(0);
    await expectMaskedCopyWithTriggers();
  });

  it('a load that moves its rows (a table not loaded has a key into film): kill -9 inside its window leaves the data as it was; the next run (--resume) brings the triggers back', async () => {
    setGeneration(8);
    asUser(
      names.target,
      `CREATE TABLE film_note (id INT PRIMARY KEY, film_id SMALLINT UNSIGNED NOT NULL,
         CONSTRAINT fk_note_film FOREIGN KEY (film_id) REFERENCES film (film_id));`,
    );
    try {
      const before = checksums(names.target);
      await killInMoveWindow();
      expect(checksums(names.target)).toEqual(before);
      // Missing now is allowed (the window): the record names them.
      expect(masqueTables(names.target)).toContain('_masque_triggers');
      expect(triggerNames(names.target).length).toBeLessThan(definitions.length);
      expect(one(names.target, 'SELECT COUNT(*) FROM _masque_triggers')).toBe(String(definitions.length));

      const next = await runToEnd(['run', '--config', rulesFile, '--log', 'json', '--resume'], env);
      expect(next.stderr).toBe('');
      expect(next.code).toBe(0);
      const resumed = next.events.filter((e) => e.type === 'table-done').map((e) => e.summary.resumed === true);
      expect(resumed).toEqual(tables.map(() => true));
      await expectMaskedCopyWithTriggers();
      // Moved, not swapped: the key of the table not loaded still references the loaded film.
      expect(
        one(
          names.target,
          `SELECT REFERENCED_TABLE_NAME FROM information_schema.REFERENTIAL_CONSTRAINTS
           WHERE CONSTRAINT_SCHEMA = DATABASE() AND CONSTRAINT_NAME = 'fk_note_film'`,
        ),
      ).toBe('film');
    } finally {
      asUser(names.target, 'DROP TABLE film_note');
    }
  });

  it('kill -9 during a direct load: data as it was; the next run brings the triggers back', async () => {
    setGeneration(7);
    const before = checksums(names.target);
    await killAt(['--direct'], async (waitFor) => void (await waitFor((e) => e.type === 'table-done')));
    await untilRunGone();
    expect(checksums(names.target)).toEqual(before);
    // A direct load has them dropped from its start to its end.
    expect(masqueTables(names.target)).toEqual(['_masque_triggers']);
    expect(triggerNames(names.target).length).toBeLessThan(definitions.length);

    const next = await runToEnd(['run', '--config', rulesFile, '--log', 'json'], env);
    expect(next.stderr).toBe('');
    expect(next.code).toBe(0);
    await expectMaskedCopyWithTriggers();
  });
});

/** Sessions of other users, which only the admin sees. */
const admin = (sql: string): string => mysqlAsAdmin(undefined, ['-e', sql]).trim();

/** Polls `condition` every 20 ms, for 60 s at most. */
async function waitUntil(condition: () => boolean, timeoutMs = 60_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}
