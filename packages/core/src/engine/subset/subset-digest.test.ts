import { describe, expect, it } from 'vitest';
import { parseRules } from '../../config/load-rules.ts';
import { rulesDigest } from '../resume.ts';

const rules = (extra: string) =>
  parseRules(`secret: s\ntables:\n  customer: { columns: { id: keep } }\n${extra}`, 'rules.yaml');
const subset = (root: string, more = '') => `subset:\n  roots:\n    customer: ${root}\n${more}`;

describe('the resume digest of a subset run', () => {
  it('changes with the subset chosen: its roots, their choice, children, others and relations', () => {
    const one = rulesDigest(rules(subset('{ percent: 20 }')), []);
    const digests = [
      rulesDigest(rules(''), []),
      rulesDigest(rules(subset('{ percent: 30 }')), []),
      rulesDigest(rules(subset('{ percent: 20, limit: 9 }')), []),
      rulesDigest(rules(subset('{ percent: 20, where: "id > 1" }')), []),
      rulesDigest(rules(subset('{ percent: 20 }', '  children: none\n')), []),
      rulesDigest(rules(subset('{ percent: 20 }', '  others: none\n')), []),
      rulesDigest(rules(`${subset('{ percent: 20 }')}relations:\n  - { from: "a(b)", to: "customer(id)" }\n`), []),
    ];
    expect(new Set([one, ...digests]).size).toBe(digests.length + 1);
  });

  it('stays the same for the same subset written elsewhere in the file, so a resume can match it', () => {
    const moved = `subset:\n\n  # the same roots\n  roots:\n    customer: { percent: 20 }\n`;
    expect(rulesDigest(rules(moved), [])).toBe(rulesDigest(rules(subset('{ percent: 20 }')), []));
  });
});
