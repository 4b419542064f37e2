/**
 * `fetch` failing in two ways the tracker cannot tell apart from its answer alone (default options,
 * the demo storefront, a real `salla.cart.addItem`, a cross-origin collector):
 * - the page's `fetch` is a broken wrapper that returns a rejected promise: every event still
 *   arrives, once, and the tracker stops calling that `fetch` after its first failure;
 * - the collector answers without CORS headers (the page cannot read the answer, so `fetch`
 *   rejects, yet the collector has the batch): it must not get the batch a second time from the
 *   tracker's check of whether `fetch` is broken (an empty request), only again at each retry.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Page } from '@playwright/test';
import type { TrackerEvent } from '../src/schema';
import { test, expect, label, storefrontReady } from './fixtures';
import { productAdded101 } from './expected';

type Win = Window & {
  salla: { cart: { addItem(p: object): Promise<{ data: { cart: { id: number } } }> } };
  twilightTracker: { track(n: string, p: object): void };
  __fetchCalls: number;
};

async function addToCart(page: Page) {
  return page.evaluate(() =>
    (window as unknown as Win).salla.cart
      .addItem({ id: 101, quantity: 2 })
      .then((r) => String(r.data.cart.id)),
  );
}

test('a page whose fetch returns a rejected promise: every event arrives once, and that fetch is tried once', async ({
  page,
  collector,
  wk,
  server,
}) => {
  const key = wk();
  await page.addInitScript(() => {
    const w = window as unknown as Win;
    w.__fetchCalls = 0;
    // A broken wrapper (an extension's or a theme's): it answers nothing, it rejects.
    window.fetch = function () {
      w.__fetchCalls++;
      return Promise.reject(new TypeError('Failed to fetch'));
    } as typeof fetch;
  });
  await page.goto(`/p/101?wk=${key}`);
  await storefrontReady(page);
  await page.waitForFunction(() => typeof (window as unknown as Win).twilightTracker?.track === 'function');
  const cartId = await addToCart(page);
  const count = async (name: string) =>
    (await collector.events(key)).events.filter((l) => label(l.event) === name).length;
  await expect.poll(() => count('Product Added'), { timeout: 20_000 }).toBe(1);
  // A second batch, after the first went.
  for (let i = 0; i < 3; i++)
    await page.evaluate((i) => (window as unknown as Win).twilightTracker.track('Broken Fetch', { i }), i);
  await expect.poll(() => count('Broken Fetch'), { timeout: 20_000 }).toBe(3);
  await page.waitForTimeout(1000); // any repeat
  const lines = (await collector.events(key)).events;
  const ids = lines.map((l) => (l.event as TrackerEvent).messageId);
  expect(new Set(ids).size, 'no event twice').toBe(ids.length);
  const added = lines.filter((l) => label(l.event) === 'Product Added');
  expect(added).toHaveLength(1);
  expect(added[0]!.event.properties).toEqual(productAdded101(server.origin, cartId));
  expect(lines.every((l) => l.valid)).toBe(true);
  // The page's own fetch was called once, by the tracker's first batch; the rest went another way.
  expect(await page.evaluate(() => (window as unknown as Win).__fetchCalls)).toBe(1);
  const posts = (await collector.requests(key)).filter((r) => r.method === 'POST');
  expect(posts.length).toBeGreaterThan(1);
  expect(posts.every((r) => r.status === 200)).toBe(true);
});

test('a collector without CORS headers gets each batch once per attempt, not again from the tracker’s check', async ({
  page,
  wk,
}) => {
  /** Batches by their events' ids, with the times they arrived; and the empty checks. */
  const arrivals = new Map<string, number[]>();
  let empty = 0;
  // Accepts every batch but sends no Access-Control-Allow-Origin: the page cannot read its answer.
  const noCors = http.createServer((req, res) => {
    let body = '';
    req.on('data', (c: Buffer) => (body += c.toString('utf8')));
    req.on('end', () => {
      if (req.method === 'POST') {
        if (!body) empty++;
        // (Each attempt has its own `sentAt`: a batch is known by its events' ids.)
        else {
          const ids = (JSON.parse(body) as { batch: Array<{ messageId: string }> }).batch.map(
            (e) => e.messageId,
          );
          arrivals.set(ids.join(), [...(arrivals.get(ids.join()) || []), Date.now()]);
        }
      }
      res.writeHead(200, { 'Content-Type': 'application/json' }).end('{"ok":true}');
    });
  });
  await new Promise<void>((r) => noCors.listen(0, '127.0.0.1', r));
  try {
    const { port } = noCors.address() as AddressInfo;
    await page.goto(`/p/101?wk=${wk()}&ep=${encodeURIComponent(`http://127.0.0.1:${port}/collect`)}`);
    await storefrontReady(page);
    await page.waitForFunction(() => typeof (window as unknown as Win).twilightTracker?.track === 'function');
    await addToCart(page);
    // The first attempt of a batch and at least one retry (1 s × 0.75–1.25 after it).
    await expect
      .poll(() => [...arrivals.values()].some((t) => t.length >= 2), { timeout: 20_000 })
      .toBe(true);
    for (const [ids, times] of arrivals) {
      const gaps = times.slice(1).map((t, i) => t - times[i]!);
      // A retry comes at least 750 ms later; a second copy from the check came within milliseconds.
      expect(
        gaps.filter((g) => g < 500),
        ids,
      ).toEqual([]);
    }
    // (The check, an empty request, did go: it is what used to carry the batch a second time.)
    expect(empty).toBeGreaterThan(0);
  } finally {
    await new Promise((r) => noCors.close(r));
  }
});
