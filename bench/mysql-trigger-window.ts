/**
 * How long a MariaDB target's triggers and foreign keys are missing during a run: a swap's window
 * from its RENAME until they are made again (mysql-swap.ts), or a move's between dropping the
 * triggers and recreating them (mysql-triggers.ts). Those on masque's own tables (a swap's old
 * tables, until they are dropped) do not count. The
 * Sakila-style schema of the trigger tests (test/support/sakila-triggers.ts), `--payments N`
 * payments (a table with triggers, so it moves inside the window) and `--audits N` audit rows (no
 * trigger and no key to one: it moves during the load, outside the window). Another connection
 * polls the number of triggers as fast as it can; the window is from the first poll that finds
 * one missing to the first that finds them all again (a few ms of resolution each side). Each run
 * is in-process, staged (default) or `--direct`, into a target that already holds the previous
 * run's rows, after a first run that fills it.
 *
 *   npx --yes tsx bench/mysql-trigger-window.ts --payments 16049 --runs 5
 *   npx --yes tsx bench/mysql-trigger-window.ts --payments 1000000 --audits 16049 --direct
 */
import { parseArgs } from 'node:util';
import { openSession } from '../packages/core/src/dialects/mysql/mysql-driver.ts';
import { parseMysqlUrl } from '../packages/core/src/dialects/mysql/mysql-url.ts';
import { parseRules, runRefresh } from '../packages/core/src/index.ts';
import { mysql, mysqlUrl } from '../test/support/databases.ts';
import { rulesText, schema, sourceRows, targetRows, triggers } from '../test/support/sakila-triggers.ts';

const { values } = parseArgs({
  options: {
    payments: { type: 'string', default: '16049' },
    audits: { type: 'string' },
    runs: { type: 'string', default: '3' },
    direct: { type: 'boolean', default: false },
  },
});
const payments = Number(values.payments);
const audits = Number(values.audits ?? values.payments);
const suffix = Math.random().toString(16).slice(2, 10);
const source = `masque_window_src_${suffix}`;
const target = `masque_window_dst_${suffix}`;

/** The triggers and foreign keys of the target's own tables. */
const presentSql = `SELECT
  (SELECT COUNT(*) FROM information_schema.TRIGGERS
   WHERE TRIGGER_SCHEMA = DATABASE() AND EVENT_OBJECT_TABLE NOT LIKE '\\_masque\\_%') +
  (SELECT COUNT(*) FROM information_schema.REFERENTIAL_CONSTRAINTS
   WHERE CONSTRAINT_SCHEMA = DATABASE() AND TABLE_NAME NOT LIKE '\\_masque\\_%')`;

/** Milliseconds from the first poll that sees a trigger missing to the first that sees all again. */
async function pollWindow(expected: number, until: Promise<unknown>): Promise<{ window: number; polls: number }> {
  const session = await openSession(parseMysqlUrl(mysqlUrl(target)));
  let missingSince: number | undefined;
  let window = 0;
  let polls = 0;
  let finished = false;
  void until.finally(() => (finished = true));
  try {
    // One more poll after the run: the last recreation may come just before it ends.
    for (let last = false; !last; ) {
      last = finished;
      const [[present] = []] = await session.rows(presentSql);
      const now = performance.now();
      polls++;
      if (Number(present) < expected) missingSince ??= now;
      else if (missingSince !== undefined) {
        window += now - missingSince;
        missingSince = undefined;
      }
    }
    if (missingSince !== undefined) throw new Error('the triggers were not all back after the run');
    return { window, polls };
  } finally {
    await session.end();
  }
}

async function main(): Promise<void> {
  const paymentId = payments > 65_535 ? 'INT UNSIGNED' : 'SMALLINT UNSIGNED';
  mysql(undefined, ['-e', `CREATE DATABASE ${source}; CREATE DATABASE ${target}`]);
  try {
    mysql(source, [], schema(paymentId) + sourceRows(payments, audits));
    mysql(target, [], schema(paymentId) + triggers + targetRows);
    const expected = Number(mysql(target, ['-e', presentSql]));
    const env = { MASQUE_SOURCE_URL: mysqlUrl(source), MASQUE_TARGET_URL: mysqlUrl(target), MASQUE_SECRET: 'window' };
    const rules = parseRules(rulesText, 'window.yaml', env);
    const mode = values.direct ? 'direct' : 'staged';
    await runRefresh({ rules, mode });
    console.log(`${mode}, ${payments} payments, ${audits} audit rows, ${expected} triggers and foreign keys`);
    for (let run = 1; run <= Number(values.runs); run++) {
      const refresh = runRefresh({ rules, mode });
      const { window, polls } = await pollWindow(expected, refresh);
      const summary = await refresh;
      console.log(
        `run ${run}: window ${window.toFixed(0)} ms (${polls} polls), ` +
          `commit step ${((summary.cutoverSeconds ?? 0) * 1000).toFixed(0)} ms, run ${(summary.seconds * 1000).toFixed(0)} ms`,
      );
    }
  } finally {
    mysql(undefined, ['-e', `DROP DATABASE IF EXISTS ${source}; DROP DATABASE IF EXISTS ${target}`]);
  }
}

await main();
