/**
 * What makes a staged table reusable by `masque run --resume`: the same masking (rules, secret,
 * selected tables and columns, masque version) and the same source rows (per-table source
 * fingerprints from the snapshot, see SnapshotReader.fingerprints).
 */
import { createHash, createHmac, randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import type { Rules } from '../config/rules.ts';
import type { StagedTable } from '../dialects/dialect.ts';
import type { TablePlan } from './plan.ts';

const version = (JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string }).version;

/** JSON with object keys sorted, so that equal values always give equal text. */
function canonical(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonical).join(',')}]`;
  if (value && typeof value === 'object') {
    const entries = Object.entries(value).filter(([, v]) => v !== undefined).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonical(v)}`).join(',')}}`;
  }
  return JSON.stringify(value) ?? 'null';
}

/**
 * A digest of everything that decides the masked output: the normalised rules (without file
 * positions, URLs or the protect list), the planned tables and columns, masque's version, and
 * HMAC(secret, "masque-fingerprint"), which changes with the secret but does not reveal it.
 * Without a secret the output is random, so the fingerprint is too: nothing is ever reused.
 */
export function rulesFingerprint(rules: Rules, tables: TablePlan[]): string {
  const secret = rules.secret ? createHmac('sha256', rules.secret).update('masque-fingerprint').digest('hex') : `random:${randomUUID()}`;
  const masking = {
    version,
    locale: rules.locale,
    strict: rules.strict,
    rules: rules.tables.map((t) => ({
      pattern: t.pattern, skip: t.skip, where: t.where,
      columns: t.columns.map(({ place: _place, ...column }) => column),
    })),
    plan: tables.map((t) => ({ table: t.target.name, skip: t.skip, columns: t.columns.map((c) => c.name) })),
  };
  return createHash('sha256').update(canonical(masking)).update(secret).digest('hex');
}

export interface ResumeChoice {
  /** Staged tables to reuse. */
  reuse: Set<string>;
  /** What the user should know about the choice, one sentence each. */
  notes: string[];
}

/**
 * Which of the tables a dead run staged this run may reuse: none unless `resume`; with it, those
 * staged under the same rules fingerprint whose source fingerprint is still the same.
 */
export function chooseReuse(staged: StagedTable[], resume: boolean, rules: string, sources: ReadonlyMap<string, string>): ResumeChoice {
  const reuse = new Set<string>();
  if (!resume) {
    const notes = staged.length ? [`an interrupted run left ${staged.length} staged table(s): dropped (pass --resume to reuse them)`] : [];
    return { reuse, notes };
  }
  if (staged.length === 0) return { reuse, notes: ['nothing to resume: no interrupted run left staged tables; starting from the beginning'] };
  if (staged.some((s) => s.rulesFingerprint !== rules)) {
    return { reuse, notes: ['cannot resume: the rules, the secret, the selected tables or masque itself changed since the interrupted run; starting over'] };
  }
  const notes: string[] = [];
  for (const s of staged) {
    if (sources.get(s.table) === s.sourceFingerprint) reuse.add(s.table);
    else notes.push(`cannot reuse ${s.table}: it may have changed in the source since it was staged; loading it again`);
  }
  notes.unshift(`resuming: ${reuse.size} of the ${staged.length} table(s) staged by the interrupted run are reused`);
  return { reuse, notes };
}
