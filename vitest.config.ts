import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['tests/**/*.test.ts', 'tests/**/*.test.tsx'],
    environment: 'node',
    // Limits for a hang, not for speed: on a loaded CI machine (load 10-17 on 2 cores seen) a
    // browser test's steps take several times their usual seconds, and a screen several seconds
    // to follow a key (expect.poll's own default is 1 s).
    testTimeout: 180_000,
    hookTimeout: 240_000,
    expect: { poll: { timeout: 15_000 } },
    // Two cores: real PostgreSQL, SQLite files and Chromium share them, so keep workers few.
    maxWorkers: 2,
    pool: 'forks',
  },
});
