import js from '@eslint/js';
import globals from 'globals';
import tseslint from 'typescript-eslint';

/**
 * The layers of src/, lowest first. A file may import from its own layer and the ones below it,
 * never above (type-only imports aside: types are documentation, not dependencies).
 */
const LAYERS = [['lib'], ['event'], ['normalize', 'sdk'], ['pipeline'], ['delivery'], ['core'], ['browser']];
const ENTRIES = ['index', 'iife', 'createTracker', 'vitals', 'vitalsScript'];
/** What a file of layer `i` may not import: every higher layer and the entries. */
const above = (i) => LAYERS.slice(i + 1).flat();
const layerRules = LAYERS.flatMap((names, i) =>
  names.map((name) => ({
    files: [`src/${name}/**/*.ts`],
    rules: {
      '@typescript-eslint/no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              regex: `(^|/)(${above(i).join('|')})/|^\\.\\./(${ENTRIES.join('|')})$`,
              allowTypeImports: true,
              message: `src/${name} is below ${above(i).join(', ')} and the entries: import only downwards (see README, Development).`,
            },
          ],
        },
      ],
    },
  })),
);

/** Browser globals: only src/browser and the entries touch them; the rest gets them injected (core/env.ts). */
const DOM_GLOBALS = [
  'window',
  'document',
  'navigator',
  'location',
  'localStorage',
  'sessionStorage',
  'fetch',
  'XMLHttpRequest',
  'Blob',
  'crypto',
  'performance',
  'setTimeout',
  'clearTimeout',
  'setInterval',
  'clearInterval',
  'requestIdleCallback',
  'addEventListener',
  'removeEventListener',
  'dispatchEvent',
  'self',
  'globalThis',
].map((name) => ({
  name,
  message: 'only src/browser and the entries touch the page: take it from Env (core/env.ts).',
}));

export default tseslint.config(
  {
    ignores: [
      'dist/',
      'node_modules/',
      'test-results/',
      'playwright-report/',
      'reports/',
      'demo/data/',
      'bench/results/',
    ],
  },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: { ...globals.browser, ...globals.node } },
    rules: {
      '@typescript-eslint/no-explicit-any': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', caughtErrors: 'none' }],
      'no-empty': ['error', { allowEmptyCatch: true }],
      'no-restricted-properties': [
        'error',
        { object: 'test', property: 'only' },
        { object: 'it', property: 'only' },
        { object: 'describe', property: 'only' },
      ],
    },
  },
  ...layerRules,
  {
    // A host page may add enumerable properties to Object.prototype: for…in would walk them.
    files: ['src/**/*.ts'],
    rules: {
      'no-restricted-syntax': [
        'error',
        { selector: 'ForInStatement', message: 'for…in walks the page’s Object.prototype: use Object.keys.' },
      ],
    },
  },
  {
    files: ['src/**/*.ts'],
    ignores: ['src/browser/**', ...ENTRIES.map((e) => `src/${e}.ts`)],
    rules: {
      'no-restricted-globals': ['error', ...DOM_GLOBALS],
      'no-restricted-properties': [
        'error',
        { object: 'Math', property: 'random', message: 'take randomness from Env (random, uuid).' },
        { object: 'Date', property: 'now', message: 'take the time from the injected Clock.' },
      ],
    },
  },
  {
    // Browser-side scripts of the demo, bench and tests talk to the Twilight SDK's globals.
    files: ['demo/**', 'bench/**', 'e2e/**', 'test/**'],
    languageOptions: { globals: { Salla: 'readonly', salla: 'readonly', twilightTracker: 'readonly' } },
  },
  {
    files: ['**/*.mjs', '**/*.js', 'demo/**', 'scripts/**', 'bench/**', 'e2e/**'],
    rules: { '@typescript-eslint/no-explicit-any': 'off' },
  },
);
