/**
 * Engine contract in a real browser (issues 12 and 13): the demo storefront with the built tracker.js
 * and the real Twilight SDK, its tracker pointed (`?ep=<url>`) at a local gateway that applies
 * RudderStack's, Segment's or Jitsu's own acceptance rules (test/engines/server.mjs), set up as the
 * README recipe says (ENGINE_SETTINGS in test/contract.test.ts; here the gateway's prefix stands for
 * the engine's host). A real `salla.cart.addItem` on a product page, then a click to the cart page:
 * the first page's events leave by sendBeacon as it goes, the cart page's by fetch. Every event must
 * be accepted, no request refused, no CORS preflight; RudderStack on its beacon route with the write
 * key in the query only.
 */
import type { Page } from '@playwright/test';
import { test, expect, storefrontReady } from './fixtures';
import { startGateways, type Engine, type Gateways } from '../test/engines/server.mjs';

type Win = Window & {
  twilightTracker: {
    flush(): Promise<void>;
    stats(): { queued: number; dropped: number; retried: number };
  };
  __demoActions?: Array<{ action: string; ok: boolean }>;
};

/** The tracker's settings per engine on the gateway (ENGINE_SETTINGS with `<host>` → the gateway prefix). */
function settings(gw: Gateways, engine: Engine, key: string): { endpoint: string; writeKey?: string } {
  if (engine === 'rudderstack')
    return { endpoint: `${gw.url}/rudderstack/beacon/v1/batch?writeKey=${encodeURIComponent(key)}` };
  return { endpoint: `${gw.url}/${engine}/v1/batch`, writeKey: key };
}

/** Events the page's tracker holds, not sent yet. */
const queued = (page: Page) => page.evaluate(() => (window as unknown as Win).twilightTracker.stats().queued);
/** Wait until the page's tracker holds at least `n` events (with fi=60000 nothing leaves meanwhile). */
async function holds(page: Page, n: number) {
  await page.waitForFunction(() => typeof (window as unknown as Win).twilightTracker?.stats === 'function');
  await page.waitForFunction((n) => (window as unknown as Win).twilightTracker.stats().queued >= n, n);
}

const label = (e: Record<string, unknown>) =>
  e.type === 'page' ? 'page:' + String(e.name) : String(e.event);

for (const engine of ['rudderstack', 'segment', 'jitsu'] as const) {
  test(`${engine}: add to cart then navigate: every event accepted, none refused, no preflight`, async ({
    page,
    wk,
  }) => {
    const gw = await startGateways();
    try {
      const key = wk();
      const s = settings(gw, engine, key);
      // fi=60000: nothing leaves a page before it goes (then by beacon) or is flushed.
      const q = new URLSearchParams({ ep: s.endpoint, fi: '60000' });
      if (s.writeKey) q.set('wk', s.writeKey);
      await page.goto(`/p/101?${q}`);
      await storefrontReady(page);
      const tag = page.locator('script[src="/assets/tracker.js"]');
      await expect(tag).toHaveAttribute('data-endpoint', s.endpoint);
      if (s.writeKey) await expect(tag).toHaveAttribute('data-write-key', s.writeKey);
      else await expect(tag).not.toHaveAttribute('data-write-key', /.*/);
      await holds(page, 2); // the page view and Product Viewed

      // A real add to cart: storefront.js calls salla.cart.addItem, the SDK fires its hooks.
      const before = await queued(page);
      await page.click('[data-action="add"][data-product="101"]');
      await page.waitForFunction(() =>
        ((window as unknown as Win).__demoActions || []).some((a) => a.action === 'add' && a.ok),
      );
      await holds(page, before + 2); // Product Added and Cart Updated (cart::item.added, cart::updated)
      await page.waitForTimeout(300); // anything else the add brings
      expect(gw.requests(engine), 'nothing sent before the page goes').toEqual([]);

      // To the cart page by its link (the kept query carries ep/wk): the product page's queue is beaconed.
      await Promise.all([page.waitForURL(/\/cart\?/), page.click('a[data-nav="cart"]')]);
      await storefrontReady(page);
      await holds(page, 2); // the page view and Cart Viewed
      // tracker-vitals.js loads at idle after `load` and reports FCP and TTFB at once: they go in the
      // batch checked below, not after it (with fi=60000 a later vital would wait in the queue).
      await holds(page, 4);
      await page.evaluate(() => (window as unknown as Win).twilightTracker.flush());
      await page.waitForFunction(() => (window as unknown as Win).twilightTracker.stats().queued === 0);

      const must = ['page:product.single', 'Product Viewed', 'Product Added', 'page:cart', 'Cart Viewed'];
      await expect
        .poll(() => gw.accepted(engine, key).map((a) => label(a.event)), { timeout: 15_000 })
        .toEqual(expect.arrayContaining(must));

      const requests = gw.requests(engine);
      expect(
        requests.filter((r) => r.preflight),
        'no CORS preflight',
      ).toEqual([]);
      for (const r of requests) {
        expect(r.status, JSON.stringify(r.response)).toBe(200);
        expect(r.method).toBe('POST');
        expect(r.writeKey).toBe(key);
        expect(r.contentType).toBe('text/plain;charset=UTF-8');
        expect(r.accepted, `every event of a request kept: ${JSON.stringify(r.response)}`).toBe(r.events);
        if (engine === 'rudderstack') {
          expect(r.path).toBe('/beacon/v1/batch');
          expect(r.query).toBe(`?writeKey=${encodeURIComponent(key)}`);
        } else expect(r.path).toBe('/v1/batch');
        if (engine === 'segment') expect(r.response?.rejected).toEqual([]);
        if (engine === 'jitsu') expect(r.response?.ok).toBe(true);
      }
      // The product page's events by sendBeacon as it went, the cart page's by fetch.
      expect(new Set(requests.map((r) => r.beacon))).toEqual(new Set([true, false]));

      const kept = gw.accepted(engine, key).map((a) => a.event);
      expect(kept.length).toBe(requests.reduce((n, r) => n + r.events, 0));
      const ids = kept.map((e) => e.messageId);
      expect(new Set(ids).size, 'each event once').toBe(ids.length);
      // No cookie bar: consent granted, one stored anonymous id across both pages.
      expect(new Set(kept.map((e) => e.anonymousId)).size).toBe(1);
      for (const e of kept) expect((e.context as Record<string, unknown>).consent_state).toBe('granted');
      // A vital reported since (LCP may come later) is sent too before counting.
      await page.evaluate(() => (window as unknown as Win).twilightTracker.flush());
      const stats = await page.evaluate(() => (window as unknown as Win).twilightTracker.stats());
      expect(stats).toMatchObject({ queued: 0, dropped: 0, retried: 0 });
    } finally {
      await gw.close();
    }
  });
}
