import js from '@eslint/js';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  { ignores: ['dist/', 'node_modules/', 'test-results/', 'playwright-report/', 'reports/', 'demo/data/', 'bench/results/'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: {
      globals: {
        window: 'readonly', document: 'readonly', navigator: 'readonly', console: 'readonly', location: 'readonly',
        setTimeout: 'readonly', clearTimeout: 'readonly', setInterval: 'readonly', clearInterval: 'readonly',
        fetch: 'readonly', URL: 'readonly', Blob: 'readonly', process: 'readonly', Buffer: 'readonly',
        localStorage: 'readonly', sessionStorage: 'readonly', performance: 'readonly', crypto: 'readonly',
        TextEncoder: 'readonly', addEventListener: 'readonly', removeEventListener: 'readonly',
        AbortController: 'readonly', structuredClone: 'readonly', queueMicrotask: 'readonly',
      },
    },
    rules: {
      '@typescript-eslint/no-explicit-any': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', caughtErrors: 'none' }],
      'no-empty': ['error', { allowEmptyCatch: true }],
      'no-restricted-properties': ['error', { object: 'test', property: 'only' }, { object: 'it', property: 'only' }, { object: 'describe', property: 'only' }],
    },
  },
  {
    files: ['**/*.mjs', 'demo/**', 'scripts/**', 'bench/**', 'e2e/**'],
    rules: { '@typescript-eslint/no-explicit-any': 'off' },
  },
);
