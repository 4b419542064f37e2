/**
 * Issue 14, "Done when": the channels a store loads the tracker through, on the demo storefront with
 * the real SDK and the cross-origin collector.
 * 1. The generated App Snippet (no attributes), configured only by the store's app settings.
 * 2. The SDK arriving after the tracker, from @salla.sa/twilight-components' module build.
 * 3. The tracker loaded twice on one page (the snippet AND a theme tag, ?channel=both).
 * 4. The configuration order: queued defaults < app settings < data-* attributes < queued init.
 * 5. Loading order: the snippet before `window.salla` exists, and a page with no SDK at all.
 *
 * Pages load with `wv=0` (no Web Vitals: they arrive at times the test does not control).
 */
import type { Page } from '@playwright/test';
import type { TrackerEvent } from '../src/schema';
import {
  test,
  expect,
  label,
  storefrontReady,
  type CollectedLine,
  type Collector,
  type CollectorRequest,
} from './fixtures';
import { ISO, addItem, cartTotalsAfterAdd, product101x2, standardVisit } from './expected';

/** How the collector's request log names the library's own validator. */
const VALIDATOR = 'dist/index.mjs';

interface Body {
  batch: TrackerEvent[];
  sentAt: string;
  writeKey?: string;
}

/** A request in the collector's log, with the fields this file reads beyond the fixture's type. */
type Logged = CollectorRequest & { url: string; validator?: string };

type Win = Window & {
  Salla?: unknown;
  twilightTracker: unknown[] & {
    track(name: string, props?: object): void;
    page(props?: object): void;
    push(...c: unknown[]): number;
  };
  __sdkAtInstall?: string;
};

/**
 * Every tracker batch the page sends (a POST whose body is `{batch: […]}`, fetch or beacon), wherever
 * it goes, in order: a batch sent to a default or wrong endpoint shows up here too.
 */
function recordBatches(page: Page) {
  const sent: Array<{ url: string; body: Body }> = [];
  page.on('request', (r) => {
    if (r.method() !== 'POST') return;
    let body: unknown;
    try {
      body = JSON.parse(r.postData() || 'null');
    } catch {
      return;
    }
    if (body && typeof body === 'object' && Array.isArray((body as Body).batch))
      sent.push({ url: r.url(), body: body as Body });
  });
  return sent;
}

/** The collector's whole request log (every writeKey, both ports). */
async function fullLog(collectorOrigin: string): Promise<Logged[]> {
  const res = await fetch(`${collectorOrigin}/collector/requests.json`);
  return ((await res.json()) as { requests: Logged[] }).requests;
}

/** What to compare across channels: the name and the key properties (no ids that differ per visit). */
function keyFacts(e: TrackerEvent) {
  const p = e.properties as Record<string, unknown>;
  const pick = (o: Record<string, unknown>, keys: string[]) =>
    Object.fromEntries(keys.filter((k) => o[k] !== undefined).map((k) => [k, o[k]]));
  const keys = ['slug', 'path', 'product_id', 'sku', 'name', 'price', 'quantity', 'currency', 'value'];
  const products = Array.isArray(p.products)
    ? (p.products as Record<string, unknown>[]).map((x) => pick(x, ['product_id', 'price', 'quantity']))
    : undefined;
  return {
    label: label(e),
    properties: { ...pick(p, [...keys, 'revenue', 'tax', 'shipping', 'discount']), products },
    store: e.context.store,
    page: e.context.page && { slug: e.context.page.slug, path: e.context.page.path },
  };
}

/** Counts of each label. */
const countLabels = (lines: CollectedLine[]) => {
  const out: Record<string, number> = {};
  for (const l of lines) out[label(l.event)] = (out[label(l.event)] || 0) + 1;
  return out;
};

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

