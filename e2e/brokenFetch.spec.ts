/**
 * A page whose `fetch` is a broken wrapper that returns a rejected promise (default options, the
 * demo storefront, a real `salla.cart.addItem`, a cross-origin collector): every event still
 * arrives, once, and the tracker stops calling that `fetch` after its first failure; and with a
 * collector that answers without CORS headers too (so the tracker's XMLHttpRequest check cannot read
 * its answers either), every event still arrives: the check carries the batch.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { TrackerEvent } from '../src/schema';
import type { Page } from '@playwright/test';
import { test, expect, label, productProps, storefrontReady } from './fixtures';
import { addItem, productAdded101 } from './expected';

type Win = Window & {
  twilightTracker: { track(n: string, p: object): void };
  __fetchCalls: number;
};
type Lab = Window & {
  TwilightTracker: { createTracker(o: object): { track(n: string, p: object): void } };
};

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
  const cartId = await addItem(page);
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

/**
 * A collector of its own on another port answering every POST 200 with `headers`, and the storefront
 * opened with a fetch that rejects, sending to it; `received`: each event that reached it, as
 * `messageId name`. Closed by `close()`.
 */
async function brokenFetchTo(page: Page, key: string, headers: http.OutgoingHttpHeaders) {
  await page.addInitScript(() => {
    window.fetch = () => Promise.reject(new TypeError('Failed to fetch'));
  });
  const received: string[] = [];
  const server = http.createServer((req, res) => {
    let body = '';
    req.on('data', (c: Buffer) => (body += c.toString('utf8')));
    req.on('end', () => {
      if (req.method === 'POST' && body)
        for (const e of (JSON.parse(body) as { batch: Array<{ messageId: string; event?: string }> }).batch)
          received.push(e.messageId + ' ' + (e.event || 'page'));
      res.writeHead(200, { 'Content-Type': 'application/json', ...headers }).end('{"ok":true}');
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const { port } = server.address() as AddressInfo;
  await page.goto(`/p/101?wk=${key}&ep=${encodeURIComponent(`http://127.0.0.1:${port}/collect`)}`);
  await storefrontReady(page);
  await page.waitForFunction(() => typeof (window as unknown as Win).twilightTracker?.track === 'function');
  return { received, close: () => new Promise((r) => server.close(r)) };
}

test('a broken fetch and a collector without CORS headers: every event still arrives (the XHR check carries the batch)', async ({
  page,
  wk,
}) => {
  // Accepts every batch but sends no Access-Control-Allow-Origin: the page cannot read its answers,
  // so it cannot tell this collector from a network that is down.
  const c = await brokenFetchTo(page, wk(), {});
  try {
    await addItem(page);
    // At its first attempt (the retries that follow bring copies with the same ids).
    await expect
      .poll(() => c.received.some((k) => k.endsWith(' Product Added')), { timeout: 10_000 })
      .toBe(true);
  } finally {
    await c.close();
  }
});

test('a broken fetch and a collector that does not expose Retry-After (as most do not): the events arrive, and the page logs no error', async ({
  page,
  wk,
}) => {
  const errors: string[] = [];
  page.on('console', (m) => void (m.type() === 'error' && errors.push(m.text())));
  // CORS-readable answers (Allow-Origin) with a Retry-After the page may not read (no Expose-Headers).
  const c = await brokenFetchTo(page, wk(), { 'Access-Control-Allow-Origin': '*', 'Retry-After': '1' });
  try {
    await addItem(page);
    await expect
      .poll(() => c.received.filter((k) => k.endsWith(' Product Added')).length, { timeout: 10_000 })
      .toBe(1);
    await page.waitForTimeout(500);
    // (but the SDK's own: EventEmitter2's listener-count warning on the demo storefront)
    expect(errors.filter((e) => !e.includes('EventEmitter memory leak'))).toEqual([]);
  } finally {
    await c.close();
  }
});

test('a fetch that throws, consent pending: 150 events of ~1 KB tracked, the page left 2 s later: all arrive, 3 times in a row', async ({
  page,
  collector,
  wk,
  server,
}) => {
  // With fetch broken a batch that did not fit the keepalive budget waited for the beacons in
  // flight (5 s each) instead of going by XMLHttpRequest: at pagehide the rest could not be stored
  // without consent, and was dropped.
  await page.addInitScript(() => {
    window.fetch = () => {
      throw new TypeError('blocked');
    };
  });
  for (let run = 0; run < 3; run++) {
    const key = wk();
    await page.goto('/lab/tracker');
    await page.waitForFunction(
      () => typeof (window as unknown as Lab).TwilightTracker?.createTracker === 'function',
    );
    await page.evaluate(
      ([endpoint, writeKey, events]) => {
        const t = (window as unknown as Lab).TwilightTracker.createTracker({
          endpoint,
          writeKey,
          consent: 'pending',
        });
        for (const p of events) t.track('Product Added', p);
      },
      [
        server.collectorOrigin + '/collect',
        key,
        Array.from({ length: 150 }, (_, i) => productProps(i, 1000)),
      ] as const,
    );
    await page.waitForTimeout(2000);
    await page.goto('/lab/plain');
    // (A batch in flight by XMLHttpRequest at pagehide is taken back and beaconed: a copy may arrive.)
    const added = async () =>
      new Set(
        (await collector.events(key)).events
          .filter((l) => label(l.event) === 'Product Added')
          .map((l) => (l.event.properties as { product_id: string }).product_id),
      ).size;
    await expect.poll(added, { timeout: 15_000 }).toBe(150);
    expect((await collector.events(key)).invalid).toBe(0);
  }
});
