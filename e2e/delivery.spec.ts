// Delivery on the demo storefront with the real Twilight SDK and the built tracker.js: the collector
// counts what arrives, by messageId, across navigation, close, outage, offline and several tabs.
import type { Page } from '@playwright/test';
import { test, expect, type Collector, type CollectorReport } from './fixtures';

type Win = Window & {
  twilightTracker: {
    track(name: string, p?: object): void;
    register(fn: (events: Array<{ messageId: string; event?: string }>) => unknown, o?: object): void;
    stats(): { queued: number; retried: number };
  };
  __got?: string[];
};

/** The tracker is installed and the SDK's consent is settled (the page event reached the collector). */
async function ready(page: Page, collector: Collector, wk: string, pages = 1) {
  await page.waitForFunction(() => typeof (window as unknown as Win).twilightTracker?.track === 'function');
  await expect
    .poll(async () => (await collector.events(wk)).events.filter((l) => l.event.type === 'page').length)
    .toBeGreaterThanOrEqual(pages);
}

/** Track `n` events named `name` with `{i}` in one synchronous burst. */
const burst = (page: Page, name: string, n: number, from = 0) =>
  page.evaluate(
    ([name, n, from]) => {
      for (let i = from; i < from + n; i++) (window as unknown as Win).twilightTracker.track(name, { i });
    },
    [name, n, from] as const,
  );

/** Nothing left queued in the page's tracker (so nothing more will arrive from it). */
const settled = (page: Page) =>
  page.waitForFunction(() => (window as unknown as Win).twilightTracker.stats().queued === 0, undefined, {
    timeout: 45_000,
  });

/** Every messageId received once, and the `i`s of events named `name`, sorted. */
function check(report: CollectorReport, name: string) {
  const ids = report.events.map((l) => l.event.messageId);
  expect(ids.length, 'no messageId received twice').toBe(new Set(ids).size);
  return report.events
    .filter((l) => l.event.type === 'track' && l.event.event === name)
    .map((l) => (l.event.properties as { i: number }).i)
    .sort((a, b) => a - b);
}
const range = (n: number) => Array.from({ length: n }, (_, i) => i);

test('50 events then an immediate navigation: all 50 arrive, once', async ({ page, collector, wk }) => {
  const key = wk();
  await page.goto(`/?wk=${key}&bs=100`); // no count flush: all 50 are queued when the page goes
  await ready(page, collector, key);
  await burst(page, 'E2E Nav', 50);
  await page.goto(`/cart?wk=${key}`);
  await ready(page, collector, key, 2);
  await settled(page);
  const report = await collector.waitForCount(key, 52);
  expect(check(report, 'E2E Nav')).toEqual(range(50));
  const transports = new Set((await collector.requests(key)).map((r) => r.transport));
  expect(transports.has('beacon'), 'the unload flush went by sendBeacon').toBe(true);
});

test('50 events then the page is closed: all 50 arrive, once', async ({ context, collector, wk }) => {
  const key = wk();
  const page = await context.newPage();
  await page.goto(`/?wk=${key}`);
  await ready(page, collector, key);
  await burst(page, 'E2E Close', 50);
  await page.close();
  const report = await collector.waitForCount(key, 51);
  expect(check(report, 'E2E Close')).toEqual(range(50));
  // A later visit finds nothing left to send.
  const next = await context.newPage();
  await next.goto(`/?wk=${key}`);
  await ready(next, collector, key, 2);
  await settled(next);
  expect(check(await collector.events(key), 'E2E Close')).toEqual(range(50));
});

test('endpoint answering 503 for 10 s: every event arrives once when it is back', async ({
  page,
  collector,
  wk,
}) => {
  test.setTimeout(120_000);
  const key = wk();
  await collector.control(key, 503, { forMs: 10_000 });
  await page.goto(`/?wk=${key}&fi=500`);
  await page.waitForFunction(() => typeof (window as unknown as Win).twilightTracker?.track === 'function');
  await burst(page, 'E2E Outage', 25);
  await page.waitForTimeout(1000);
  await burst(page, 'E2E Outage', 25, 25);
  // Backoff 1, 2, 4, 8, 16 s (±25 %): the try after the outage comes within ~35 s even if one more fails.
  await collector.waitForCount(key, 51, { timeout: 70_000 });
  await settled(page);
  expect(check(await collector.events(key), 'E2E Outage')).toEqual(range(50));
  const statuses = (await collector.requests(key)).map((r) => r.status);
  expect(statuses.filter((s) => s === 503).length, 'the outage was seen').toBeGreaterThan(1);
});

