import { z } from 'zod';
import { defineTransformer } from './define-transformer.ts';

/** Copies the value unchanged: for columns that hold nothing personal. */
export const keep = defineTransformer({
  name: 'keep',
  description: 'Copy the value unchanged.',
  params: z.strictObject({}),
  create: () => (value) => value,
});
