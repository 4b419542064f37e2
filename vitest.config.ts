import { defineConfig } from 'vitest/config';

export default defineConfig({
  // Unit tests run the source with its debug lines (the production build drops them).
  define: { DEBUG: 'true' },
  test: {
    include: ['test/**/*.test.ts'],
    environment: 'node',
    typecheck: { enabled: false },
  },
});
