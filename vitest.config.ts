import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['packages/*/src/**/*.test.ts', 'test/**/*.test.ts'],
    // Integration suites work as a plain database user, made here (no superuser, no SUPER).
    globalSetup: ['test/support/test-users.ts'],
    // Integration suites load real sample databases into real servers.
    testTimeout: 120_000,
    hookTimeout: 180_000,
  },
});
