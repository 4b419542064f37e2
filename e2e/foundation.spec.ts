/**
 * Issue 2, "Done when": the built dist/tracker.js and the real @salla.sa/twilight UMD bundle, both
 * from <script> tags on the demo storefront served from 127.0.0.1; a real `salla.cart.addItem(...)`
 * against the demo's local store API; the exact batches the endpoint receives and the exact events
 * callbacks receive (one pushed onto `window.twilightTracker` before the script loaded).
 *
 * Pages load with `wv=0` (no Web Vitals: they arrive at times the test does not control) and
 * `fi=100` (flush 100 ms after the first queued event).
 */
import type { Request } from '@playwright/test';
import type { TrackerEvent } from '../src/schema';
import { test, expect, label, storefrontReady } from './fixtures';
import { ISO, standardVisit, version } from './expected';

interface Body {
  batch: TrackerEvent[];
  sentAt: string;
  writeKey?: string;
}

/** Records the endpoint's POST bodies (parsed) and request headers, in order. */
function recordBatches(page: import('@playwright/test').Page) {
  const posts: Array<{ body: Body; headers: Record<string, string> }> = [];
  page.on('request', (r: Request) => {
    if (r.method() === 'POST' && new URL(r.url()).pathname === '/collect') {
      posts.push({ body: JSON.parse(r.postData() || 'null') as Body, headers: r.headers() });
    }
  });
  return posts;
}

/** Runs before any page script: a batch callback queued the documented way, before tracker.js exists. */
function queueRecordingCallback() {
  const w = window as unknown as { twilightTracker?: unknown[]; __batches: unknown[] };
  w.__batches = [];
  w.twilightTracker = w.twilightTracker || [];
  w.twilightTracker.push([
    'register',
    (events: unknown[]) => {
      w.__batches.push(JSON.parse(JSON.stringify(events)));
    },
    { name: 'recorder' },
  ]);
}

