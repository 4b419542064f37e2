import { configDefaults, defineConfig, mergeConfig } from 'vitest/config';
import base from './vitest.config';

/**
 * The unit tests as Stryker runs them (`npm run mutation`, stryker.config.mjs): vitest.config.ts (so
 * `DEBUG` is defined), less the three slow files that check no mutated unit precisely: the fuzz test
 * (10,000 random payloads, ~25 s, would run for nearly every mutant), the snippet CLI and the quick start
 * (child processes).
 */
export default mergeConfig(
  base,
  defineConfig({
    test: {
      exclude: [
        ...configDefaults.exclude,
        'test/fuzz.test.ts',
        'test/snippet.test.ts',
        'test/quickstart.test.ts',
      ],
    },
  }),
);
