import { defineConfig } from 'vitest/config';

// Tests run against the built output in dist/ (worker threads load compiled .js files),
// so `npm test` builds first. Long timeouts: CI machines are small and noisy; tests check correctness, not speed.
export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    testTimeout: 120_000,
    hookTimeout: 120_000,
    pool: 'forks',
    poolOptions: { forks: { maxForks: 2 } },
  },
});