test('offline then online: every event arrives once', async ({ page, context, collector, wk }) => {
  const key = wk();
  await page.goto(`/?wk=${key}&fi=300`);
  await ready(page, collector, key);
  await context.setOffline(true);
  await burst(page, 'E2E Offline', 30);
  await page.waitForFunction(() => (window as unknown as Win).twilightTracker.stats().retried > 0);
  await context.setOffline(false);
  await collector.waitForCount(key, 31);
  await settled(page);
  expect(check(await collector.events(key), 'E2E Offline')).toEqual(range(30));
});

test('three tabs tracking and navigating during an outage: no event twice, none missing', async ({
  context,
  collector,
  wk,
}) => {
  test.setTimeout(90_000);
  const key = wk();
  await collector.control(key, 503);
  const tabs = await Promise.all([0, 1, 2].map(() => context.newPage()));
  await Promise.all(tabs.map((p) => p.goto(`/?wk=${key}&fi=300`)));
  await Promise.all(
    tabs.map((p) =>
      p.waitForFunction(() => typeof (window as unknown as Win).twilightTracker?.track === 'function'),
    ),
  );
  await Promise.all(tabs.map((p, t) => burst(p, 'E2E Tabs', 10, t * 100)));
  // Every tab has seen the endpoint fail, so it keeps its queue in storage at pagehide.
  await Promise.all(
    tabs.map((p) => p.waitForFunction(() => (window as unknown as Win).twilightTracker.stats().retried > 0)),
  );
  // All three navigate at once: each new page adopts orphaned queues; each queue must go to one page only.
  await Promise.all(tabs.map((p) => p.goto(`/cart?wk=${key}&fi=300`)));
  await Promise.all(
    tabs.map((p) =>
      p.waitForFunction(() => typeof (window as unknown as Win).twilightTracker?.track === 'function'),
    ),
  );
  await Promise.all(tabs.map((p, t) => burst(p, 'E2E Tabs', 10, t * 100 + 10)));
  await collector.control(key, 200);
  const expected = [0, 1, 2].flatMap((t) => range(20).map((i) => t * 100 + i));
  await expect
    .poll(async () => check(await collector.events(key), 'E2E Tabs').length, { timeout: 45_000 })
    .toBe(60);
  await Promise.all(tabs.map(settled));
  expect(check(await collector.events(key), 'E2E Tabs')).toEqual(expected);
});

test('a throwing and a never-resolving callback do not stop a healthy one', async ({
  page,
  collector,
  wk,
}) => {
  const key = wk();
  await page.goto(`/?wk=${key}&fi=300`);
  await ready(page, collector, key);
  await page.evaluate(() => {
    const w = window as unknown as Win;
    w.__got = [];
    w.twilightTracker.register(
      () => {
        throw new Error('callback boom');
      },
      { name: 'throws', replay: false },
    );
    w.twilightTracker.register(() => new Promise(() => undefined), { name: 'hangs', replay: false });
    w.twilightTracker.register(
      (events) => void events.forEach((e) => w.__got?.push(e.event + ':' + e.messageId)),
      {
        name: 'healthy',
        replay: false,
      },
    );
  });
  for (let round = 0; round < 5; round++) {
    await burst(page, 'E2E Callback', 10, round * 10);
    await page.waitForTimeout(150);
  }
  const got = () => page.evaluate(() => (window as unknown as Win).__got || []);
  await expect.poll(async () => (await got()).filter((s) => s.startsWith('E2E Callback:')).length).toBe(50);
  const mine = (await got()).filter((s) => s.startsWith('E2E Callback:'));
  expect(new Set(mine).size).toBe(50);
  const report = await collector.waitForCount(key, 51);
  const endpointIds = report.events
    .filter((l) => l.event.type === 'track' && l.event.event === 'E2E Callback')
    .map((l) => 'E2E Callback:' + l.event.messageId);
  expect(mine.sort()).toEqual(endpointIds.sort());
});
