import { availableParallelism } from 'node:os';
import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['packages/*/src/**/*.test.ts', 'test/**/*.test.ts'],
    // Integration suites work as a plain database user, made here (no superuser, no SUPER).
    globalSetup: ['test/support/test-users.ts'],
    // Integration suites load real sample databases into real servers.
    testTimeout: 120_000,
    // Vitest's default is one worker fewer than the cores: one, on two. The integration files
    // mostly wait on the servers and on the CLI processes they start, so one more than the cores
    // keeps both busy (on two cores: about 20 minutes with one worker, 10.5 with three or four).
    maxWorkers: availableParallelism() + 1,
    hookTimeout: 180_000,
  },
});