test('1. the generated App Snippet, no attributes: the app settings endpoint and write key get the exact batches', async ({
  page,
  collector,
  wk,
  server,
}) => {
  const key = wk();
  const startedAt = new Date().toISOString();
  const q = `wk=${key}&wv=0&fi=100&channel=snippet`;
  const sent = recordBatches(page);
  await page.goto(`/?${q}`);
  await storefrontReady(page);

  // The premise: the tracker is the snippet alone, a plain tag (src only), nothing baked in but webVitals.
  expect(
    await page.evaluate(() =>
      Array.from(document.scripts)
        .filter((s) => /tracker|snippet/.test(s.src))
        .map((s) => Array.from(s.attributes, (a) => `${a.name}=${a.value}`)),
    ),
  ).toEqual([['src=/assets/snippet.js']]);
  const snippet = await (await fetch(`${server.origin}/assets/snippet.js`)).text();
  expect(snippet.split('\n')[1]).toBe(
    '(window.twilightTracker=window.twilightTracker||[]).push(["defaults",{"webVitals":false}]);',
  );
  expect(snippet.includes(server.collectorOrigin), 'the snippet names the collector').toBe(false);
  expect(snippet.includes(key), 'the snippet names the write key').toBe(false);
  const nav = await page.evaluate(() => ({ ua: navigator.userAgent, lang: navigator.language }));

  await collector.waitForCount(key, 1);
  const cartId = await addItem(page, 101, 2);
  const report = await collector.waitForCount(key, 3);
  await expect.poll(() => sent.length).toBeGreaterThanOrEqual(2);

  // The page event, then Product Added of 2 × product 101 and the Cart Updated of the same action
  // (the cart after the add: 2 × 68 SAR, 15 SAR shipping, 15% VAT included; e2e/expected.ts).
  const { pageEvent, productAdded, cartUpdated } = standardVisit(server.origin, q, nav, cartId);

  // Every batch the page sent went to the app setting's endpoint, with the app setting's write key.
  const endpoint = `${server.collectorOrigin}/collect`;
  expect(sent.map((s) => s.url)).toEqual([endpoint, endpoint]);
  expect(sent.map((s) => s.body)).toEqual([
    { batch: [pageEvent], sentAt: expect.stringMatching(ISO), writeKey: key },
    { batch: [productAdded, cartUpdated], sentAt: expect.stringMatching(ISO), writeKey: key },
  ]);
  expect(report.events.map((l) => [l.valid, l.problems, l.event])).toEqual(
    [...sent[0]!.body.batch, ...sent[1]!.body.batch].map((e) => [true, [], e]),
  );
  expect(new Set(report.events.map((l) => l.event.messageId)).size).toBe(3);

  // The collector's log: two POSTs on its own port, checked by the library's validator.
  const mine = (await collector.requests(key)) as Logged[];
  expect(mine.map((r) => [r.method, r.listener, r.url, r.status, r.count, r.invalid, r.validator])).toEqual([
    ['POST', 'collector', '/collect', 200, 1, 0, VALIDATOR],
    ['POST', 'collector', '/collect', 200, 2, 0, VALIDATOR],
  ]);
  // Nothing reached the collector (either port) under another key since this test began, other tests'
  // keys aside: no batch without a write key, no default key, nothing on the storefront's /collect.
  const others = (await fullLog(server.collectorOrigin)).filter(
    (r) => r.at >= startedAt && r.writeKey !== key && !/^e2e-/.test(r.writeKey),
  );
  expect(others).toEqual([]);
});

test('2. the SDK from the components module build after the tracker: the same events as the classic SDK', async ({
  page,
  context,
  collector,
  wk,
}) => {
  /** One visit: load, wait for the page event, add 2 × product 101; the events the collector got. */
  async function visit(path: string, key: string) {
    await context.clearCookies(); // a new shopper: an empty cart
    await page.goto(path);
    await storefrontReady(page);
    await collector.waitForCount(key, 1);
    await addItem(page, 101, 2);
    await collector.waitForCount(key, 3);
    await sleep(300); // nothing more (a second copy of an event) arrives
    return collector.events(key);
  }

  const classicKey = wk();
  const classic = await visit(`/?wk=${classicKey}&wv=0&fi=100`, classicKey);
  expect(
    await page.evaluate(() => Array.from(document.scripts, (s) => s.src.replace(location.origin, ''))),
  ).toContain('/assets/twilight.min.js');

  const moduleKey = wk();
  // When the module defines the SDK (`salla::created`), the tracker is already installed.
  await page.addInitScript(() => {
    const w = window as unknown as { __atCreated?: string; twilightTracker?: { track?: unknown } };
    window.addEventListener('salla::created', () => {
      w.__atCreated = typeof w.twilightTracker?.track;
    });
  });
  const mod = await visit(`/?wk=${moduleKey}&wv=0&fi=100&sdk=module`, moduleKey);
  expect(await page.evaluate(() => (window as unknown as { __atCreated?: string }).__atCreated)).toBe(
    'function',
  );
  const srcs = await page.evaluate(() =>
    Array.from(document.scripts, (s) => (s.type === 'module' ? 'module:' : '') + s.src),
  );
  expect(srcs.filter((s) => s.includes('twilight.min.js'))).toEqual([]);
  expect(
    srcs.some((s) => s.startsWith('module:') && s.endsWith('/assets/twilight-components/twilight.esm.js')),
  ).toBe(true);

  const facts = (r: { events: CollectedLine[] }) => r.events.map((l) => keyFacts(l.event));
  // The standard add's key facts (e2e/expected.ts): 2 × product 101, and the cart after it.
  const expected = [
    {
      label: 'page:index',
      properties: { slug: 'index', path: '/' },
      store: { id: '1001', currency: 'SAR' },
      page: { slug: 'index', path: '/' },
    },
    {
      label: 'Product Added',
      properties: product101x2(),
      store: { id: '1001', currency: 'SAR' },
      page: { slug: 'index', path: '/' },
    },
    {
      label: 'Cart Updated',
      properties: { ...cartTotalsAfterAdd(), products: [{ product_id: '101', price: 68, quantity: 2 }] },
      store: { id: '1001', currency: 'SAR' },
      page: { slug: 'index', path: '/' },
    },
  ];
  expect(facts(classic)).toEqual(expected);
  // The module page: the same list, and its events carry the store facts the SDK gave.
  expect(facts(mod)).toEqual(facts(classic));
  for (const r of [classic, mod]) {
    expect(r.invalid).toBe(0);
    expect(new Set(r.events.map((l) => l.event.messageId)).size).toBe(r.events.length);
  }
});

