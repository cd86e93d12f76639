import { splitNames } from '@masque/core';
import { Command, InvalidArgumentError, Option } from 'commander';
import { formatError } from './format-error.ts';
import { checkCommand } from './commands/check.ts';
import { demoCommand } from './commands/demo.ts';
import { previewCommand } from './commands/preview.ts';
import { reportCommand } from './commands/report.ts';
import { runCommand } from './commands/run.ts';
import { scanCommand } from './commands/scan.ts';
import { transformersCommand } from './commands/transformers.ts';
import { verifyCommand } from './commands/verify.ts';
import { exitCodeOf } from './exit.ts';

const program = new Command('masque')
  .description('Refresh a staging database from production with the personal data masked.')
  .option('--debug', 'print the stack of an error after its one-line reason')
  .showHelpAfterError()
  .exitOverride();

const list = (value: string): string[] => {
  const items = splitNames(value);
  if (!items.length) throw new InvalidArgumentError('expected a comma-separated list of tables');
  return items;
};

const seconds = (value: string): number => {
  const n = Number(value);
  if (!Number.isFinite(n) || n < 0) throw new InvalidArgumentError('expected a number of seconds');
  return n;
};

const someSeconds = (value: string): number => {
  const n = Number(value);
  if (!Number.isFinite(n) || n <= 0) throw new InvalidArgumentError('expected a number of seconds above 0');
  return n;
};

const jobs = (value: string): number => {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1 || n > 64)
    throw new InvalidArgumentError('expected a whole number of jobs from 1 to 64');
  return n;
};

const shards = (value: string): number => {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1 || n > 1000)
    throw new InvalidArgumentError('expected a whole number of shards from 1 to 1000');
  return n;
};

const index = (value: string): number => {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0) throw new InvalidArgumentError('expected a whole number from 0');
  return n;
};

const rows = (value: string): number => {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1) throw new InvalidArgumentError('expected a whole number of rows, at least 1');
  return n;
};

/** The rules file and the databases: the flags a user copies from one command line to the next. */
function databases(command: Command, target = 'target database URL (overrides the rules file)'): Command {
  return command
    .option('-c, --config <file>', 'rules file (YAML or JSON)', 'masque.yaml')
    .option('--source <url>', 'source database URL (overrides the rules file)')
    .option('--target <url>', target);
}

/** The flags every database command takes. */
function common(command: Command): Command {
  return databases(command)
    .option('--only <tables>', 'only these tables, comma-separated (globs allowed)', list)
    .addOption(
      new Option('--log <format>', 'output: pretty on a terminal, json lines otherwise').choices(['pretty', 'json']),
    )
    .option('-q, --quiet', 'print nothing but errors');
}

common(program.command('run').description('full refresh of the target from the source under the rules'))
  .option(
    '--report <file>',
    'write the run report as JSON (per table: rows, bytes, seconds, masked columns; totals; exit code)',
  )
  .option('--metrics <file>', "write the run report as Prometheus text for node-exporter's textfile collector")
  .option(
    '--report-html <file>',
    "write the reviewer's page after the run, whatever its outcome (as masque report --html; docs/report.md)",
  )
  .option(
    '--create-schema',
    "create the source's whole schema first in a target that holds none of its tables (never alters one that does)",
  )
  .option('--resume', 'reuse the tables an interrupted run staged, if the source and the rules are unchanged')
  .addOption(
    new Option('--direct', 'load in one transaction straight into the tables: faster, not resumable').conflicts(
      'resume',
    ),
  )
  .option(
    '--wait <seconds>',
    'wait this long for another run on the same target to finish (default: exit 3 at once)',
    seconds,
  )
  .option(
    '-j, --jobs <n>',
    'work units (tables, key ranges of big tables) copied at once, ' +
      'each on its own connection (PostgreSQL; elsewhere 1)',
    jobs,
    1,
  )
  .option(
    '--timeout <seconds>',
    'stop the run after this long, leaving the target unchanged (default: no limit)',
    someSeconds,
  )
  .option(
    '--lock-timeout <seconds>',
    "longest wait of a statement on the target for another session's lock, then fail (default 60)",
    someSeconds,
  )
  .option(
    '--shards <n>',
    'one refresh spread over N processes or pods (PostgreSQL); this one is $JOB_COMPLETION_INDEX, shard 0 ' +
      'coordinates (docs/scale-out.md)',
    shards,
  )
  .option('--shard-index <i>', "this process's shard, 0 to N-1 (default: $JOB_COMPLETION_INDEX)", index)
  .option(
    '--lease <seconds>',
    'with --shards: a unit whose shard stops renewing goes to another after this (default 30)',
    someSeconds,
  )
  .option('--plan-wait <seconds>', "with --shards: how long shards wait for shard 0's plan (default 600)", someSeconds)
  .addOption(
    new Option('--unit-rows <n>', 'rows per work unit of a split table (default 250000)').argParser(rows).hideHelp(),
  )
  .action(async (options) => void (await runCommand(options)));