test('script tags: the exact batches at the endpoint and at callbacks, text/plain, no preflight', async ({
  page,
  collector,
  wk,
  server,
}) => {
  const key = wk();
  const q = `wk=${key}&wv=0&fi=100`;
  await page.addInitScript(queueRecordingCallback);
  const posts = recordBatches(page);
  // Every OPTIONS the collector gets, on either port, whatever its path or writeKey (a preflight has
  // no body to tell whose it is; this worker runs one test at a time, so any new one is this test's).
  const preflightsBefore = (await collector.preflights()).count;
  await page.goto(`/?${q}`);
  await storefrontReady(page);

  // Both scripts really are the files under test, from 127.0.0.1.
  const scripts = await page.evaluate(() => Array.from(document.scripts, (s) => s.src).filter(Boolean));
  expect(scripts).toEqual(
    expect.arrayContaining([`${server.origin}/assets/twilight.min.js`, `${server.origin}/assets/tracker.js`]),
  );
  const nav = await page.evaluate(() => ({ ua: navigator.userAgent, lang: navigator.language }));

  // A Salla-compatible tracker object registered after load (history is replayed to it).
  await page.evaluate(() => {
    const w = window as unknown as { twilightTracker: { push(c: unknown[]): void }; __salla: unknown[] };
    w.__salla = [];
    const copy = (v: unknown) => JSON.parse(JSON.stringify(v));
    w.twilightTracker.push([
      'register',
      {
        name: 'salla-like',
        track: (name: string, props: unknown, e: unknown) =>
          void w.__salla.push(['track', name, copy(props), copy(e)]),
        page: (props: unknown, e: unknown) => void w.__salla.push(['page', copy(props), copy(e)]),
      },
    ]);
  });

  await collector.waitForCount(key, 1);
  // The real SDK call, against the demo's store API.
  const cartId = await page.evaluate(() =>
    (
      window as unknown as {
        salla: { cart: { addItem(p: object): Promise<{ data: { cart: { id: number } } }> } };
      }
    ).salla.cart
      .addItem({ id: 101, quantity: 2 })
      .then((r) => String(r.data.cart.id)),
  );
  const report = await collector.waitForCount(key, 3);
  // The collector runs in this process: it can count a POST before Playwright's `request` event for it arrives.
  await expect.poll(() => posts.length).toBeGreaterThanOrEqual(2);

  // The page event, then Product Added of 2 × product 101 and the Cart Updated of the same action
  // (the cart after the add: 2 × 68 SAR, 15 SAR shipping, 15% VAT included; e2e/expected.ts).
  const { pageEvent, productAdded, cartUpdated } = standardVisit(server.origin, q, nav, cartId);

  // The endpoint: two POSTs, each exactly one batch body.
  expect(posts.map((p) => p.body)).toEqual([
    { batch: [pageEvent], sentAt: expect.stringMatching(ISO), writeKey: key },
    { batch: [productAdded, cartUpdated], sentAt: expect.stringMatching(ISO), writeKey: key },
  ]);
  const [first, second] = posts.map((p) => p.body) as [Body, Body];
  const [pe, pa, cu] = [first.batch[0], second.batch[0], second.batch[1]] as [
    TrackerEvent,
    TrackerEvent,
    TrackerEvent,
  ];
  const all = [pe, pa, cu];
  expect(new Set(all.map((e) => e.anonymousId)).size).toBe(1);
  expect(new Set(all.map((e) => e.context.session_id)).size).toBe(1);
  expect(new Set(all.map((e) => e.messageId)).size).toBe(3);
  for (const b of [first, second]) {
    for (const e of b.batch) expect(Date.parse(e.timestamp)).toBeLessThanOrEqual(Date.parse(b.sentAt));
  }
  expect(Date.parse(pe.timestamp)).toBeLessThanOrEqual(Date.parse(pa.timestamp));
  expect(Date.parse(pa.timestamp)).toBeLessThanOrEqual(Date.parse(cu.timestamp));

  // Cross-origin (the page's default endpoint is the collector's own port), and still no preflight:
  // a CORS-simple request (text/plain, no custom header). A JSON body would be preflighted.
  const preflights = await collector.preflights();
  expect(
    preflights.preflights.slice(preflights.preflights.length - (preflights.count - preflightsBefore)),
    'OPTIONS requests the collector received during this test',
  ).toEqual([]);
  expect(preflights.count - preflightsBefore).toBe(0);
  for (const p of posts) expect(p.headers['content-type']).toBe('text/plain;charset=UTF-8');
  expect(report.requests).toBe(2);
  const requests = await collector.requests(key);
  expect(requests.map((r) => [r.method, r.listener, r.origin, r.contentType, r.status, r.count])).toEqual([
    ['POST', 'collector', server.origin, 'text/plain;charset=UTF-8', 200, 1],
    ['POST', 'collector', server.origin, 'text/plain;charset=UTF-8', 200, 2],
  ]);

  // The collector stored exactly those events, and its schema validation passed.
  expect(report.events.map((l) => [l.valid, l.problems, l.event])).toEqual([
    [true, [], pe],
    [true, [], pa],
    [true, [], cu],
  ]);

  // The callback queued before the script loaded got the same events, in the same batches.
  await expect
    .poll(() => page.evaluate(() => (window as unknown as { __batches: unknown[] }).__batches.length))
    .toBe(2);
  expect(await page.evaluate(() => (window as unknown as { __batches: unknown[] }).__batches)).toEqual([
    [pe],
    [pa, cu],
  ]);

  // The Salla-compatible object: page() for the replayed page event, track() for Product Added.
  await expect
    .poll(() => page.evaluate(() => (window as unknown as { __salla: unknown[] }).__salla.length))
    .toBe(3);
  expect(await page.evaluate(() => (window as unknown as { __salla: unknown[] }).__salla)).toEqual([
    ['page', pe.properties, pe],
    ['track', 'Product Added', pa.properties, pa],
    ['track', 'Cart Updated', cu.properties, cu],
  ]);
});

