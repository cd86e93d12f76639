import type { Dialect, SnapshotReader, Value } from '../dialects/dialect.ts';
import { openDialect } from '../dialects/open-dialect.ts';
import { ConfigError } from '../errors.ts';
import { formatName, parseName } from '../names.ts';
import { matchesTable } from './table-match.ts';

/**
 * Columns of the source read before planning, for a transformer's `prepare` (`mentions` learns
 * the names it looks for in text). Opened on the first read, in one read-only snapshot of its
 * own; `close` ends it. A person added to the source between this snapshot and the run's is not
 * learnt: their name in a note written in that moment stays (docs/free-text.md).
 */
export class SourceColumns {
  private opened?: Promise<{ dialect: Dialect; reader: SnapshotReader }>;

  constructor(private readonly url: string) {}

  /** Every value of `table.column` (`public.customer.first_name`, `customer.first_name`). */
  read = (written: string): AsyncIterable<Value> => {
    const parts = parseName(written);
    const column = parts.pop()?.text;
    const pattern = formatName(parts.map((p) => p.text));
    const open = () => (this.opened ??= this.open());
    return (async function* () {
      const { dialect, reader } = await open();
      const schema = await dialect.introspect();
      const table = schema.tables.find((t) => !t.partitionOf && matchesTable(pattern, t));
      if (!table || !column || !table.columns.some((c) => c.name === column))
        throw new ConfigError(`${written}: no such column in the source`);
      for await (const batch of reader.read({ table, columns: [column] })) for (const row of batch) yield row[0]!;
    })();
  };

  private async open() {
    const dialect = await openDialect(this.url, 'source');
    try {
      return { dialect, reader: await dialect.openSnapshot() };
    } catch (error) {
      await dialect.close();
      throw error;
    }
  }

  async close(): Promise<void> {
    if (!this.opened) return;
    const { dialect, reader } = await this.opened;
    await reader.close();
    await dialect.close();
  }
}
