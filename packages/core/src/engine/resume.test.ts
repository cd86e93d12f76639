import { describe, expect, it } from 'vitest';
import { parseRules } from '../config/load-rules.ts';
import type { StagedTable } from '../dialects/dialect.ts';
import type { TablePlan } from './plan.ts';
import { chooseReuse, rulesDigest, snapshotVersion } from './resume.ts';

const rules = (text: string, secret = 's3cret-value') =>
  parseRules(`secret: ${secret}\ntables:\n${text}`, 'rules.yaml');
const base = '  customer:\n    columns: { id: keep, name: person.firstName }\n';
const staged = (table: string, rules = 'R', source = 'S'): StagedTable => ({
  table,
  rows: 10,
  runId: 'run-1',
  rulesDigest: rules,
  sourceVersion: source,
});

describe('rulesDigest', () => {
  it('is the same for the same rules and secret, wherever they sit in the file', () => {
    expect(rulesDigest(rules(base), [])).toBe(rulesDigest(rules(`\n\n# moved down\n${base}`), []));
  });

  it('changes with a rule, a parameter, the secret or the planned tables', () => {
    const one = rulesDigest(rules(base), []);
    expect(rulesDigest(rules(base.replace('person.firstName', 'person.lastName')), [])).not.toBe(one);
    expect(rulesDigest(rules(base.replace('person.firstName', '{ transform: hash, length: 8 }')), [])).not.toBe(
      rulesDigest(rules(base.replace('person.firstName', '{ transform: hash, length: 9 }')), []),
    );
    expect(rulesDigest(rules(base, 'another-secret'), [])).not.toBe(one);
    const table = {
      source: { name: 'customer' },
      target: { name: 'customer' },
      skip: false,
      columns: [{ name: 'id' }],
    } as unknown as TablePlan;
    expect(rulesDigest(rules(base), [table])).not.toBe(one);
  });

  it('does not contain the secret, and without a secret never matches itself', () => {
    expect(rulesDigest(rules(base), [])).not.toContain('s3cret-value');
    const noSecret = parseRules(`tables:\n${base}`, 'rules.yaml');
    expect(rulesDigest(noSecret, [])).not.toBe(rulesDigest(noSecret, []));
  });
});

describe('snapshotVersion', () => {
  it('depends on every table, not on their order; unstable tables make it unmatchable', () => {
    const a = snapshotVersion(
      new Map([
        ['t1', 'x'],
        ['t2', 'y'],
      ]),
    );
    expect(
      snapshotVersion(
        new Map([
          ['t2', 'y'],
          ['t1', 'x'],
        ]),
      ),
    ).toBe(a);
    expect(
      snapshotVersion(
        new Map([
          ['t1', 'x'],
          ['t2', 'z'],
        ]),
      ),
    ).not.toBe(a);
    expect(
      snapshotVersion(
        new Map([
          ['t1', 'x'],
          ['t2', 'unstable:1'],
        ]),
      ),
    ).toMatch(/^unstable:/);
    expect(snapshotVersion(new Map())).toMatch(/^unstable:/);
  });
});

describe('chooseReuse', () => {
  const left = [staged('customer'), staged('orders')];

  it('without --resume reuses nothing and says what it drops', () => {
    expect(chooseReuse(left, false, 'R', 'S')).toEqual({
      reuse: new Set(),
      notes: ['an interrupted run left 2 staged table(s): dropped (pass --resume to reuse them)'],
    });
    expect(chooseReuse([], false, 'R', 'S')).toEqual({ reuse: new Set(), notes: [] });
  });

  it('with --resume reuses every staged table when rules and source are unchanged', () => {
    expect(chooseReuse(left, true, 'R', 'S')).toEqual({
      reuse: new Set(['customer', 'orders']),
      notes: ['resuming: reusing the 2 table(s) the interrupted run staged'],
    });
  });

  it('reuses nothing, and says why, when anything differs', () => {
    const why = (stagedTables: StagedTable[], rulesFp: string, source: string) => {
      const choice = chooseReuse(stagedTables, true, rulesFp, source);
      expect(choice.reuse.size).toBe(0);
      return choice.notes;
    };
    expect(why([], 'R', 'S')).toEqual([
      'nothing to resume: no interrupted run left staged tables; starting from the beginning',
    ]);
    expect(why(left, 'R2', 'S')[0]).toMatch(/^cannot resume: the rules, the secret/);
    expect(why(left, 'R', 'S2')).toEqual([
      'cannot resume: the source changed since the interrupted run; starting over',
    ]);
    expect(why([staged('customer'), staged('orders', 'R', 'S0')], 'R', 'S')).toEqual([
      'cannot resume: the source changed since the interrupted run; starting over',
    ]);
    expect(why(left, 'R', 'unstable:x')[0]).toMatch(/^cannot resume: the source was being written to/);
    expect(why([staged('customer', 'R', 'unstable:y')], 'R', 'unstable:y')[0]).toMatch(
      /^cannot resume: the source was being written to/,
    );
  });
});
