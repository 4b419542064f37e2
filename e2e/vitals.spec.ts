/**
 * Issue 15 in a real browser: Core Web Vitals on a normal load of the demo storefront (no `wv=0`).
 * tracker.js loads its second file, tracker-vitals.js, from beside itself only after the page's
 * `load`; FCP and TTFB arrive while the page is open, LCP once the shopper interacts, INP and CLS
 * when the page is hidden (here: a click, then leaving the page). Each metric at most once per page,
 * with `rating`, `id` and `navigation_type`. With `wv=0` (`data-web-vitals="false"`) nothing
 * requests tracker-vitals.js at all.
 */
import type { Page } from '@playwright/test';
import type { TrackerEvent, WebVitalMeasured } from '../src/schema';
import { test, expect, label, storefrontReady, type CollectedLine, type Collector } from './fixtures';

const METRICS = ['CLS', 'FCP', 'INP', 'LCP', 'TTFB'];
const isVital = (e: TrackerEvent) => e.type === 'track' && e.event === 'Web Vital Measured';
const vital = (e: TrackerEvent) => e.properties as unknown as WebVitalMeasured;

/** Requests for tracker-vitals.js made by any page of the test's context. */
function vitalsRequests(page: Page): string[] {
  const seen: string[] = [];
  page.context().on('request', (r) => {
    if (/tracker-vitals\.js/.test(r.url())) seen.push(r.url());
  });
  return seen;
}

/** In the page: when tracker-vitals.js was requested, and when the page's `load` event ran (ms since navigation start). */
const timing = (page: Page) =>
  page.evaluate(() => {
    const nav = performance.getEntriesByType('navigation')[0] as PerformanceNavigationTiming | undefined;
    const res = performance
      .getEntriesByType('resource')
      .filter((r) => /\/assets\/tracker-vitals\.js/.test(r.name)) as PerformanceResourceTiming[];
    return {
      loadEventStart: nav ? nav.loadEventStart : -1,
      loadEventEnd: nav ? nav.loadEventEnd : -1,
      vitals: res.map((r) => ({ url: r.name.replace(location.origin, ''), startTime: r.startTime })),
      tags: Array.from(document.querySelectorAll('script[data-twilight-vitals]'), (s) =>
        (s as HTMLScriptElement).src.replace(location.origin, ''),
      ),
    };
  });

/** The vitals the collector has for `key`, by page path. */
function byPage(lines: CollectedLine[]): Map<string, WebVitalMeasured[]> {
  const out = new Map<string, WebVitalMeasured[]>();
  for (const l of lines) {
    if (!isVital(l.event)) continue;
    const path = l.event.context.page?.path || '?';
    out.set(path, [...(out.get(path) || []), vital(l.event)]);
  }
  return out;
}

/**
 * A shopper's click, then what a shopper gives the browser before leaving: the moment it takes to
 * report the interaction's timing (its `first-input` entry, which INP reads). Leaving within that
 * moment can lose INP (README, Web vitals); on a busy machine the moment grows.
 */
async function clickAndSettle(page: Page) {
  await page.click('h1');
  await expect.poll(() => page.evaluate(() => performance.getEntriesByType('first-input').length)).toBe(1);
}

