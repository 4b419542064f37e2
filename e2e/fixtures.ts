/**
 * Shared Playwright fixtures for the browser tests. Import `test` and `expect` from here:
 *
 *   import { test, expect } from './fixtures';
 *   test('…', async ({ page, collector, wk }) => {
 *     const key = wk();                                 // a writeKey no other test uses
 *     await page.goto(`/p/101?wk=${key}&fi=100`);       // baseURL is the demo server
 *     const report = await collector.waitForCount(key, 2);
 *   });
 *
 * What every test gets:
 * - `server` (worker-scoped): the demo server, started in-process on a free port with a fresh temp
 *   data folder, closed after the worker's last test. `baseURL` points at it. Its collector also
 *   listens on a second free port (`server.collectorOrigin`, cross-origin like every real endpoint);
 *   pages send there by default (`?ep=same`: the same-origin `/collect`).
 * - `guard` (automatic): blocks every request to a host other than 127.0.0.1 and FAILS the test if
 *   one was attempted, if a page threw (`pageerror`), or if the browser reported a CSP violation.
 *   A test that provokes one on purpose removes it from `guard.blocked` / `guard.pageErrors` /
 *   `guard.csp` before it ends.
 * - `collector` (worker-scoped): the demo collector's JSON API (see `Collector`), on the collector's
 *   own port; both ports share one store.
 * - `wk()`: a new writeKey unique to this test (the collector keeps events per writeKey, so tests
 *   never see each other's events). When the test ends, every POST that came with one of its keys
 *   must have been validated by `dist/index.mjs` (`VALIDATOR`), else the test fails.
 * Helpers: `storefrontReady(page)` (the SDK is ready and the demo's buttons are wired), `label(event)`,
 * `guardContext(ctx, guard)` (the same guard for a context the test creates itself).
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { test as base, expect, type BrowserContext, type Page } from '@playwright/test';
import type { TrackerEvent } from '../src/schema';
import { startServer } from '../demo/server.mjs';
import { isLocalUrl } from '../scripts/chromium.mjs';

export { expect };

/** The demo server of this worker. */
export interface DemoServer {
  /** `http://127.0.0.1:PORT/` */
  url: string;
  /** `http://127.0.0.1:PORT` (no trailing slash). */
  origin: string;
  /**
   * `http://127.0.0.1:COLLECTOR_PORT` (no trailing slash): the same collector on its own port, a
   * different origin from the storefront. Pages' default endpoint is `${collectorOrigin}/collect`.
   */
  collectorOrigin: string;
  dataDir: string;
}

/** One event as the collector stored it. */
export interface CollectedLine {
  receivedAt: string;
  sentAt?: string;
  /** Which accepted batch (1, 2, …) the line came in. */
  batch?: number;
  writeKey: string;
  /** The collector's schema validation result (`problems` lists what failed). */
  valid: boolean;
  problems: string[];
  event: TrackerEvent;
}

/** `GET /collector/events.json?writeKey=`: events in arrival order, plus request counters. */
export interface CollectorReport {
  events: CollectedLine[];
  /** POSTs received (batches, including rejected ones). */
  requests: number;
  /** CORS preflights (`OPTIONS`) received. */
  preflights: number;
  /** Events that failed validation. */
  invalid: number;
}

/** One request in the collector's log (`GET /collector/requests.json`). */
export interface CollectorRequest {
  at: string;
  method: string;
  contentType: string | null;
  transport: 'beacon' | 'fetch';
  /** Which port received it: the storefront's (`/collect`, same-origin) or the collector's own. */
  listener: 'site' | 'collector';
  /** The page's origin, as the browser sent it (`null` for same-origin beacons and GETs). */
  origin: string | null;
  writeKey: string;
  status: number;
  count: number;
  invalid?: number;
  injected?: boolean;
  sentAt?: string | null;
  /**
   * Which validator checked the batch: `dist/index.mjs` (the library build's `validateEvent`), or
   * `unavailable` while it cannot be loaded (every event is then stored as invalid). Every POST has it.
   */
  validator?: string;
  /** OPTIONS entries of `/collect` (a preflight) have this instead of a validator. */
  preflight?: boolean;
}

/** The validator every POST a test caused must have been checked by (see the `wk` fixture). */
export const VALIDATOR = 'dist/index.mjs';

/** One OPTIONS request the collector received (either port, any path, any writeKey). */
export interface CollectorPreflight {
  at: string;
  url: string;
  listener: 'site' | 'collector';
  origin: string | null;
  accessControlRequestMethod: string | null;
  accessControlRequestHeaders: string | null;
  accessControlRequestPrivateNetwork: string | null;
  /** From the URL's query string, when it has one (a preflight has no body). */
  writeKey: string | null;
}

