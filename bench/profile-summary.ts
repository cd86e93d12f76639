/**
 * Reads a V8 .cpuprofile (`node --cpu-prof`) and prints where the time went: the top functions
 * by self time with file:line, and self time per package or source folder.
 *
 *   tsx bench/profile-summary.ts FILE.cpuprofile [--top 20]
 *
 * tsx runs our TypeScript whitespace-minified (all on line 1): when the profile's folder holds
 * the source-maps.json that bench/source-maps-hook.ts writes, positions map back to .ts lines.
 */
import { existsSync, readFileSync } from 'node:fs';
import { SourceMap, type SourceMapPayload } from 'node:module';
import { dirname, join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';

interface CallFrame {
  functionName: string;
  url: string;
  /** Zero-based, of the code V8 ran. */
  lineNumber: number;
  columnNumber: number;
}

interface CpuProfile {
  nodes: { id: number; callFrame: CallFrame }[];
  samples: number[];
  timeDeltas: number[];
  /** Source maps by script URL, from source-maps.json beside the profile. */
  sourceMaps?: Record<string, SourceMapPayload>;
}

export interface ProfileEntry {
  name: string;
  /** Where: `path:line`, shortened (a package's files as `pkg/file.js`). */
  location: string;
  selfMs: number;
  percent: number;
}

export interface ProfileSummary {
  totalMs: number;
  functions: ProfileEntry[];
  /** Self time per package (node_modules), Node internals, or folder of our own code. */
  areas: ProfileEntry[];
}

const repoUrl = `${pathToFileURL(resolve(import.meta.dirname, '..')).href}/`;

/** Where a script lives, short: `pg-copy-streams/copy-to.js`, `packages/core/src/…`, `node:internal/…`. */
function shortPath(url: string): string {
  const inPackage = /node_modules\/(?:\.pnpm\/[^/]+\/node_modules\/)?((?:@[^/]+\/)?[^/]+\/.*)$/.exec(url);
  if (inPackage) return inPackage[1]!;
  return url.startsWith(repoUrl) ? url.slice(repoUrl.length) : url;
}

/** The package, Node internals, or our source folder a path belongs to. */
function areaOf(path: string, name: string): string {
  if (!path) return name.startsWith('(') ? name : '(native)';
  if (path.startsWith('node:')) return 'node internals';
  if (path.startsWith('packages/')) return path.slice(0, path.lastIndexOf('/'));
  const match = /^((?:@[^/]+\/)?[^/]+)\//.exec(path);
  return match ? match[1]! : path;
}

/** The 1-based line of a frame in its original source, through the source map when there is one. */
function lineOf(frame: CallFrame, maps: Map<string, SourceMap>): number {
  const entry = maps.get(frame.url)?.findEntry(frame.lineNumber, frame.columnNumber);
  return entry && 'originalLine' in entry ? entry.originalLine + 1 : frame.lineNumber + 1;
}

export function summariseProfile(profile: CpuProfile, top = 20): ProfileSummary {
  const frames = new Map(profile.nodes.map((node) => [node.id, node.callFrame]));
  const maps = new Map(Object.entries(profile.sourceMaps ?? {}).map(([url, payload]) => [url, new SourceMap(payload)]));
  const byFunction = new Map<string, ProfileEntry>();
  const byArea = new Map<string, ProfileEntry>();
  let totalMs = 0;
  const add = (map: Map<string, ProfileEntry>, key: string, name: string, location: string, ms: number): void => {
    const entry = map.get(key) ?? { name, location, selfMs: 0, percent: 0 };
    entry.selfMs += ms;
    map.set(key, entry);
  };
  // Sample i lasts until sample i+1 (as DevTools counts): its time is the next delta.
  for (let i = 0; i < profile.samples.length; i++) {
    const frame = frames.get(profile.samples[i]!);
    if (!frame) continue;
    const ms = (profile.timeDeltas[i + 1] ?? 0) / 1000;
    totalMs += ms;
    const path = shortPath(frame.url);
    const name = frame.functionName || '(anonymous)';
    const location = path ? `${path}:${lineOf(frame, maps)}` : '';
    add(byFunction, `${name} ${location}`, name, location, ms);
    const area = areaOf(path, name);
    add(byArea, area, area, '', ms);
  }
  const ranked = (map: Map<string, ProfileEntry>, count: number): ProfileEntry[] =>
    [...map.values()]
      .sort((a, b) => b.selfMs - a.selfMs)
      .slice(0, count)
      .map((e) => ({ ...e, selfMs: Math.round(e.selfMs), percent: Math.round((1000 * e.selfMs) / totalMs) / 10 }));
  return { totalMs: Math.round(totalMs), functions: ranked(byFunction, top), areas: ranked(byArea, 12) };
}

/** The summary as a Markdown table (what bench/README.md quotes). */
export function formatProfile(summary: ProfileSummary): string {
  const row = (e: ProfileEntry): string =>
    `| ${e.selfMs} | ${e.percent}% | \`${e.name}\` | ${e.location ? `\`${e.location}\`` : ''} |`;
  return [
    `Total sampled: ${(summary.totalMs / 1000).toFixed(1)} s`,
    '',
    '| self ms | % | function | where |',
    '|---:|---:|---|---|',
    ...summary.functions.map(row),
    '',
    '| self ms | % | area | |',
    '|---:|---:|---|---|',
    ...summary.areas.map(row),
  ].join('\n');
}

/** A .cpuprofile, with the source maps written beside it when there are any. */
export function readProfile(file: string): CpuProfile {
  const profile = JSON.parse(readFileSync(file, 'utf8')) as CpuProfile;
  const maps = join(dirname(file), 'source-maps.json');
  if (existsSync(maps)) profile.sourceMaps = JSON.parse(readFileSync(maps, 'utf8')) as Record<string, SourceMapPayload>;
  return profile;
}

if (process.argv[1] && import.meta.url === pathToFileURL(resolve(process.argv[1])).href) {
  const { positionals, values } = parseArgs({
    allowPositionals: true,
    options: { top: { type: 'string', default: '20' } },
  });
  if (positionals.length !== 1) {
    process.stderr.write('usage: tsx bench/profile-summary.ts FILE.cpuprofile [--top 20]\n');
    process.exit(2);
  }
  process.stdout.write(`${formatProfile(summariseProfile(readProfile(positionals[0]!), Number(values.top)))}\n`);
}