test('loading tracker.js twice does not attach twice', async ({ page, collector, wk }) => {
  const key = wk();
  await page.goto(`/?wk=${key}&wv=0&fi=100`);
  await storefrontReady(page);
  await collector.waitForCount(key, 1);
  const before = await page.evaluate(() => {
    const w = window as unknown as {
      twilightTracker: unknown;
      __first: unknown;
      Salla: { event: { listenersAny(): unknown[] } };
    };
    w.__first = w.twilightTracker;
    return w.Salla.event.listenersAny().length;
  });

  // A second copy of the tag (batch size 1: a second tracker would send at once).
  await page.evaluate(
    (k) =>
      new Promise<void>((resolve, reject) => {
        const s = document.createElement('script');
        s.src = '/assets/tracker.js';
        s.setAttribute('data-endpoint', '/collect');
        s.setAttribute('data-write-key', k);
        s.setAttribute('data-batch-size', '1');
        s.onload = () => resolve();
        s.onerror = () => reject(new Error('second tracker.js did not load'));
        document.head.appendChild(s);
      }),
    key,
  );
  const after = await page.evaluate(() => {
    const w = window as unknown as {
      twilightTracker: unknown;
      __first: unknown;
      Salla: { event: { listenersAny(): unknown[] } };
    };
    return { same: w.twilightTracker === w.__first, listeners: w.Salla.event.listenersAny().length };
  });
  expect(after).toEqual({ same: true, listeners: before });

  await page.evaluate(() =>
    (window as unknown as { salla: { cart: { addItem(p: object): Promise<unknown> } } }).salla.cart.addItem({
      id: 102,
      quantity: 1,
    }),
  );
  await collector.waitForCount(key, 3);
  // Leave the page: every tracker on it sends what it holds on pagehide. Once the next page's own
  // events have arrived, anything a second tracker queued would have arrived too.
  await page.goto(`/cart?wk=${key}&wv=0&fi=100`);
  await storefrontReady(page);
  await expect
    .poll(async () => (await collector.events(key)).events.some((l) => label(l.event) === 'page:cart'))
    .toBe(true);
  const report = await collector.events(key);
  const names = report.events.map((l) => label(l.event));
  expect(names.filter((n) => n === 'Product Added')).toHaveLength(1);
  expect(names.filter((n) => n === 'page:index')).toHaveLength(1);
  expect(names.slice(0, 3)).toEqual(['page:index', 'Product Added', 'Cart Updated']);
  expect(new Set(report.events.map((l) => l.event.messageId)).size).toBe(report.events.length);
});

test('a tracker loaded before the SDK (?sdk=late) still sends the page and Product Added events', async ({
  page,
  collector,
  wk,
  server,
}) => {
  const key = wk();
  await page.goto(`/?wk=${key}&wv=0&fi=100&sdk=late&sdkDelay=300`);
  await storefrontReady(page);
  // The premise: tracker.js had run before the SDK bundle was even requested.
  const timing = await page.evaluate((origin) => {
    const at = (f: string) =>
      performance.getEntriesByName(`${origin}/assets/${f}`)[0] as PerformanceResourceTiming | undefined;
    return { tracker: at('tracker.js')?.responseEnd ?? -1, sdk: at('twilight.min.js')?.startTime ?? -1 };
  }, server.origin);
  expect(timing.tracker).toBeGreaterThan(0);
  expect(timing.sdk).toBeGreaterThan(timing.tracker);

  await page.evaluate(() =>
    (window as unknown as { salla: { cart: { addItem(p: object): Promise<unknown> } } }).salla.cart.addItem({
      id: 103,
      quantity: 1,
    }),
  );
  const report = await collector.waitForCount(key, 3);
  expect(report.events.map((l) => label(l.event))).toEqual(['page:index', 'Product Added', 'Cart Updated']);
  expect(report.events[1]?.event.properties).toMatchObject({
    product_id: '103',
    quantity: 1,
    price: 42,
    currency: 'SAR',
  });
  expect(report.invalid).toBe(0);
});

test('window.TwilightTracker exposes createTracker and version for pages that configure in code', async ({
  page,
  collector,
  wk,
}) => {
  const key = wk();
  const own = wk();
  await page.goto(`/?wk=${key}&wv=0&fi=100`);
  await storefrontReady(page);
  const facts = await page.evaluate(async (k) => {
    const w = window as unknown as {
      TwilightTracker: {
        createTracker(o: object): {
          track(n: string, p: object): void;
          flush(): Promise<void>;
          version: string;
        };
        version: string;
      };
      twilightTracker: { version: string };
      Salla: object;
    };
    const t = w.TwilightTracker.createTracker({
      sdk: w.Salla,
      endpoint: '/collect',
      writeKey: k,
      autoPage: false,
      webVitals: false,
    });
    t.track('Demo Custom', { answer: 42 });
    await t.flush();
    return {
      type: typeof w.TwilightTracker.createTracker,
      version: w.TwilightTracker.version,
      global: w.twilightTracker.version,
      own: t.version,
    };
  }, own);
  expect(facts).toEqual({ type: 'function', version, global: version, own: version });
  const report = await collector.waitForCount(own, 1);
  expect(report.events.map((l) => [l.valid, l.event.type, label(l.event), l.event.properties])).toEqual([
    [true, 'track', 'Demo Custom', { answer: 42 }],
  ]);
});