/** `GET /collector/preflights.json`: every preflight since the last full reset (the log keeps 1,000). */
export interface CollectorPreflights {
  count: number;
  preflights: CollectorPreflight[];
}

export interface Collector {
  /** Everything the collector holds for `wk`. */
  events(wk: string): Promise<CollectorReport>;
  /** The request log for `wk`. */
  requests(wk: string): Promise<CollectorRequest[]>;
  /** Forget `wk`'s events, requests and faults. */
  reset(wk: string): Promise<void>;
  /** Forget everything, every writeKey's, and the preflight count and log. */
  resetAll(): Promise<void>;
  /**
   * Every CORS preflight (`OPTIONS`) the collector received, whatever its writeKey: a preflight has
   * no body, so it cannot be attributed. Compare counts before and after, or `resetAll()` first.
   */
  preflights(): Promise<CollectorPreflights>;
  /** Fault injection: answer `status` to `wk`'s batches (for `forMs`, with `Retry-After`); 200 clears it. */
  control(wk: string, status: number, opts?: { forMs?: number; retryAfter?: number }): Promise<void>;
  /** Poll until at least `n` events arrived for `wk` (default timeout 10 s); fails listing what did arrive. */
  waitForCount(wk: string, n: number, opts?: { timeout?: number }): Promise<CollectorReport>;
}

/** What the automatic guard recorded; each list must be empty when the test ends. */
export interface Guard {
  /** `METHOD url` of each blocked request to a non-local host. */
  blocked: string[];
  /** Uncaught errors thrown in a page (any page of the test's context). */
  pageErrors: string[];
  /** Console reports of Content-Security-Policy violations. */
  csp: string[];
}

/** The properties of event `i`: a real-looking product of about `size` bytes of JSON. */
export function productProps(i: number, size: number) {
  const base = {
    product_id: String(100000 + i),
    sku: 'COF-ETH-' + i,
    category: 'Coffee / Single origin / Ethiopia',
    name: 'Ethiopian Yirgacheffe Beans ' + i,
    brand: 'Najd Roasters',
    price: 68.5,
    quantity: 1 + (i % 3),
    currency: 'SAR',
    cart_id: '70001',
    url: 'https://shop.example.sa/ar/p/' + (100000 + i),
    image_url: 'https://cdn.salla.sa/shop/images/' + (100000 + i) + '.webp',
  };
  const pad = size - JSON.stringify(base).length;
  if (pad > 0) {
    base.name += ' ' + 'x'.repeat(Math.min(pad, 480));
    if (pad > 480) base.url += '?ref=' + 'r'.repeat(Math.min(pad - 480, 480));
    if (pad > 960) base.image_url += '?v=' + 'v'.repeat(Math.min(pad - 960, 480));
    if (pad > 1440) base.category += ' ' + 'c'.repeat(Math.min(pad - 1440, 480));
    if (pad > 1920) base.brand += ' ' + 'b'.repeat(Math.min(pad - 1920, 480));
  }
  return base;
}

/** `'page:<slug>'` for page events, the event name for track events (handy in failure messages). */
export function label(e: TrackerEvent): string {
  return e.type === 'page' ? 'page:' + (e.name ?? '') : e.event;
}

/** Resolves when the demo page's SDK is ready and storefront.js has wired its buttons. */
export async function storefrontReady(page: Page): Promise<void> {
  await page.waitForFunction(
    () =>
      document.documentElement.classList.contains('salla-ready') &&
      (window as { Salla?: { status?: string } }).Salla?.status === 'ready',
    null,
    { timeout: 15_000 },
  );
}

/** Click a storefront action and wait until the demo's storefront.js recorded its outcome (ok). */
export async function act(page: Page, selector: string): Promise<void> {
  type Actions = { __demoActions?: Array<{ ok: boolean }> };
  const before = await page.evaluate(() => ((window as Actions).__demoActions || []).length);
  await page.click(selector);
  await page.waitForFunction((n) => ((window as Actions).__demoActions || []).length > n, before);
  const outcome = await page.evaluate((n) => (window as Actions).__demoActions![n], before);
  expect(outcome, selector).toMatchObject({ ok: true });
}

/** Sign in on the demo's `/account` page (already open and ready) with its OTP: the demo customer. */
export async function signIn(page: Page): Promise<void> {
  await page.fill('#login-mobile', '501234567');
  await act(page, '#login-send');
  await page.fill('#login-code', '1234');
  await act(page, '#login-verify');
}