test('web vitals on a normal load: loaded after `load`, FCP/TTFB/LCP, then INP/CLS when hidden, once each per page', async ({
  page,
  collector,
  wk,
}) => {
  test.setTimeout(90_000);
  const key = wk();
  const q = `wk=${key}`; // default options: vitals on, the 2 s flush interval
  const requested = vitalsRequests(page);
  await page.goto(`/p/101?${q}`);
  await storefrontReady(page);

  // tracker-vitals.js: requested once, from beside tracker.js, after the page's load event.
  await expect.poll(async () => (await timing(page)).vitals.length, { timeout: 15_000 }).toBe(1);
  const t = await timing(page);
  expect(t.vitals[0]!.url).toBe('/assets/tracker-vitals.js');
  expect(t.tags).toEqual(['/assets/tracker-vitals.js']);
  expect(t.loadEventEnd).toBeGreaterThan(0);
  expect(t.vitals[0]!.startTime, 'tracker-vitals.js requested after the load event').toBeGreaterThanOrEqual(
    t.loadEventEnd,
  );

  // While the page is open: FCP and TTFB.
  const metricsOn = async (path: string) =>
    (byPage((await collector.events(key)).events).get(path) || []).map((v) => v.metric).sort();
  await expect.poll(() => metricsOn('/p/101'), { timeout: 15_000 }).toEqual(['FCP', 'TTFB']);
  // An interaction (INP's), which also ends LCP's measurement: LCP arrives while the page is open.
  await clickAndSettle(page);
  await expect.poll(() => metricsOn('/p/101'), { timeout: 15_000 }).toEqual(['FCP', 'LCP', 'TTFB']);

  // Leave the page (hidden, then pagehide): INP and CLS go out as it goes.
  await page.goto(`/cart?${q}`);
  await storefrontReady(page);
  await expect.poll(() => metricsOn('/p/101'), { timeout: 15_000 }).toEqual(METRICS);
  // The second page: the same, once more.
  await expect.poll(() => metricsOn('/cart'), { timeout: 15_000 }).toEqual(['FCP', 'TTFB']);
  await clickAndSettle(page);
  await expect.poll(() => metricsOn('/cart'), { timeout: 15_000 }).toEqual(['FCP', 'LCP', 'TTFB']);
  await page.goto('/lab/plain');
  await expect.poll(() => metricsOn('/cart'), { timeout: 15_000 }).toEqual(METRICS);
  // Anything late (a repeat) would have come by now.
  await new Promise((r) => setTimeout(r, 1000));

  const lines = (await collector.events(key)).events;
  const pages = byPage(lines);
  expect([...pages.keys()].sort()).toEqual(['/cart', '/p/101']);
  for (const [path, vitals] of pages) {
    // At most one of each metric per page: here, exactly one of each.
    expect(vitals.map((v) => v.metric).sort(), path).toEqual(METRICS);
    for (const v of vitals) {
      const at = `${v.metric} on ${path}`;
      expect(v, at).toEqual({
        metric: v.metric,
        value: expect.any(Number),
        delta: expect.any(Number),
        rating: expect.stringMatching(/^(good|needs-improvement|poor)$/),
        id: expect.stringMatching(/^v\d+-\d+-\d+$/),
        navigation_type: 'navigate',
      });
      expect(v.value, at).toBeGreaterThanOrEqual(0);
    }
    // Each metric's id is its own, and a page's ids are not another page's.
    expect(new Set(vitals.map((v) => v.id)).size, path).toBe(METRICS.length);
  }
  expect(lines.filter((l) => isVital(l.event) && !l.valid)).toEqual([]);
  // One request per page for the second file.
  expect(requested.map((u) => new URL(u).pathname)).toEqual([
    '/assets/tracker-vitals.js',
    '/assets/tracker-vitals.js',
  ]);
  // The vitals are the tracker's own events, with its context (the page they measured).
  const fcp = lines.find((l) => isVital(l.event) && vital(l.event).metric === 'FCP')!.event;
  expect(fcp.context.page).toMatchObject({ path: '/p/101', slug: 'product.single' });
  expect(label(fcp)).toBe('Web Vital Measured');
});

/**
 * The storefront's product page (collector key `key`, then `query`: else default options), past load
 * and an idle period, then `during` (an interaction: where tracker-vitals.js would be loaded and
 * measure), then a page without the tracker: nothing requested the file, and only the page's two
 * events arrived (an error thrown in the page fails the test: the `guard` fixture).
 */
async function withoutVitals(
  page: Page,
  collector: Collector,
  key: string,
  query: string,
  during: () => Promise<void>,
) {
  const requested = vitalsRequests(page);
  await page.goto(`/p/101?wk=${key}${query}`);
  await storefrontReady(page);
  await collector.waitForCount(key, 2);
  await page.evaluate(() => new Promise((r) => requestIdleCallback(() => setTimeout(r, 1500))));
  await during();
  await page.goto('/lab/plain');
  await page.waitForTimeout(500);
  expect(requested).toEqual([]);
  const events = (await collector.events(key)).events;
  expect(events.map((l) => label(l.event)).sort()).toEqual(['Product Viewed', 'page:product.single']);
}

test('wv=0 (data-web-vitals="false"): nothing requests tracker-vitals.js, no vital is sent', async ({
  page,
  collector,
  wk,
}) => {
  await withoutVitals(page, collector, wk(), '&wv=0', async () => {
    expect(await page.getAttribute('script[src="/assets/tracker.js"]', 'data-web-vitals')).toBe('false');
    await page.click('h1');
    const t = await timing(page);
    expect(t.loadEventEnd).toBeGreaterThan(0);
    expect(t.vitals).toEqual([]);
    expect(t.tags).toEqual([]);
  });
});

test("a browser without web-vitals 5's floor (no Array.prototype.at, ES2022): tracker.js does not load tracker-vitals.js, nothing throws, events still arrive", async ({
  page,
  collector,
  wk,
}) => {
  // Safari before 15.4, Chrome before 92, Firefox before 90: tracker.js (ES2020) runs there, web-vitals 5 does not.
  await page.addInitScript(() => delete (Array.prototype as { at?: unknown }).at);
  // With an interaction and a layout shift: what its observers would measure (and throw at).
  await withoutVitals(page, collector, wk(), '', async () => {
    await clickAndSettle(page);
    await page.evaluate(() =>
      document.body.prepend(Object.assign(document.createElement('div'), { style: 'height:200px' })),
    );
  });
});
