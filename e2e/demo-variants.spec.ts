/**
 * The demo storefront's loading variants, as real storefronts load things (reference: salla-events.md,
 * "How real storefronts load things"): the cross-origin collector, the tracker as an App Snippet
 * configured by app settings (?channel=snippet), the SDK from @salla.sa/twilight-components' module
 * build after the tracker (?sdk=module), and Salla's cookie bar (?cookies=1).
 */
import fs from 'node:fs';
import type { Page } from '@playwright/test';
import { test, expect, label, storefrontReady } from './fixtures';

const { version } = JSON.parse(fs.readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as {
  version: string;
};

type SallaWin = Window & {
  Salla: {
    config: { get(key: string): unknown };
    event: { on(name: string, fn: () => void): void };
    storage: { get(key: string): unknown };
  };
  salla: { cart: { addItem(p: object): Promise<unknown> } };
};

/** The `src` of every script tag in document order (origin stripped). */
const scriptSrcs = (page: Page) =>
  page.evaluate(() =>
    Array.from(document.scripts, (s) =>
      s.src ? (s.type === 'module' ? 'module:' : '') + s.src.replace(location.origin, '') : '(json)',
    ),
  );

test('pages send to the collector on its own port (cross-origin): text/plain, no preflight', async ({
  page,
  collector,
  wk,
  server,
}) => {
  const key = wk();
  expect(server.collectorOrigin).not.toBe(server.origin);
  const before = (await collector.preflights()).count;
  await page.goto(`/?wk=${key}&wv=0&fi=100`);
  await storefrontReady(page);
  expect(await page.getAttribute('script[src="/assets/tracker.js"]', 'data-endpoint')).toBe(
    `${server.collectorOrigin}/collect`,
  );
  await collector.waitForCount(key, 1);
  const requests = await collector.requests(key);
  expect(requests.map((r) => [r.method, r.listener, r.origin, r.contentType, r.status])).toEqual([
    ['POST', 'collector', server.origin, 'text/plain;charset=UTF-8', 200],
  ]);
  expect((await collector.preflights()).count).toBe(before);

  // ?ep=same: the storefront's own /collect still works, into the same store.
  await page.goto(`/cart?wk=${key}&wv=0&fi=100&ep=same`);
  await storefrontReady(page);
  await expect.poll(async () => (await collector.requests(key)).map((r) => r.listener)).toContain('site');
  expect((await collector.events(key)).events.map((l) => label(l.event))).toContain('page:cart');
});

test('the collector counts every preflight, whatever its writeKey, with the request headers', async ({
  page,
  collector,
  server,
}) => {
  await page.goto('/?tracker=0');
  const before = (await collector.preflights()).count;
  // A JSON POST is not CORS-simple: the browser asks first.
  const status = await page.evaluate(
    (url) =>
      fetch(url, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json' },
        body: JSON.stringify({ batch: [] }),
      }).then((r) => r.status),
    `${server.collectorOrigin}/collect?probe=1`,
  );
  expect(status).toBe(200);
  const after = await collector.preflights();
  expect(after.count).toBe(before + 1);
  expect(after.preflights.at(-1)).toMatchObject({
    url: '/collect?probe=1',
    listener: 'collector',
    origin: server.origin,
    accessControlRequestMethod: 'POST',
    accessControlRequestHeaders: 'content-type',
    writeKey: null,
  });
});

