// Mutation testing (`npm run mutation`, issue 16): kept out of `npm test` and CI, it takes a while
// (about 90 minutes on 2 cores; `npx stryker run --mutate src/<unit>.ts` runs one unit). Scoped to the
// pure units: delivery, consent, the event path, the normalizers and the SDK adapter's facts; the
// score per unit is in docs/mutation.md.
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
    // The event path and the SDK adapter (docs/mutation.md, 2026-12-03).
    'src/lib/read.ts',
    'src/lib/json.ts',
    'src/event/fields.ts',
    'src/event/bounds.ts',
    'src/pipeline/createPipeline.ts',
    'src/pipeline/campaign.ts',
    'src/delivery/callback.ts',
    'src/normalize/cart.ts',
    'src/normalize/readProduct.ts',
    'src/normalize/order.ts',
    'src/normalize/product.ts',
    'src/normalize/account.ts',
    'src/normalize/coupon.ts',
    'src/sdk/facts.ts',
    'src/core/options.ts',
    'src/core/consentControl.ts',
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
