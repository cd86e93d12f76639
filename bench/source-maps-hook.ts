/**
 * Loaded into a profiled masque run (`node --import tsx --import ./bench/source-maps-hook.ts
 * --cpu-prof --cpu-prof-dir DIR …`). tsx runs our TypeScript as whitespace-minified JavaScript,
 * so every function in the .cpuprofile sits on "line 1"; at exit this writes the source maps of
 * the loaded sources to DIR/source-maps.json, and profile-summary.ts maps positions back to
 * the .ts lines with them.
 */
import { readdirSync, writeFileSync } from 'node:fs';
import { findSourceMap } from 'node:module';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';

const flag = process.execArgv.indexOf('--cpu-prof-dir');
const dir = flag >= 0 ? process.execArgv[flag + 1] : undefined;
const packages = resolve(import.meta.dirname, '../packages');

process.on('exit', () => {
  if (!dir) return;
  const maps: Record<string, unknown> = {};
  for (const file of readdirSync(packages, { recursive: true, encoding: 'utf8' })) {
    if (!file.endsWith('.ts')) continue;
    const url = pathToFileURL(join(packages, file)).href;
    const map = findSourceMap(url);
    if (map) maps[url] = map.payload;
  }
  writeFileSync(join(dir, 'source-maps.json'), JSON.stringify(maps));
});
