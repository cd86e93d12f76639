/**
 * The rules masque runs under in the benchmark: four personal columns masked the way a team
 * would mask them, everything else kept, written to a temporary folder.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** Only for the benchmark's generated data; a real secret comes from a secret store. */
export const BENCH_SECRET = 'masque-bench-secret';

/** The masked columns, named in the results so a reader knows what the numbers cover. */
export const MASKED_COLUMNS = {
  'accounts.email': 'email',
  'accounts.name': 'person.fullName',
  'accounts.phone': 'partial (keepLast 4)',
  'orders.note': 'scramble',
} as const;

const RULES = `# masque benchmark rules: 4 masked columns, the rest kept.
source: \${MASQUE_SOURCE_URL}
target: \${MASQUE_TARGET_URL}
secret: \${MASQUE_SECRET}
strict: true
tables:
  accounts:
    columns:
      id: keep
      email: email
      name: person.fullName
      phone: { transform: partial, keepLast: 4 }
      created_at: keep
  orders:
    columns:
      id: keep
      account_id: keep
      amount: keep
      note: scramble
      ordered_at: keep
`;

/** Writes the rules file into a fresh temporary folder; returns its path. */
export function writeBenchRules(): string {
  const path = join(mkdtempSync(join(tmpdir(), 'masque-bench-')), 'bench.yaml');
  writeFileSync(path, RULES);
  return path;
}
