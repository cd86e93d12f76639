import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';
import { fakerLocaleNames, localeFaker, newFaker } from './faker-locales.ts';

describe('faker locales, loaded one at a time', () => {
  it('lists every locale faker ships, sorted', () => {
    const names = fakerLocaleNames();
    expect(names.length).toBeGreaterThanOrEqual(70);
    expect(names).toEqual([...names].sort());
    for (const name of ['base', 'de', 'de_AT', 'en', 'ja', 'zh_CN']) expect(names).toContain(name);
    expect(names).not.toContain('de-AT');
  });

  it("gives faker's own instance with its fallbacks, and nothing for an unknown locale", () => {
    const austrian = localeFaker('de_AT')!;
    expect(austrian).toBe(localeFaker('de_AT'));
    // de_AT has its own first names; words it lacks come from de, then en.
    expect(austrian.rawDefinitions.person?.first_name).toBeDefined();
    expect(austrian.rawDefinitions.lorem?.word).toBeDefined();
    expect(localeFaker('xx_YY')).toBeUndefined();
    expect(localeFaker('../locale/en')).toBeUndefined();
  });

  it('makes new fakers that draw from the randomizer given', () => {
    const draw = (): string[] => {
      let i = 0;
      const faker = newFaker('fr', { randomizer: { next: () => (i++ * 0.37) % 1, seed: () => {} } });
      return [faker.person.lastName(), faker.location.city()];
    };
    expect(draw()).toEqual(draw());
    expect(localeFaker('fr')!.rawDefinitions.person?.last_name?.generic).toContain(draw()[0]);
    expect(() => newFaker('nope', {})).toThrow(/faker has no locale "nope"/);
  });
});

describe('faker under tsx, as masque runs', () => {
  // tsx's CommonJS hook recompiles a required ES module with `keepNames`, which leaves `__name(…)`
  // calls in faker's classes; faker's own build has none.
  const probe = (preload: boolean): string => {
    const folder = mkdtempSync(join(tmpdir(), 'masque-faker-'));
    const script = join(folder, 'probe.mts');
    const url = (file: string) => JSON.stringify(pathToFileURL(join(import.meta.dirname, file)).href);
    const rules = "{ file: 'r.yaml', locale: 'de-AT', strict: false, protect: [], tables: [] }";
    writeFileSync(
      script,
      `
      import { prepareTransformers } from ${url('../engine/prepare-transformers.ts')};
      import { localeFaker } from ${url('faker-locales.ts')};
      if (${preload}) await prepareTransformers(${rules});
      const recompiled = (name: string) => String(localeFaker(name)!.constructor).includes('__name(');
      console.log(JSON.stringify({ en: recompiled('en'), de_AT: recompiled('de_AT') }));
    `,
    );
    try {
      return execFileSync(process.execPath, ['--import', 'tsx', script], {
        encoding: 'utf8',
        cwd: import.meta.dirname,
      }).trim();
    } finally {
      rmSync(folder, { recursive: true, force: true });
    }
  };

  it("runs faker's own code once the run has prepared its transformers: English and the rules' locale", () => {
    expect(probe(true)).toBe('{"en":false,"de_AT":false}');
  });

  it('would run the recompiled code without that (the check above can fail)', () => {
    expect(probe(false)).toBe('{"en":true,"de_AT":true}');
  });
});
