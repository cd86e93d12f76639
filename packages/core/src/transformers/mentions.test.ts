import { describe, expect, it } from 'vitest';
import type { Value } from '../dialects/dialect.ts';
import { MentionSet } from './mention-set.ts';
import { resolveTransformer } from './registry.ts';
import { build, testContext } from './test-context.ts';

const mentions = resolveTransformer('mentions')!;
const first = resolveTransformer('person.firstName')!;
const last = resolveTransformer('person.lastName')!;

const customers: Record<string, string[]> = {
  'customer.first_name': ['Mary', 'Will', 'Jean-Luc'],
  'customer.last_name': ['Smith', "O'Neil", 'Picard'],
};

/** The transform as the engine builds it: `prepare` learns the columns from the source first. */
async function noteTransform() {
  const params = mentions.params.parse({
    of: { 'customer.first_name': 'person.firstName', 'customer.last_name': 'person.lastName' },
  });
  async function* readColumn(name: string): AsyncIterable<Value> {
    yield* customers[name]!;
    yield null;
  }
  const prepared = await mentions.prepare!(params, { baseDir: '.', readColumn });
  return mentions.create(params, { ...testContext({}, { domain: 'mentions' }), prepared });
}

describe('mentions', () => {
  it('replaces the names other columns hold with their masked values, and keeps the rest of the text', async () => {
    const transform = await noteTransform();
    const maskedFirst = build(first, {}, {}, { domain: 'person.firstName' })('Mary', []);
    const maskedLast = build(last, {}, {}, { domain: 'person.lastName' })('Smith', []);
    const out = transform('Call Mary Smith back, she will pay on Monday.', []) as string;
    expect(out).toBe(`Call ${maskedFirst} ${maskedLast} back, she will pay on Monday.`);
    expect(out).not.toMatch(/Mary|Smith/);
  });

  it("finds names in any case as runs of words, single words only when capitalised, and O'Neil whole", async () => {
    const transform = await noteTransform();
    expect(transform('JEAN-LUC PICARD called', [])).not.toMatch(/JEAN|PICARD/i);
    expect(transform("Mr O'Neil will call", [])).toMatch(/^Mr \S+ will call$/);
    expect(transform("Mr O'Neil will call", [])).not.toContain("O'Neil");
    expect(transform('nothing to see here', [])).toBe('nothing to see here');
    expect(transform(null, [])).toBeNull();
  });

  it('is deterministic and keeps text alone without a source to learn from', async () => {
    const [a, b] = [await noteTransform(), await noteTransform()];
    expect(a('Mary Smith', [])).toBe(b('Mary Smith', []));
    const unprepared = build(mentions, { of: { 'customer.first_name': 'person.firstName' } });
    expect(unprepared('Mary Smith', [])).toBe('Mary Smith');
  });

  it('refuses rules it cannot use', () => {
    expect(mentions.params.safeParse({ of: {} }).success).toBe(false);
    expect(mentions.params.safeParse({ of: { first_name: 'person.firstName' } }).success).toBe(false);
    expect(mentions.params.safeParse({ of: { 'c.first_name': 'person.fristName' } }).success).toBe(false);
  });
});

describe('MentionSet', () => {
  it('holds 8 bytes a value, finds what it learnt and stops at its limit', () => {
    const set = new MentionSet(100_000);
    for (let i = 0; i < 50_000; i++) set.add(`name${i} x`, i % 3);
    set.seal();
    expect(set.count).toBe(50_000);
    expect(set.columnOf('name4 x')).toBe(1);
    expect(set.columnOf('name50000 x')).toBe(-1);
    const small = new MentionSet(10);
    expect(() => {
      for (let i = 0; i < 11; i++) small.add(`value ${i}`, 0);
    }).toThrow(/more than 10 distinct values/);
  });
});