test('3. the tracker loaded twice (App Snippet AND theme tag): every event arrives once', async ({
  page,
  context,
  collector,
  wk,
  server,
}) => {
  const warnings: string[] = [];
  page.on('console', (m) => {
    if (m.type() === 'warning' && m.text().startsWith('twilight-tracker')) warnings.push(m.text());
  });
  // ?channel=both: the theme tag async (races the snippet), and with ?sdk=module a classic tag first.
  for (const extra of ['', '&sdk=module']) {
    const key = wk();
    await context.clearCookies();
    warnings.length = 0;
    const sent = recordBatches(page);
    const q = `wk=${key}&wv=0&fi=100&channel=both${extra}`;
    await page.goto(`/?${q}`);
    await storefrontReady(page);
    // The premise: both copies are on the page and both were fetched (so both ran).
    const loaded = await page.evaluate(() => ({
      tags: Array.from(document.scripts)
        .map((s) => s.getAttribute('src') || '')
        .filter((s) => /tracker\.js|snippet\.js/.test(s)),
      fetched: performance
        .getEntriesByType('resource')
        .map((e) => new URL(e.name).pathname)
        .filter((p) => /tracker\.js|snippet\.js/.test(p)),
    }));
    expect(loaded.tags).toEqual(['/assets/tracker.js', '/assets/snippet.js']);
    expect([...loaded.fetched].sort()).toEqual(['/assets/snippet.js', '/assets/tracker.js']);
    expect(await page.evaluate(() => typeof (window as unknown as Win).twilightTracker.track)).toBe(
      'function',
    );
    await collector.waitForCount(key, 1);
    await addItem(page, 101, 1);
    await collector.waitForCount(key, 3);
    // Leave the page: every tracker on it sends what it holds on pagehide. Then the next page's own events.
    await page.goto(`/cart?${q}`);
    await storefrontReady(page);
    await collector.waitForCount(key, 5);
    await sleep(600); // a second copy of any event (100 ms flush interval) would be here by now
    const report = await collector.events(key);
    expect(countLabels(report.events)).toEqual({
      'page:index': 1,
      'Product Added': 1,
      'Cart Updated': 1,
      'Cart Viewed': 1,
      'page:cart': 1,
    });
    expect(new Set(report.events.map((l) => l.event.messageId)).size).toBe(report.events.length);
    expect(report.invalid).toBe(0);
    // Each batch was sent once, to the one endpoint.
    expect(new Set(sent.map((s) => s.url))).toEqual(new Set([`${server.collectorOrigin}/collect`]));
    expect(sent.flatMap((s) => s.body.batch).length).toBe(report.events.length);
    // The second copy stays silent: whichever ran first, nothing warns (E4) about the other's queue.
    expect(warnings).toEqual([]);
  }
});