function createCollector(origin: string): Collector {
  const json = async <T>(p: string, init?: RequestInit): Promise<T> => {
    const res = await fetch(origin + p, init);
    if (!res.ok) throw new Error(`collector ${init?.method || 'GET'} ${p} → ${res.status}`);
    return (await res.json()) as T;
  };
  const q = (wk: string) => '?writeKey=' + encodeURIComponent(wk);
  const collector: Collector = {
    events: (wk) => json<CollectorReport>('/collector/events.json' + q(wk)),
    requests: async (wk) =>
      (await json<{ requests: CollectorRequest[] }>('/collector/requests.json' + q(wk))).requests,
    async reset(wk) {
      await json('/collector/reset' + q(wk), { method: 'POST' });
    },
    async resetAll() {
      await json('/collector/reset', { method: 'POST' });
    },
    preflights: () => json<CollectorPreflights>('/collector/preflights.json'),
    async control(wk, status, opts = {}) {
      await json('/collector/control', {
        method: 'POST',
        headers: { 'Content-Type': 'application/json' },
        body: JSON.stringify({ writeKey: wk, status, ...opts }),
      });
    },
    async waitForCount(wk, n, { timeout = 10_000 } = {}) {
      const end = Date.now() + timeout;
      let last = await collector.events(wk);
      while (last.events.length < n && Date.now() < end) {
        await new Promise((r) => setTimeout(r, 50));
        last = await collector.events(wk);
      }
      if (last.events.length < n) {
        const got = last.events.map((l) => label(l.event)).join(', ') || 'nothing';
        throw new Error(
          `collector: expected ${n} event(s) for "${wk}" within ${timeout} ms, got ${last.events.length}: ${got}`,
        );
      }
      return last;
    },
  };
  return collector;
}

/**
 * Put a browser context under `g`: block (and record) requests to non-local hosts, record page
 * errors and CSP violations. The `guard` fixture does this for the test's `context`; a test that
 * makes its own with `browser.newContext()` calls `await guardContext(ctx, guard)`.
 */
export async function guardContext(context: BrowserContext, g: Guard): Promise<void> {
  // Chromium cannot reach other hosts (LOCAL_ONLY launch options); every attempt is recorded.
  context.on('request', (r) => {
    if (!isLocalUrl(r.url())) g.blocked.push(r.method() + ' ' + r.url());
  });
  context.on('weberror', (e) => g.pageErrors.push(String(e.error().stack || e.error())));
  context.on('console', (m) => {
    if (/Content Security Policy/i.test(m.text())) g.csp.push(m.text());
  });
}

export const test = base.extend<
  { guard: Guard; wk: () => string },
  { server: DemoServer; collector: Collector }
>({
  server: [
    // eslint-disable-next-line no-empty-pattern -- Playwright reads the fixture's dependencies from this pattern
    async ({}, use) => {
      const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'tt-e2e-'));
      const s = await startServer({ port: 0, collectorPort: 0, dataDir });
      await use({
        url: s.url,
        origin: s.url.replace(/\/$/, ''),
        collectorOrigin: s.collectorUrl.replace(/\/$/, ''),
        dataDir,
      });
      await s.close();
      fs.rmSync(dataDir, { recursive: true, force: true });
    },
    { scope: 'worker' },
  ],
  collector: [async ({ server }, use) => use(createCollector(server.collectorOrigin)), { scope: 'worker' }],
  baseURL: async ({ server }, use) => use(server.url),
  guard: [
    async ({ context }, use) => {
      const g: Guard = { blocked: [], pageErrors: [], csp: [] };
      await guardContext(context, g);
      await use(g);
      expect(g.blocked, 'requests to hosts other than 127.0.0.1').toEqual([]);
      expect(g.pageErrors, 'errors thrown in the page').toEqual([]);
      expect(g.csp, 'Content-Security-Policy violations').toEqual([]);
    },
    { auto: true },
  ],
  wk: async ({ collector }, use, info) => {
    let n = 0;
    const slug = info.title
      .toLowerCase()
      .replace(/[^a-z0-9]+/g, '-')
      .slice(0, 24);
    const run = Date.now().toString(36);
    const keys: string[] = [];
    await use(() => {
      const key = `e2e-${slug}-${info.workerIndex}-${run}-${++n}`;
      keys.push(key);
      return key;
    });
    // Every batch this test's keys brought was checked by the library build's validator: the
    // collector has no weaker fallback, and a test's `valid` means nothing without it.
    for (const key of keys) {
      const posts = (await collector.requests(key)).filter((r) => r.method === 'POST');
      expect(
        posts.filter((r) => r.validator !== VALIDATOR).map((r) => `${r.at} ${r.validator ?? '(none)'}`),
        `the collector's validator for "${key}" (every POST must name ${VALIDATOR})`,
      ).toEqual([]);
    }
  },
});
