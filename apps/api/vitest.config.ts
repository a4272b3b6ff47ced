import { defineConfig } from 'vitest/config';

const engine = process.env.DATABASE_URL ? 'postgres' : 'pglite';

export default defineConfig({
  test: {
    include: ['src/**/*.test.ts', 'test/**/*.test.ts'],
    testTimeout: 60_000,
    hookTimeout: 60_000,
    pool: 'forks',
    globalSetup: ['./test/global-setup.ts'],
    // The JSON report lets .ci/run print one total over every package and both databases.
    reporters: ['default', ['json', { outputFile: '../../test-results/api-' + engine + '.json' }]],
  },
});
