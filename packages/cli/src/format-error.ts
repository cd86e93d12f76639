import { MasqueError } from '@masque/core';

/** `masque: <message>`; an unexpected error also shows its stack, since it is a bug of ours. */
export function formatError(error: unknown): string {
  if (error instanceof MasqueError) return `masque: ${error.message}`;
  return `masque: unexpected error: ${(error as Error)?.stack ?? String(error)}`;
}
