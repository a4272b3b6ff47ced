import { defineConfig } from 'vitest/config';

const engine = process.env.DATABASE_URL ? 'postgres' : 'pglite';

/** Browser tests: the built server in a real Chromium. Run after `pnpm build`. */
export default defineConfig({
  test: {
    include: ['e2e/**/*.e2e.test.ts'],
    globalSetup: ['e2e/global-setup.ts'],
    testTimeout: 120_000,
    hookTimeout: 120_000,
    pool: 'forks',
    fileParallelism: false,
    reporters: ['default', ['json', { outputFile: `../../test-results/web-e2e-${engine}.json` }]],
  },
});
