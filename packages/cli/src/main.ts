import { Command, InvalidArgumentError, Option } from 'commander';
import { formatError } from './format-error.ts';
import { demoCommand } from './commands/demo.ts';
import { previewCommand } from './commands/preview.ts';
import { runCommand } from './commands/run.ts';
import { exitCodeOf } from './exit.ts';

const program = new Command('masque')
  .description('Refresh a staging database from production with the personal data masked.')
  .showHelpAfterError()
  .exitOverride();

const list = (value: string): string[] => {
  const items = value.split(',').map((s) => s.trim()).filter(Boolean);
  if (!items.length) throw new InvalidArgumentError('expected a comma-separated list of tables');
  return items;
};

/** The flags every database command takes. */
function common(command: Command): Command {
  return command
    .option('-c, --config <file>', 'rules file (YAML or JSON)', 'masque.yaml')
    .option('--source <url>', 'source database URL (overrides the rules file)')
    .option('--target <url>', 'target database URL (overrides the rules file)')
    .option('--only <tables>', 'only these tables, comma-separated (globs allowed)', list)
    .addOption(new Option('--log <format>', 'output: pretty on a terminal, json lines otherwise').choices(['pretty', 'json']))
    .option('-q, --quiet', 'print nothing but errors');
}

common(program.command('run').description('full refresh of the target from the source under the rules'))
  .option('--report <file>', 'write the run report as JSON (per table: rows, bytes, seconds, masked columns; totals; exit code)')
  .option('--metrics <file>', 'write the run report as Prometheus text for node-exporter\'s textfile collector')
  .action(async (options) => void (await runCommand(options)));

program
  .command('preview <table>')
  .description('rows of one table before and after masking, side by side; writes nothing')
  .option('-c, --config <file>', 'rules file (YAML or JSON)', 'masque.yaml')
  .option('--source <url>', 'source database URL (overrides the rules file)')
  .option('-n, --rows <n>', 'how many rows', (v) => Number.parseInt(v, 10), 10)
  .option('--json', 'print JSON instead of a table')
  .action(async (table, options) => void (await previewCommand(table, options)));

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
  if (!(error as { code?: string }).code?.startsWith('commander.')) process.stderr.write(`${formatError(error)}\n`);
  process.exitCode = code;
}
