#!/usr/bin/env node
// Runs the TypeScript sources directly, so there is no build step to remember.
import { register } from 'tsx/esm/api';

register();
await import('../src/main.ts');
