/**
 * A strict reader of Prometheus text exposition format (0.0.4), enough to prove that a file
 * masque wrote will load in node-exporter's textfile collector: every sample line is
 * `name{labels} value`, HELP and TYPE come before a metric's samples, a metric's samples are
 * together, and there are no timestamps (the textfile collector rejects them).
 */
export interface Sample {
  name: string;
  labels: Record<string, string>;
  value: number;
}

export interface Exposition {
  samples: Sample[];
  help: Record<string, string>;
  type: Record<string, string>;
}

const NAME = '[a-zA-Z_:][a-zA-Z0-9_:]*';
const LABEL = `[a-zA-Z_][a-zA-Z0-9_]*="(?:[^"\\\\\\n]|\\\\[\\\\"n])*"`;
const VALUE = '[-+]?(?:\\d+(?:\\.\\d*)?(?:[eE][-+]?\\d+)?|\\.\\d+|NaN|Inf)';
const SAMPLE = new RegExp(`^(${NAME})(?:\\{((?:${LABEL})(?:,${LABEL})*)?,?\\})? (${VALUE})$`);
const META = new RegExp(`^# (HELP|TYPE) (${NAME}) (.*)$`);

/** Parses `text`, throwing an Error that names the line on the first thing a scraper would reject. */
export function parsePrometheusText(text: string): Exposition {
  if (!text.endsWith('\n')) throw new Error('the exposition must end with a newline');
  const out: Exposition = { samples: [], help: {}, type: {} };
  const finished = new Set<string>();
  let current: string | undefined;
  text
    .slice(0, -1)
    .split('\n')
    .forEach((line, i) => {
      const where = `line ${i + 1}: ${line}`;
      const meta = META.exec(line);
      if (meta) {
        const [, kind, name, rest] = meta as unknown as [string, 'HELP' | 'TYPE', string, string];
        const seen = kind === 'HELP' ? out.help : out.type;
        if (seen[name] !== undefined) throw new Error(`${where}: second ${kind} for ${name}`);
        if (out.samples.some((s) => s.name === name)) throw new Error(`${where}: ${kind} after samples of ${name}`);
        if (kind === 'TYPE' && !['counter', 'gauge', 'histogram', 'summary', 'untyped'].includes(rest))
          throw new Error(`${where}: unknown type`);
        seen[name] = rest;
        return;
      }
      if (line.startsWith('#') || line === '') return;
      const sample = SAMPLE.exec(line);
      if (!sample) throw new Error(`${where}: not \`name{labels} value\``);
      const [, name, labelText = ''] = sample as unknown as [string, string, string | undefined];
      if (name !== current) {
        if (finished.has(name)) throw new Error(`${where}: samples of ${name} are not together`);
        if (current) finished.add(current);
        current = name;
      }
      if (out.help[name] === undefined || out.type[name] === undefined)
        throw new Error(`${where}: no HELP and TYPE before the samples of ${name}`);
      const labels: Record<string, string> = {};
      for (const [, key, value] of labelText.matchAll(/([a-zA-Z_][a-zA-Z0-9_]*)="((?:[^"\\]|\\.)*)"/g)) {
        labels[key!] = value!.replace(/\\(.)/g, (_, c: string) => (c === 'n' ? '\n' : c));
      }
      out.samples.push({ name, labels, value: Number(sample[3]!.replace(/^([-+]?)Inf$/, '$1Infinity')) });
    });
  return out;
}

/** The value of one sample, by name and labels; throws if there is not exactly one. */
export function sampleValue(exposition: Exposition, name: string, labels: Record<string, string> = {}): number {
  const found = exposition.samples.filter(
    (s) => s.name === name && JSON.stringify(s.labels) === JSON.stringify(labels),
  );
  if (found.length !== 1) throw new Error(`${found.length} samples of ${name}${JSON.stringify(labels)}`);
  return found[0]!.value;
}
