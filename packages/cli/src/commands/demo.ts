import { mkdirSync, rmSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { buildSampleDatabase, createSampleSchema, loadRules, runRefresh, sampleRows } from '@masque/core';
import { prettyReporter } from '../render/pretty.ts';

export interface DemoOptions {
  dir: string;
  customers: number;
}

const demoRules = fileURLToPath(new URL('../../../../rules/demo.yaml', import.meta.url));
const shown = ['id', 'first_name', 'last_name', 'email', 'phone', 'birth_date'];

/**
 * `masque demo`: builds a sample "production" SQLite file, masks it into a "staging" file with
 * `rules/demo.yaml`, and shows the same customers before and after. Needs no server.
 */
export async function demoCommand(options: DemoOptions, out: NodeJS.WritableStream = process.stdout): Promise<void> {
  const dir = resolve(options.dir);
  mkdirSync(dir, { recursive: true });
  const production = join(dir, 'production.db');
  const staging = join(dir, 'staging.db');
  for (const file of [production, staging]) rmSync(file, { force: true });
  const built = buildSampleDatabase(production, { customers: options.customers });
  createSampleSchema(staging);
  out.write(
    `Built ${production}: ${Object.entries(built.tables)
      .map(([t, n]) => `${n} ${t}`)
      .join(', ')}\n`,
  );

  const rules = loadRules(
    demoRules,
    { MASQUE_SECRET: 'masque-demo-secret', ...process.env },
    {
      source: `sqlite:${production}`,
      target: `sqlite:${staging}`,
    },
  );
  await runRefresh({ rules, onEvent: prettyReporter(process.stderr) });

  const before = await sampleRows(`sqlite:${production}`, 'customer', shown, 5);
  const after = await sampleRows(`sqlite:${staging}`, 'customer', shown, 5);
  out.write(`\nThe first customers, before (production) and after (staging), rules from ${demoRules}:\n`);
  before.forEach((row, i) => {
    const lines = shown.map((c, j) => `${c.padEnd(10)} ${String(row[j]).padEnd(34)} → ${String(after[i]?.[j])}`);
    out.write(`\n  ${lines.join('\n  ')}\n`);
  });
  out.write(`\nStaging is ready: ${staging}\n`);
}
