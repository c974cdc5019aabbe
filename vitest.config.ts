import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['tests/**/*.test.ts', 'tests/**/*.test.tsx'],
    environment: 'node',
    testTimeout: 60_000,
    hookTimeout: 120_000,
    // Two cores: real PostgreSQL, SQLite files and Chromium share them, so keep workers few.
    maxWorkers: 2,
    pool: 'forks',
  },
});