test('4. the configuration order: queued defaults < app settings < data-* attributes < queued init', async ({
  page,
  context,
  collector,
  wk,
  server,
}) => {
  const app = wk();
  const data = wk();
  const init = wk();
  // (a) The theme tag (data-endpoint, data-write-key, data-batch-size=3, no data-flush-interval) on a
  // store whose app settings set all four, and an `init` queued before load that sets the write key.
  await page.addInitScript(
    ({ endpoint, app, init }) => {
      const w = window as unknown as { twilightTracker?: unknown[] };
      // Only on this test's theme-tag page (?channel absent).
      if (/channel=/.test(location.search)) return;
      w.twilightTracker = [['init', { writeKey: init }]];
      window.addEventListener('demo:before-init', (e) => {
        (e as CustomEvent<{ config: { app?: object } }>).detail.config.app = {
          tracker_endpoint: endpoint + '?from=app',
          tracker_write_key: app,
          tracker_batch_size: 1,
          tracker_flush_interval: 60000,
        };
      });
    },
    { endpoint: `${server.collectorOrigin}/collect`, app, init },
  );
  await page.goto(`/?wk=${data}&wv=0&bs=3`);
  await storefrontReady(page);
  expect(await page.getAttribute('script[src="/assets/tracker.js"]', 'data-batch-size')).toBe('3');
  expect(await page.getAttribute('script[src="/assets/tracker.js"]', 'data-flush-interval')).toBeNull();
  expect(
    await page.evaluate(() =>
      (window as unknown as { Salla: { config: { get(k: string): unknown } } }).Salla.config.get(
        'app.tracker_batch_size',
      ),
    ),
  ).toBe(1);
  // The page event waits: the flush interval is the app's 60 s (not the default 2 s), the batch size 3.
  await sleep(3000);
  for (const k of [app, data, init]) expect(await collector.requests(k)).toEqual([]);
  await addItem(page, 101, 1);
  await collector.waitForCount(init, 3);
  await sleep(500);
  // One batch of three (data-batch-size over the app's 1), to data-endpoint (not the app's URL), with
  // the init write key (over data-write-key and the app's).
  const got = (await collector.requests(init)) as Logged[];
  expect(got.map((r) => [r.url, r.listener, r.status, r.count])).toEqual([['/collect', 'collector', 200, 3]]);
  expect((await collector.events(init)).events.map((l) => label(l.event))).toEqual([
    'page:index',
    'Product Added',
    'Cart Updated',
  ]);
  for (const k of [app, data]) expect(await collector.requests(k)).toEqual([]);

  // (b) The App Snippet with defaults queued before it (endpoint, write key, batch size 3, flush 60 s):
  // the app settings (endpoint, write key) win; what they leave unset comes from the defaults.
  const appKey = wk();
  const defaultsKey = wk();
  await context.clearCookies();
  await page.addInitScript(
    ({ endpoint, key }) => {
      if (!/channel=snippet/.test(location.search)) return;
      (window as unknown as { twilightTracker: unknown[] }).twilightTracker = [
        [
          'defaults',
          { endpoint: endpoint + '?from=defaults', writeKey: key, batchSize: 3, flushInterval: 60000 },
        ],
      ];
    },
    { endpoint: `${server.collectorOrigin}/collect`, key: defaultsKey },
  );
  await page.goto(`/?wk=${appKey}&wv=0&channel=snippet`);
  await storefrontReady(page);
  await sleep(3000);
  for (const k of [appKey, defaultsKey]) expect(await collector.requests(k)).toEqual([]);
  await addItem(page, 101, 1);
  await collector.waitForCount(appKey, 3);
  await sleep(500);
  const snip = (await collector.requests(appKey)) as Logged[];
  expect(snip.map((r) => [r.url, r.listener, r.status, r.count])).toEqual([
    ['/collect', 'collector', 200, 3],
  ]);
  expect(await collector.requests(defaultsKey)).toEqual([]);
});

/** Queued before the snippet loads: a custom event, and a probe of whether the SDK existed at install. */
function queueBeforeSnippet() {
  if (location.pathname.startsWith('/lab/')) return;
  const w = window as unknown as { twilightTracker: unknown[]; Salla?: unknown; salla?: unknown };
  w.twilightTracker = [
    ['track', 'Early Bird', { step: 1 }],
    () => {
      (window as unknown as Win).__sdkAtInstall = typeof (w.Salla || w.salla);
    },
  ];
}

/**
 * The App Snippet on `/?…&channel=snippet&<variant>`, where it runs before the SDK exists: the event
 * queued before it (`queueBeforeSnippet`, added to the page's init scripts here), the page event and a
 * real add to cart all reach the app settings' endpoint.
 */
