// Browser tests: the built dist/tracker.js with the real Twilight SDK on the demo storefront.
// The demo server is started in-process by the worker-scoped `server` fixture (e2e/fixtures.ts),
// on a free port, so no `webServer` here. Debian's Chromium: PLAYWRIGHT_CHROMIUM_PATH overrides it.
import { defineConfig } from '@playwright/test';
import { CHROMIUM_PATH, LOCAL_ONLY } from './scripts/chromium.mjs';

const CI = !!process.env.CI;

export default defineConfig({
  testDir: 'e2e',
  forbidOnly: CI,
  // The machine is small and shared: one browser at a time.
  workers: 1,
  fullyParallel: false,
  retries: CI ? 1 : 0,
  timeout: 60_000,
  expect: { timeout: 10_000 },
  reporter: [['list'], ['html', { outputFolder: 'playwright-report', open: 'never' }]],
  // Traces and failure screenshots land here; both folders are gitignored.
  outputDir: 'test-results',
  use: {
    browserName: 'chromium',
    headless: true,
    trace: 'retain-on-failure',
    screenshot: 'only-on-failure',
    viewport: { width: 1280, height: 800 },
    launchOptions: {
      executablePath: CHROMIUM_PATH,
      ...LOCAL_ONLY,
    },
  },
  projects: [{ name: 'chromium' }],
});
