import { availableParallelism } from 'node:os';
import { configDefaults, defineConfig } from 'vitest/config';

/**
 * Files that kill, signal or lock out a run (or its connections) and assert how and how soon it
 * answers: they run one at a time once the others are done, as on an idle machine. Beside three
 * other files on two cores, a PostgreSQL cut-over took longer than the 3 s masque waits for its
 * answer after SIGINT, and shard 0 was killed before the other shards had joined its snapshot.
 */
const timed = [
  'test/atomic-refresh.test.ts',
  'test/connection-faults.test.ts',
  'test/mysql-connection-loss.test.ts',
  'test/mysql-triggers.test.ts',
  'test/postgres-connection-loss.test.ts',
  'test/postgres-triggers.test.ts',
  'test/resume.test.ts',
  'test/run-lock.test.ts',
  'test/scheduling.test.ts',
  'test/shards.test.ts',
  'test/sqlite-triggers.test.ts',
  'test/subset-pagila.test.ts',
];

export default defineConfig({
  test: {
    // Integration suites work as a plain database user, made here (no superuser, no SUPER).
    globalSetup: ['test/support/test-users.ts'],
    // Integration suites load real sample databases into real servers.
    testTimeout: 120_000,
    hookTimeout: 180_000,
    projects: [
      {
        extends: true,
        test: {
          name: 'parallel',
          include: ['packages/*/src/**/*.test.ts', 'test/**/*.test.ts'],
          exclude: [...configDefaults.exclude, ...timed],
          // Vitest's default is one worker fewer than the cores: one, on two. These files mostly
          // wait on the servers and on the CLI processes they start, so one more than the cores
          // keeps both busy.
          maxWorkers: availableParallelism() + 1,
          sequence: { groupOrder: 0 },
        },
      },
      {
        extends: true,
        test: { name: 'timed', include: timed, fileParallelism: false, sequence: { groupOrder: 1 } },
      },
    ],
  },
});
