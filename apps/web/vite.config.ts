import { sveltekit } from '@sveltejs/kit/vite';
import { defineConfig } from 'vitest/config';

const engine = process.env.DATABASE_URL ? 'postgres' : 'pglite';

export default defineConfig({
  plugins: [sveltekit()],
  server: {
    // In development the API runs on its own port; the browser and the server-side client reach it here.
    proxy: {
      '/api': { target: 'http://127.0.0.1:3001', ws: true },
    },
  },
  test: {
    include: ['src/**/*.test.ts'],
    environment: 'node',
    // Same JSON report as the other packages, so .ci/run can print one total.
    reporters: ['default', ['json', { outputFile: `../../test-results/web-unit-${engine}.json` }]],
  },
});
