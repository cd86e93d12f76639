/**
 * What makes a staged table reusable by `masque run --resume`: the same masking (rules, secret,
 * selected tables and columns, masque version) and the same source rows (per-table source
 * versions from the snapshot, see SnapshotReader.sourceVersions).
 */
import { createHash, createHmac, randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import type { Rules } from '../config/rules.ts';
import type { StagedTable } from '../dialects/dialect.ts';
import type { TablePlan } from './plan.ts';

const version = (
  JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string }
).version;

/** JSON with object keys sorted, so that equal values always give equal text. */
function canonical(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonical).join(',')}]`;
  if (value && typeof value === 'object') {
    const entries = Object.entries(value)
      .filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonical(v)}`).join(',')}}`;
  }
  return JSON.stringify(value) ?? 'null';
}

/**
 * A digest of everything that decides the masked output: the normalised rules (without file
 * positions, URLs or the protect list), the planned tables and columns, masque's version, and
 * HMAC(secret, "masque-fingerprint"), which changes with the secret but does not reveal it.
 * Without a secret the output is random, so the digest is too: nothing is ever reused.
 */
export function rulesDigest(rules: Rules, tables: TablePlan[]): string {
  const secret = rules.secret
    ? createHmac('sha256', rules.secret).update('masque-fingerprint').digest('hex')
    : `random:${randomUUID()}`;
  const masking = {
    version,
    locale: rules.locale,
    strict: rules.strict,
    rules: rules.tables.map((t) => ({
      pattern: t.pattern,
      skip: t.skip,
      where: t.where,
      columns: t.columns.map(({ place: _place, ...column }) => column),
    })),
    plan: tables.map((t) => ({ table: t.target.name, skip: t.skip, columns: t.columns.map((c) => c.name) })),
    // A subset keeps other rows when its roots, their choice or the keys it follows change.
    subset: rules.subset && {
      roots: rules.subset.roots.map(({ place: _place, wherePlace: _where, ...root }) => root),
      children: rules.subset.children,
      others: rules.subset.others,
    },
    relations: rules.relations?.map((r) => [r.from.text, r.to.text]),
  };
  return createHash('sha256').update(canonical(masking)).update(secret).digest('hex');
}

/**
 * One version of the source snapshot from the per-table ones: equal when no table the run
 * reads changed. `unstable` (never equal) when any table changed while the snapshot began.
 */
export function snapshotVersion(tables: ReadonlyMap<string, string>): string {
  const entries = [...tables].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  if (entries.length === 0 || entries.some(([, f]) => f.startsWith('unstable:'))) return `unstable:${randomUUID()}`;
  return createHash('sha256').update(canonical(entries)).digest('hex');
}

export interface ResumeChoice {
  /** Staged tables to reuse. */
  reuse: Set<string>;
  /** What the user should know about the choice, one sentence each. */
  notes: string[];
}

/**
 * Which of the tables a dead run staged this run may reuse: none unless `resume`; with it, all of
 * them when they were staged under the same rules and from the same source as this run reads,
 * else none. Never some of them: a table's masked output can depend on others (a masked key
 * propagates to its foreign keys, a filter may read another table).
 */
export function chooseReuse(staged: StagedTable[], resume: boolean, rules: string, source: string): ResumeChoice {
  const none = (note: string): ResumeChoice => ({ reuse: new Set(), notes: [note] });
  if (!resume) {
    return staged.length
      ? none(`an interrupted run left ${staged.length} staged table(s): dropped (pass --resume to reuse them)`)
      : { reuse: new Set(), notes: [] };
  }
  if (staged.length === 0)
    return none('nothing to resume: no interrupted run left staged tables; starting from the beginning');
  if (staged.some((s) => s.rulesDigest !== rules)) {
    return none(
      'cannot resume: the rules, the secret, the selected tables or masque itself changed ' +
        'since the interrupted run; starting over',
    );
  }
  if (source.startsWith('unstable:') || staged.some((s) => s.sourceVersion.startsWith('unstable:'))) {
    return none(
      'cannot resume: the source was being written to while a snapshot began, ' +
        'so its state cannot be matched; starting over',
    );
  }
  if (staged.some((s) => s.sourceVersion !== source))
    return none('cannot resume: the source changed since the interrupted run; starting over');
  return {
    reuse: new Set(staged.map((s) => s.table)),
    notes: [`resuming: reusing the ${staged.length} table(s) the interrupted run staged`],
  };
}
