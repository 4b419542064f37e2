// Mutation testing (`npm run mutation`, issue 16): kept out of `npm test` and CI, it takes a while.
// Scoped to the pure delivery and consent units; the score per unit is in docs/mutation.md.
/** @type {import('@stryker-mutator/api/core').PartialStrykerOptions} */
export default {
  mutate: [
    'src/delivery/queue.ts',
    'src/delivery/tabStore.ts',
    'src/delivery/beacon.ts',
    'src/delivery/budget.ts',
    'src/delivery/router.ts',
    'src/delivery/retryPolicy.ts',
    'src/pipeline/consent.ts',
    'src/pipeline/ledger.ts',
    'src/pipeline/identity.ts',
    'src/pipeline/orderedProtect.ts',
    'src/event/privacy.ts',
  ],
  testRunner: 'vitest',
  // vitest.config.ts (its `define: { DEBUG: 'true' }` included) less the slow fuzz and CLI tests.
  vitest: { configFile: 'vitest.mutation.config.ts' },
  // Each mutant runs only the tests that reach it.
  coverageAnalysis: 'perTest',
  // Two cores: one test runner per core.
  concurrency: 2,
  // A busy two-core machine: more slack before a slow mutant counts as an infinite loop.
  timeoutMS: 10000,
  reporters: ['clear-text', 'progress', 'html', 'json'],
  htmlReporter: { fileName: 'reports/mutation/mutation.html' },
  jsonReporter: { fileName: 'reports/mutation/mutation.json' },
  // The sandbox lives under reports/ too (gitignored, and ignored by eslint and prettier).
  tempDirName: 'reports/.stryker-tmp',
  // What the unit tests never read stays out of the sandbox copy.
  ignorePatterns: ['/reports', '/dist', '/e2e', '/bench', '/playwright-report', '/test-results', '/coverage'],
  // The goal is 85 % on every unit (Stryker checks the total; docs/mutation.md has each unit's).
  thresholds: { high: 90, low: 85, break: 85 },
};
