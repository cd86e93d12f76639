import { z } from 'zod';
import { defineTransformer } from './define-transformer.ts';

/** Writes NULL. Named `nullTransformer` because `null` is a reserved word. */
export const nullTransformer = defineTransformer({
  name: 'null',
  description: 'Write NULL instead of the value.',
  params: z.strictObject({}),
  create(_params, { column }) {
    // Found before any row moves, instead of as a failed load at the end.
    if (!column.nullable) throw new Error('cannot write NULL into a NOT NULL column');
    return () => null;
  },
});