test('?channel=snippet: the App Snippet before </body>, configured by the store app settings', async ({
  page,
  collector,
  wk,
  server,
}) => {
  const key = wk();
  await page.goto(`/p/101?wk=${key}&wv=0&fi=100&channel=snippet`);
  await storefrontReady(page);
  // No tracker.js tag: the plain snippet tag comes last, after the SDK and boot.js.
  const srcs = await scriptSrcs(page);
  expect(srcs.filter((s) => s.includes('tracker'))).toEqual([]);
  expect(srcs.at(-1)).toBe('/assets/snippet.js');
  expect(srcs.indexOf('/assets/twilight.min.js')).toBeLessThan(srcs.indexOf('/assets/boot.js'));
  expect(await page.evaluate(() => document.body.lastElementChild?.getAttribute('src'))).toBe(
    '/assets/snippet.js',
  );
  expect(
    await page.evaluate(() => document.querySelector('script[src="/assets/snippet.js"]')!.attributes.length),
  ).toBe(1);
  // The snippet: banner, the baked-in defaults (web vitals off, nothing else), then tracker.js.
  const snippet = await (await fetch(`${server.origin}/assets/snippet.js`)).text();
  expect(snippet.split('\n').slice(0, 2)).toEqual([
    `/*! twilight-tracker ${version} App Snippet, built by \`npx twilight-tracker snippet\` | MIT */`,
    '(window.twilightTracker=window.twilightTracker||[]).push(["defaults",{"webVitals":false}]);',
  ]);
  // The endpoint and write key are the merchant's app settings.
  expect(
    await page.evaluate(() =>
      ['app.tracker_endpoint', 'app.tracker_write_key', 'app.tracker_flush_interval'].map((k) =>
        (window as unknown as SallaWin).Salla.config.get(k),
      ),
    ),
  ).toEqual([`${server.collectorOrigin}/collect`, key, 100]);

  const report = await collector.waitForCount(key, 2);
  expect(report.events.map((l) => label(l.event)).sort()).toEqual(['Product Viewed', 'page:product.single']);
  expect((await collector.requests(key)).every((r) => r.listener === 'collector')).toBe(true);
  expect(report.invalid).toBe(0);

  // The channel is kept across links.
  await page.click('a[data-nav="cart"]');
  await storefrontReady(page);
  expect(new URL(page.url()).searchParams.get('channel')).toBe('snippet');
  await expect
    .poll(async () => (await collector.events(key)).events.map((l) => label(l.event)))
    .toContain('page:cart');
});

test('?sdk=module: the SDK comes from the twilight-components module build, after the tracker', async ({
  page,
  collector,
  wk,
}) => {
  const key = wk();
  // When the module defines the SDK (`salla::created`), the tracker must already be installed.
  await page.addInitScript(() => {
    const w = window as unknown as { __atCreated?: string; twilightTracker?: { track?: unknown } };
    window.addEventListener('salla::created', () => {
      w.__atCreated = typeof w.twilightTracker?.track;
    });
  });
  await page.goto(`/?wk=${key}&wv=0&fi=100&sdk=module`);
  await storefrontReady(page);
  expect(await page.evaluate(() => (window as unknown as { __atCreated?: string }).__atCreated)).toBe(
    'function',
  );
  const srcs = await scriptSrcs(page);
  expect(srcs).not.toContain('/assets/twilight.min.js');
  expect(srcs).toContain('module:/assets/twilight-components/twilight.esm.js');
  expect(srcs.indexOf('/assets/tracker.js')).toBeLessThan(srcs.indexOf('/assets/boot.js'));

  await collector.waitForCount(key, 1);
  await page.evaluate(() => (window as unknown as SallaWin).salla.cart.addItem({ id: 101, quantity: 1 }));
  const report = await collector.waitForCount(key, 3);
  expect(report.events.map((l) => label(l.event))).toEqual(['page:index', 'Product Added', 'Cart Updated']);
  expect(report.invalid).toBe(0);
});

test('?cookies=1: the cookie bar emits salla-cookies-bar::accepted, then stores the choice', async ({
  page,
  collector,
  wk,
}) => {
  const key = wk();
  await page.goto(`/?wk=${key}&wv=0&fi=100&cookies=1`);
  await storefrontReady(page);
  expect(
    await page.evaluate(() => (window as unknown as SallaWin).Salla.config.get('store.features')),
  ).toEqual(['website-cookies']);
  const bar = page.locator('#cookie-bar');
  await expect(bar).toBeVisible();
  // What the stored choice was when the event fired: nothing yet (the event comes first).
  await page.evaluate(() => {
    const w = window as unknown as SallaWin & { __seen?: unknown[] };
    w.__seen = [];
    w.Salla.event.on('salla-cookies-bar::accepted', () =>
      w.__seen!.push(w.Salla.storage.get('cookies-consent') ?? null),
    );
  });
  await page.click('#cookie-bar [data-cookies="accepted"]');
  await expect(bar).toBeHidden();
  expect(await page.evaluate(() => (window as unknown as { __seen: unknown[] }).__seen)).toEqual([null]);
  expect(
    await page.evaluate(() => (window as unknown as SallaWin).Salla.storage.get('cookies-consent')),
  ).toBe('accepted');
  await collector.waitForCount(key, 1);

  // A choice is stored: no bar on the next page.
  await page.goto(`/cart?wk=${key}&wv=0&fi=100&cookies=1`);
  await storefrontReady(page);
  await expect
    .poll(async () => (await collector.events(key)).events.map((l) => label(l.event)))
    .toContain('page:cart');
  await expect(bar).toBeHidden();
});
