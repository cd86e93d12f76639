import type { RunReport } from './run-report.ts';
import { writeFileAtomic } from './write-atomic.ts';

interface Metric {
  name: string;
  help: string;
  samples: { labels?: Record<string, string>; value: number }[];
}

/**
 * The run report in Prometheus text exposition format (0.0.4), for node-exporter's textfile
 * collector. Every figure is a gauge: each run replaces the file, so nothing accumulates.
 * Per-table series cover the tables finished before the end (all of them on success).
 */
export function prometheusText(report: RunReport): string {
  const perTable = (value: (t: RunReport['tables'][number]) => number) =>
    report.tables.map((t) => ({ labels: { table: t.table }, value: value(t) }));
  const metrics: Metric[] = [
    {
      name: 'masque_last_run_timestamp_seconds',
      help: 'When the last masque run ended, in seconds since the Unix epoch.',
      samples: [{ value: Date.parse(report.finishedAt) / 1000 }],
    },
    {
      name: 'masque_last_run_success',
      help: '1 if the last masque run succeeded, 0 if it failed.',
      samples: [{ value: report.status === 'ok' ? 1 : 0 }],
    },
    {
      name: 'masque_last_run_exit_code',
      help: 'Exit code of the last masque run: 0 ok, 1 check problems, 2 usage or config, 3 database or runtime.',
      samples: [{ value: report.exitCode }],
    },
    {
      name: 'masque_run_duration_seconds',
      help: 'How long the last masque run took.',
      samples: [{ value: report.seconds }],
    },
    {
      name: 'masque_run_cutover_seconds',
      help: 'How long the last masque run took to switch staging to the new rows.',
      samples: report.cutoverSeconds === undefined ? [] : [{ value: report.cutoverSeconds }],
    },
    { name: 'masque_run_rows', help: 'Rows the last masque run wrote, all tables.', samples: [{ value: report.rows }] },
    {
      name: 'masque_run_bytes',
      help: 'Size of the masked values the last masque run wrote, all tables (UTF-8 text, binary as is).',
      samples: [{ value: report.bytes }],
    },
    {
      name: 'masque_table_rows',
      help: 'Rows the last masque run wrote into the table.',
      samples: perTable((t) => t.rows),
    },
    {
      name: 'masque_table_bytes',
      help: 'Size of the masked values the last masque run wrote into the table.',
      samples: perTable((t) => t.bytes),
    },
    {
      name: 'masque_table_duration_seconds',
      help: 'How long the last masque run took to copy the table.',
      samples: perTable((t) => t.seconds),
    },
    {
      name: 'masque_table_masked_columns',
      help: 'Columns of the table that the last masque run masked.',
      samples: perTable((t) => t.maskedColumns.length),
    },
  ];
  return metrics
    .filter((m) => m.samples.length)
    .map(format)
    .join('');
}

/** Writes the report's metrics to `file` atomically (temporary file + rename), as node-exporter requires. */
export function writeMetrics(file: string, report: RunReport): void {
  writeFileAtomic(file, prometheusText(report));
}

function format({ name, help, samples }: Metric): string {
  const lines = [`# HELP ${name} ${help}`, `# TYPE ${name} gauge`];
  for (const { labels, value } of samples) lines.push(`${name}${formatLabels(labels)} ${value}`);
  return `${lines.join('\n')}\n`;
}

function formatLabels(labels: Record<string, string> | undefined): string {
  if (!labels) return '';
  return `{${Object.entries(labels)
    .map(([k, v]) => `${k}="${escapeLabel(v)}"`)
    .join(',')}}`;
}

/** The exposition format's escapes inside a label value: backslash, double quote, newline. */
function escapeLabel(value: string): string {
  return value.replaceAll('\\', '\\\\').replaceAll('"', '\\"').replaceAll('\n', '\\n');
}
