import type { Row, Value } from '../dialects/dialect.ts';
import type { ColumnInfo, TypeCategory } from '../dialects/schema.ts';
import type { TablePlan } from '../engine/plan.ts';
import type { Transform } from '../transformers/define-transformer.ts';
import type { Problem } from '../errors.ts';

/** Probe inputs per source column type: as a dialect would read such a column, as text. */
const PROBES: Partial<Record<TypeCategory, (i: number, column: ColumnInfo) => Value>> = {
  text: (i) => `Probe Value ${i} probe${i}@example.com`,
  integer: (i) => String(17 + i * 31),
  decimal: (i) => `${12 + i}.50`,
  float: (i) => `${1.5 + i}`,
  date: (i) => `19${70 + i}-0${1 + (i % 9)}-1${i % 10}`,
  timestamp: (i) => `19${70 + i}-0${1 + (i % 9)}-1${i % 10} 0${i % 10}:15:30`,
  boolean: (i) => (i % 2 ? 't' : 'f'),
  uuid: (i) => `123e4567-e89b-12d3-a456-4266141740${String(i).padStart(2, '0')}`,
  json: (i) => `{"probe": ${i}}`,
  enum: (i, column) => column.enumValues?.[i % column.enumValues.length] ?? null,
};
const PROBE_COUNT = 16;

const NUMBER = /^[+-]?(\d+\.?\d*|\.\d+)(e[+-]?\d+)?$/i;

/** Whether a transform's output is something a column of this type accepts; undefined: cannot tell. */
function accepts(column: ColumnInfo, value: Value): boolean | undefined {
  if (value === null) return column.nullable;
  const text = Buffer.isBuffer(value) ? undefined : String(value);
  if (text === undefined) return column.category === 'binary' || undefined;
  switch (column.category) {
    case 'integer':
      return /^[+-]?\d+$/.test(text);
    case 'decimal':
    case 'float':
      return NUMBER.test(text) || ['NaN', 'Infinity', '-Infinity'].includes(text);
    case 'date':
    case 'timestamp':
      return /^\d{4,}-\d{2}-\d{2}/.test(text) || /^-?infinity$/.test(text);
    case 'boolean':
      return /^(t|f|true|false|0|1|yes|no|on|off)$/i.test(text);
    case 'uuid':
      return /^[0-9a-f]{8}-?[0-9a-f]{4}-?[0-9a-f]{4}-?[0-9a-f]{4}-?[0-9a-f]{12}$/i.test(text);
    case 'enum':
      return column.enumValues ? column.enumValues.includes(text) : undefined;
    case 'json':
      try {
        JSON.parse(text);
        return true;
      } catch {
        return false;
      }
    default:
      return undefined;
  }
}

/**
 * Transformer/type mismatches the transformers' own declarations cannot see (a faker method or a
 * constant writes text of any shape): each masked column's transform is run on made-up inputs
 * of the source column's type, and its outputs are tested against the target column's type.
 * Outputs are invented values, but messages still quote none.
 */
export function typeFitProblems(plans: readonly TablePlan[]): Problem[] {
  const problems: Problem[] = [];
  for (const plan of plans) {
    if (plan.skip) continue;
    for (const column of plan.columns) {
      const sourceInfo = plan.source.columns.find((c) => c.name === column.name)!;
      const targetInfo = plan.target.columns.find((c) => c.name === column.name);
      const subject = `${plan.source.name}.${column.name}`;
      const place = column.rule?.place;
      if (!targetInfo) continue;
      if (sourceInfo.category !== targetInfo.category) {
        problems.push({
          severity: 'warning',
          subject,
          message: `the source has ${sourceInfo.dataType}, the target ${targetInfo.dataType}`,
          ...(place && { place }),
        });
      }
      const name = column.rule?.transform ?? 'its transform';
      // A `when:` rule writes through either of its two transforms, depending on the row.
      const transforms: [string, Transform | undefined][] = column.condition
        ? [
            [name, column.condition.transform],
            ['its otherwise rule', column.condition.otherwise],
          ]
        : [[name, column.transform]];
      for (const [label, transform] of transforms) {
        const { tried, refused } = transform
          ? trial(plan, transform, sourceInfo, targetInfo)
          : { tried: 0, refused: 0 };
        if (!refused) continue;
        const what = refused === tried ? 'writes values' : `may write values (${refused} of ${tried} trial outputs)`;
        const kind =
          targetInfo.category === 'enum' ? `${targetInfo.dataType} (not one of its members)` : targetInfo.dataType;
        problems.push({
          severity: refused === tried ? 'error' : 'warning',
          subject,
          message: `${label} ${what} that ${/^[aeiou]/i.test(kind) ? 'an' : 'a'} ${kind} column cannot hold`,
          ...(place && { place }),
        });
      }
    }
  }
  return problems;
}

/** Runs a transform on made-up inputs: how many outputs could be judged, and how many the column refuses. */
function trial(
  plan: TablePlan,
  transform: Transform,
  sourceInfo: ColumnInfo,
  targetInfo: ColumnInfo,
): { tried: number; refused: number } {
  const probe = PROBES[sourceInfo.category];
  let tried = 0;
  let refused = 0;
  for (let i = 0; probe && i < PROBE_COUNT; i++) {
    const row: Row = plan.columns.map((c) => {
      const info = plan.source.columns.find((s) => s.name === c.name)!;
      return PROBES[info.category]?.(i, info) ?? null;
    });
    let output: Value;
    try {
      output = transform(probe(i, sourceInfo), row);
    } catch {
      continue; // The probe is not a value this transform takes: no verdict.
    }
    const ok = accepts(targetInfo, output);
    if (ok === undefined) continue;
    tried++;
    if (!ok) refused++;
  }
  return { tried, refused };
}
