/**
 * A SQLite full-text index (FTS5, external content) that the application keeps in step with
 * triggers on its content table: the triggers stay silent during a load, so masque rebuilds the
 * index from the loaded rows in the load's transaction. A search finds the masked text, never
 * the text the target held before nor the source's.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { parseRules } from '@masque/core';
import { afterAll, describe, expect, it } from 'vitest';
import { runCollecting } from './support/run-refresh.ts';

const schema = `
  CREATE TABLE note (id INTEGER PRIMARY KEY, body TEXT NOT NULL);
  CREATE VIRTUAL TABLE note_search USING fts5(body, content='note', content_rowid='id');
  CREATE TRIGGER note_indexed AFTER INSERT ON note BEGIN
    INSERT INTO note_search (rowid, body) VALUES (NEW.id, NEW.body);
  END;
  CREATE TRIGGER note_unindexed AFTER DELETE ON note BEGIN
    INSERT INTO note_search (note_search, rowid, body) VALUES ('delete', OLD.id, OLD.body);
  END;`;

const folder = mkdtempSync(join(tmpdir(), 'masque-fts-'));
afterAll(() => rmSync(folder, { recursive: true, force: true }));

/** A database with the schema and `notes` rows written through the application's triggers. */
function database(name: string, notes: string[]): string {
  const path = join(folder, `${name}.db`);
  const db = new Database(path);
  db.exec(schema);
  const insert = db.prepare('INSERT INTO note (id, body) VALUES (?, ?)');
  for (const [i, body] of notes.entries()) insert.run(i + 1, body);
  db.close();
  return path;
}

/** The ids of the notes a full-text search for `word` finds. */
function search(path: string, word: string): number[] {
  const db = new Database(path, { readonly: true });
  try {
    return db
      .prepare('SELECT rowid FROM note_search WHERE note_search MATCH ? ORDER BY rowid')
      .pluck()
      .all(word) as number[];
  } finally {
    db.close();
  }
}

describe.each(['staged', 'direct'] as const)('a full-text index over a loaded table (%s)', (mode) => {
  it('is rebuilt from the masked rows', async () => {
    const source = database(`source-${mode}`, ['call Ingrid Bergman', 'meet Ingrid at noon', 'plain note']);
    const target = database(`target-${mode}`, ['stale staging text', 'stale again']);
    const rules = parseRules(
      `
source: sqlite:${source}
target: sqlite:${target}
secret: fts
tables:
  note: { columns: { id: keep, body: { transform: constant, value: masked words } } }
`,
      'fts.yaml',
      {},
    );
    await runCollecting({ rules, mode });
    expect(search(target, 'masked')).toEqual([1, 2, 3]);
    expect(search(target, 'stale')).toEqual([]);
    expect(search(target, 'Ingrid')).toEqual([]);
    const db = new Database(target, { readonly: true });
    expect(db.prepare(`SELECT count(*) FROM sqlite_schema WHERE type = 'trigger'`).pluck().get()).toBe(2);
    db.close();
    // FTS5's own check compares the index with its content table: it throws when they differ.
    const writable = new Database(target);
    expect(() => writable.exec(`INSERT INTO note_search (note_search) VALUES ('integrity-check')`)).not.toThrow();
    writable.close();
  });
});
