/**
 * Source versions for `--resume`: SQLite keeps no per-table change counters, so the
 * version is the database file's and its write-ahead log's size and modification time (in
 * nanoseconds), the same for every table. Any commit changes one of them, so any change to the
 * file makes every table be loaded again; a checkpoint does too, needlessly but safely.
 */
import { createHash, randomUUID } from 'node:crypto';
import { statSync } from 'node:fs';
import type { TableInfo } from '../schema.ts';

/** Size and modification time of the file and its WAL, as one string. */
export function fileState(path: string): string {
  return [path, `${path}-wal`]
    .map((file) => {
      try {
        const stat = statSync(file, { bigint: true });
        return `${stat.size}:${stat.mtimeNs}`;
      } catch {
        return 'none';
      }
    })
    .join('/');
}

/** Every table gets the file's version, or `unstable` when the file changed while the snapshot began. */
export function sourceVersionsOf(before: string, after: string, tables: TableInfo[]): Map<string, string> {
  const value = before === after ? createHash('sha256').update(after).digest('hex') : `unstable:${randomUUID()}`;
  return new Map(tables.map((t) => [t.name, value]));
}
