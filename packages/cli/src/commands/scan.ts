import { existsSync, writeFileSync } from 'node:fs';
import { dirname, relative, resolve } from 'node:path';
import { ConfigError, RULES_JSON_SCHEMA_FILE, scanSource } from '@masque/core';

export interface ScanCommandOptions {
  source?: string;
  output?: string;
  sample?: number;
  force?: boolean;
}

/**
 * `masque scan`: drafts a rules file from the source. Writes it to `--output` (never over an
 * existing file without `--force`: it may be reviewed rules) or prints it; the summary goes to
 * stderr, so the printed draft can be redirected as it is.
 */
export async function scanCommand(
  options: ScanCommandOptions,
  err: NodeJS.WritableStream = process.stderr,
): Promise<void> {
  const url = options.source ?? process.env.MASQUE_SOURCE_URL;
  if (!url) throw new ConfigError('scan needs a source database: pass --source URL or set MASQUE_SOURCE_URL');
  if (options.output && existsSync(options.output) && !options.force) {
    throw new ConfigError(`${options.output} exists already: choose another --output, or add --force to overwrite it`);
  }
  const schemaPath = options.output ? relative(dirname(resolve(options.output)), RULES_JSON_SCHEMA_FILE) : undefined;
  const result = await scanSource(url, {
    ...(options.sample && { sampleSize: options.sample }),
    ...(schemaPath && { schemaPath }),
  });
  const columns = result.tables.flatMap((t) => t.columns);
  const flagged = columns.filter((c) => c.flagged).length;
  if (options.output) writeFileSync(options.output, result.yaml);
  else process.stdout.write(result.yaml);
  const written = options.output ? `; draft written to ${options.output}` : '';
  err.write(result.report);
  err.write(
    `masque scan: ${result.tables.length} table(s), ${columns.length} column(s), ${flagged} look personal${written}\n`,
  );
}
