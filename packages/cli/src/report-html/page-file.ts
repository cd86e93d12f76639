import { accessSync, constants, statSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { ConfigError } from '@masque/core';

/** Fails at once (exit 2) when the page cannot be written there, before any database is read. */
export function checkPageFile(file: string, flag: string): void {
  const folder = dirname(resolve(file));
  try {
    accessSync(folder, constants.W_OK);
  } catch (error) {
    throw new ConfigError(`${flag} ${file}: cannot write in ${folder} (${(error as NodeJS.ErrnoException).code})`);
  }
  if (statSync(file, { throwIfNoEntry: false })?.isDirectory())
    throw new ConfigError(`${flag} ${file}: is a folder, expected a file name`);
}
