import js from '@eslint/js';
import prettier from 'eslint-config-prettier';
import svelte from 'eslint-plugin-svelte';
import globals from 'globals';
import ts from 'typescript-eslint';

export default ts.config(
  {
    ignores: [
      '**/node_modules/**',
      '**/dist/**',
      '**/build/**',
      '**/.svelte-kit/**',
      '**/.turbo/**',
      'drizzle/**',
      '**/*.config.js',
      '**/*.config.ts',
      'bench/**',
    ],
  },
  js.configs.recommended,
  ...ts.configs.recommendedTypeChecked,
  ...svelte.configs.recommended,
  prettier,
  ...svelte.configs.prettier,
  {
    languageOptions: {
      globals: { ...globals.node },
      parserOptions: {
        projectService: true,
        extraFileExtensions: ['.svelte'],
        tsconfigRootDir: import.meta.dirname,
      },
    },
    rules: {
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/consistent-type-imports': ['error', { fixStyle: 'inline-type-imports' }],
      // Fastify plugins and hooks are async by contract even when they await nothing.
      '@typescript-eslint/require-await': 'off',
      '@typescript-eslint/no-unused-vars': [
        'error',
        { argsIgnorePattern: '^_', varsIgnorePattern: '^_' },
      ],
    },
  },
  {
    files: ['**/*.svelte', '**/*.svelte.ts'],
    languageOptions: {
      globals: { ...globals.browser },
      parserOptions: { parser: ts.parser },
    },
  },
  {
    // `response.json() as T` reads better in tests than json<T>(); both are the same unchecked cast.
    files: ['**/*.test.ts', '**/test/**', '**/e2e/**'],
    rules: { '@typescript-eslint/no-unnecessary-type-assertion': 'off' },
  },
  {
    files: ['apps/web/src/**'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              group: ['@sabor/db', '@sabor/db/*'],
              message: 'The web app talks to the API; it never imports the database.',
            },
          ],
        },
      ],
    },
  },
  {
    // Code that can reach the browser: the root of @sabor/contracts would bring zod into the
    // bundle, so its values come from the zod-free entry (types from the root are free).
    files: ['apps/web/src/**/*.svelte', 'apps/web/src/**/*.svelte.ts', 'apps/web/src/lib/**/*.ts'],
    ignores: ['apps/web/src/lib/server/**', 'apps/web/src/**/*.server.ts', '**/*.test.ts'],
    rules: {
      '@typescript-eslint/no-restricted-imports': [
        'error',
        {
          paths: [
            {
              name: '@sabor/contracts',
              allowTypeImports: true,
              message:
                'Browser code takes values from @sabor/contracts/values (zod-free); only types from the root.',
            },
          ],
        },
      ],
    },
  },
);
