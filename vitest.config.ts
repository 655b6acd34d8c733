import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    setupFiles: ['test/setup/secrets.ts'],
    testTimeout: 180_000,
    hookTimeout: 180_000,
    pool: 'forks',
    // Two cores in CI: DuckDB already uses both for each heavy test.
    maxWorkers: 2,
    reporters: ['default'],
  },
});