common(
  program.command('check').description('the rules against the live source and target schemas: every problem at once'),
).action(async (options) => {
  process.exitCode = await checkCommand(options);
});

const count = (value: string): number => {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1) throw new InvalidArgumentError('expected a whole number of rows, at least 1');
  return n;
};

common(
  program
    .command('verify')
    .description('after a run: row counts, foreign keys, unique keys, and a leak check of masked columns'),
)
  .option('--deep', 'also look for masked source values in every text column of the target')
  .option('--sample <rows>', 'rows sampled per table for the value checks (default 100000)', count)
  .option('--report <file>', 'write the findings and per-table counts as JSON')
  .action(async (options) => {
    process.exitCode = await verifyCommand(options);
  });

program
  .command('scan')
  .description('draft a rules file from the source: every table and column, personal-looking ones masked, with reasons')
  .option('--source <url>', 'source database URL (default: $MASQUE_SOURCE_URL)')
  .option('-o, --output <file>', 'where to write the draft (default: print it)')
  .option('--sample <rows>', 'rows sampled per table (default 1000)', count)
  .option('--force', 'overwrite the output file if it exists')
  .action(async (options) => void (await scanCommand(options)));

// --target is accepted so that run's command line can be reused as it is; preview never opens it.
databases(program.command('preview <table>'), 'accepted as for run, never opened: preview writes nothing')
  .description('rows of one table before and after masking, side by side; writes nothing')
  .option('-n, --rows <n>', 'how many rows', (v) => Number.parseInt(v, 10), 10)
  .option('--json', 'print JSON instead of a table')
  .action(async (table, options) => void (await previewCommand(table, options)));

const sampled = (value: string): number => {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0) throw new InvalidArgumentError('expected a whole number of rows (0: names only)');
  return n;
};

// --target is accepted so that run's command line can be reused as it is; the report never opens it.
databases(program.command('report'), 'accepted as for run, never opened: the report reads the rules and the source')
  .description('one offline HTML page for the reviewer of the rules: coverage, reasons, the run, verify, changes')
  .requiredOption('--html <file>', 'where to write the page')
  .option('--run-report <file>', 'the run to show: the JSON of masque run --report FILE')
  .option('--verify-report <file>', 'the checks to show: the JSON of masque verify --report FILE')
  .option('--since <page>', 'a previous page to list changes against (default: the page --html replaces, if any)')
  .option('--sample <rows>', 'rows scan samples per table for its value signals (default 1000; 0: names only)', sampled)
  .option(
    '--examples [rows]',
    'masked values of masked columns, as preview shows them (default 3 rows; needs the secret)',
    count,
  )
  .option('-q, --quiet', 'print nothing but errors')
  .action(async (options) => void (await reportCommand(options)));

program
  .command('transformers')
  .description('the transformer catalogue with parameters')
  .option('--json', 'print JSON for machines')
  .action((options) => transformersCommand(options));

program
  .command('demo')
  .description('the whole pipeline on a generated SQLite sample; needs no server')
  .option('--dir <folder>', 'where to write production.db and staging.db', '.masque-demo')
  .option('--customers <n>', 'how many sample customers', (v) => Number.parseInt(v, 10), 200)
  .action(async (options) => void (await demoCommand(options)));

try {
  await program.parseAsync();
} catch (error) {
  const code = exitCodeOf(error);
  // Commander has printed its own usage errors already.
  if (!(error as { code?: string }).code?.startsWith('commander.')) {
    process.stderr.write(`${formatError(error, program.opts().debug === true)}\n`);
  }
  process.exitCode = code;
}
// The command is over: a connection whose close was given up on (a server that stopped answering)
// must not keep the process alive. Unref'd, this timer never holds a process that is ending anyway.
setTimeout(() => process.exit(), 2000).unref();
