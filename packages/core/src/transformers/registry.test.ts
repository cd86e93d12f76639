import { describe, expect, it } from 'vitest';
import { builtinTransformers } from './builtins.ts';
import { resolveTransformer, suggestTransformer, transformerNames } from './registry.ts';

describe('registry', () => {
  it('resolves builtins and faker methods by exact name', () => {
    expect(resolveTransformer('email')?.name).toBe('email');
    expect(resolveTransformer('dateShift')?.name).toBe('dateShift');
    expect(resolveTransformer('null')?.name).toBe('null');
    expect(resolveTransformer('person.firstName')?.name).toBe('person.firstName');
    expect(resolveTransformer('Email')).toBeUndefined();
    expect(resolveTransformer('nope')).toBeUndefined();
  });

  it('lists builtins first, then faker methods, each once', () => {
    const names = transformerNames();
    expect(names.slice(0, builtinTransformers.length)).toEqual(builtinTransformers.map((d) => d.name));
    expect(names).toContain('location.city');
    expect(new Set(names).size).toBe(names.length);
    for (const name of names) expect(resolveTransformer(name)?.name).toBe(name);
  });

  it('describes every builtin and gives it a strict parameter object', () => {
    for (const d of builtinTransformers) {
      expect(d.description.length).toBeGreaterThan(10);
      expect(d.params.safeParse({ surelyNotAParameter: 1 }).success).toBe(false);
    }
  });

  it('suggests the closest name for a typo', () => {
    expect(suggestTransformer('person.firstNme')).toBe('person.firstName');
    expect(suggestTransformer('emial')).toBe('email');
    expect(suggestTransformer('datShift')).toBe('dateShift');
    expect(suggestTransformer('internet.userName')).toBe('internet.username');
    expect(suggestTransformer('firstName')).toBe('person.firstName');
  });

  it('suggests nothing for a name far from every name', () => {
    expect(suggestTransformer('completely-unrelated')).toBeUndefined();
    expect(suggestTransformer('xyz')).toBeUndefined();
  });
});
