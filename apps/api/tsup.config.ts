import { defineConfig } from 'tsup';

export default defineConfig({
  entry: ['src/server.ts', 'src/cli.ts'],
  format: ['esm'],
  platform: 'node',
  target: 'node20',
  outDir: 'dist',
  clean: true,
  sourcemap: true,
  // Workspace packages are TypeScript source: bundle them. Their npm dependencies (PGlite with its
  // WebAssembly files, postgres.js) are dependencies of this package too, so they stay external.
  noExternal: [/^@sabor\//],
});
