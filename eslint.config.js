import js from '@eslint/js';
import prettier from 'eslint-config-prettier';
import svelte from 'eslint-plugin-svelte';
import globals from 'globals';
import ts from 'typescript-eslint';
import svelteConfig from './svelte.config.js';

/** Test helpers and tests may reach the database directly to arrange or tamper with state. */
const TESTING = ['**/*.test.ts', '**/testing/**', 'tests/**'];

export default ts.config(
  {
    ignores: ['build/', '.svelte-kit/', 'src/lib/paraglide/', 'data/', 'node_modules/', 'coverage/', 'test-results/'],
  },
  js.configs.recommended,
  ...ts.configs.recommended,
  ...svelte.configs.recommended,
  prettier,
  ...svelte.configs.prettier,
  {
    languageOptions: {
      globals: { ...globals.node },
      parserOptions: {
        // Type-aware rules everywhere; plain JS outside tsconfig (bin, scripts, bench, configs) gets a default project.
        projectService: {
          // SvelteKit's tsconfig leaves the service worker out (it has browser worker types of its own).
          allowDefaultProject: [
            '*.js',
            'bin/*.js',
            'scripts/*.js',
            'bench/*.js',
            'static/*.js',
            'src/service-worker.ts',
          ],
          // Nine small files today (configs, CLI entry, scripts, the two browser scripts, the service worker).
          maximumDefaultProjectFileMatchCount_THIS_WILL_SLOW_DOWN_LINTING: 16,
        },
        tsconfigRootDir: import.meta.dirname,
        extraFileExtensions: ['.svelte'],
      },
    },
    rules: {
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/switch-exhaustiveness-check': [
        'error',
        { considerDefaultExhaustiveForUnions: true, requireDefaultForNonUnion: false },
      ],
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      // House rule: SQL lives in repositories, and only the db layer knows which driver runs underneath.
      'no-restricted-imports': [
        'error',
        {
          paths: [
            { name: 'kysely', message: 'SQL belongs in a repository.ts (or src/lib/server/db/).' },
            { name: 'better-sqlite3', message: 'Only src/lib/server/db/ opens database drivers.' },
            { name: 'pg', message: 'Only src/lib/server/db/ opens database drivers.' },
          ],
        },
      ],
    },
  },
  {
    // Files that run in the reader's browser, not in Node.
    files: ['static/**/*.js', 'src/service-worker.ts'],
    languageOptions: { globals: { ...globals.browser, ...globals.serviceworker } },
  },
  {
    files: ['**/repository.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: [
            { name: 'better-sqlite3', message: 'Only src/lib/server/db/ opens database drivers.' },
            { name: 'pg', message: 'Only src/lib/server/db/ opens database drivers.' },
          ],
        },
      ],
    },
  },
  {
    files: ['src/lib/server/db/**', ...TESTING],
    rules: { 'no-restricted-imports': 'off' },
  },
  {
    // A benchmark compares the engine with the raw driver in the same process.
    files: ['bench/**'],
    rules: { 'no-restricted-imports': 'off' },
  },
  {
    files: ['**/*.svelte', '**/*.svelte.ts', '**/*.svelte.js'],
    languageOptions: {
      globals: { ...globals.browser },
      parserOptions: { parser: ts.parser, svelteConfig },
    },
    rules: {
      // Links are localised by our own href()/localizePath() (Paraglide URL strategy), which this rule cannot see.
      'svelte/no-navigation-without-resolve': 'off',
    },
  },
);