async function snippetBeforeSdk(
  { page, collector, collectorOrigin }: { page: Page; collector: Collector; collectorOrigin: string },
  key: string,
  variant: string,
  premise?: () => Promise<void>,
) {
  await page.addInitScript(queueBeforeSnippet);
  await page.context().clearCookies();
  const sent = recordBatches(page);
  await page.goto(`/?wk=${key}&wv=0&fi=100&channel=snippet&${variant}`);
  await storefrontReady(page);
  expect(await page.evaluate(() => (window as unknown as Win).__sdkAtInstall), variant).toBe('undefined');
  await premise?.();
  await collector.waitForCount(key, 2);
  await addItem(page, 102, 1);
  const report = await collector.waitForCount(key, 4);
  await sleep(300);
  const events = (await collector.events(key)).events;
  expect(
    events.map((l) => label(l.event)),
    variant,
  ).toEqual(['Early Bird', 'page:index', 'Product Added', 'Cart Updated']);
  expect(report.invalid).toBe(0);
  expect(events[0]!.event.properties).toEqual({ step: 1 });
  expect(events[2]!.event.properties).toMatchObject({ product_id: '102', quantity: 1, currency: 'SAR' });
  for (const l of events.slice(1)) expect(l.event.context.store).toEqual({ id: '1001', currency: 'SAR' });
  // The early event waited for the app settings: every batch went to their endpoint, with their key.
  expect(sent.map((s) => [s.url, s.body.writeKey])).toEqual(
    sent.map(() => [`${collectorOrigin}/collect`, key]),
  );
  expect(((await collector.requests(key)) as Logged[]).every((r) => r.listener === 'collector')).toBe(true);
}

test('5. loading order: the snippet before window.salla exists, and no SDK on the page at all', async ({
  page,
  collector,
  wk,
  server,
}) => {
  // (a) ?sdk=module: the module script that defines the SDK runs after every classic script, the
  // snippet included (and before the page's load event).
  await snippetBeforeSdk({ page, collector, collectorOrigin: server.collectorOrigin }, wk(), 'sdk=module');

  // (b) No SDK at all: /lab/tracker (tracker.js, no attributes), configured by an `init` queued before load.
  const key = wk();
  await page.addInitScript(
    ({ endpoint, key }) => {
      if (!location.pathname.startsWith('/lab/')) return;
      (window as unknown as { twilightTracker: unknown[] }).twilightTracker = [
        ['init', { endpoint, writeKey: key, webVitals: false, flushInterval: 100 }],
        ['track', 'Queued Before Load', { n: 1 }],
      ];
    },
    { endpoint: `${server.collectorOrigin}/collect`, key },
  );
  await page.goto('/lab/tracker');
  expect(await page.evaluate(() => typeof (window as unknown as Win).Salla)).toBe('undefined');
  await page.evaluate(() => {
    const t = (window as unknown as Win).twilightTracker;
    t.track('Lab Custom', { n: 2 });
    t.page();
  });
  const report = await collector.waitForCount(key, 3);
  await sleep(1500); // past the "no SDK" decision (1 s after load): nothing else, nothing twice
  const events = (await collector.events(key)).events;
  expect(events.map((l) => [l.valid, l.event.type, label(l.event)])).toEqual([
    [true, 'track', 'Queued Before Load'],
    [true, 'track', 'Lab Custom'],
    [true, 'page', 'page:page'],
  ]);
  expect(events[1]!.event.properties).toEqual({ n: 2 });
  expect(events[2]!.event.properties).toMatchObject({ path: '/lab/tracker', title: 'Lab' });
  expect(report.invalid).toBe(0);
});

test('5. loading order: the SDK more than a second after the load event still configures the snippet', async ({
  page,
  collector,
  wk,
  server,
}) => {
  // This was a defect: the no-SDK settle a second after load was final, so the SDK's app settings
  // (the snippet's endpoint and write key) were ignored and nothing was sent. Now they still apply.
  // boot.js loads the SDK 4 s after it ran: the page's load event comes first, by far.
  await snippetBeforeSdk(
    { page, collector, collectorOrigin: server.collectorOrigin },
    wk(),
    'sdk=late&sdkDelay=4000',
    async () => {
      const t = await page.evaluate(() => ({
        load: performance.getEntriesByType('navigation')[0]!.toJSON().loadEventEnd as number,
        sdk:
          performance.getEntriesByType('resource').find((e) => e.name.endsWith('/assets/twilight.min.js'))
            ?.startTime ?? -1,
      }));
      test.info().annotations.push({ type: 'timing', description: JSON.stringify(t) });
      expect(t.load).toBeGreaterThan(0);
      expect(t.sdk - t.load).toBeGreaterThan(1000);
    },
  );
});
