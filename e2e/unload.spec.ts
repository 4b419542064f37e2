/**
 * Issue 12, case 1, as a new user meets it: a page creates the tracker in code with default options
 * (`TwilightTracker.createTracker({ endpoint, writeKey })`, the collector on another 127.0.0.1 port,
 * so cross-origin), tracks realistic Product Added events in one task, then leaves at once, in the
 * same task, for a page WITHOUT the tracker (nothing can be recovered there). Every event must
 * arrive, once. Variants: 20/50/120 events of ~1 KB, and 50 of ~300 B and ~3 KB; the page closed
 * instead of navigated. No SDK on the page: consent stays pending (the page has not loaded long
 * enough to decide), so nothing may be stored either: it all has to leave the page.
 */
import type { Page } from '@playwright/test';
import { test, expect, productProps, storefrontReady, type Collector } from './fixtures';
import { slowGateway } from './slowGateway';

type Win = Window & {
  TwilightTracker: {
    createTracker(o: object): {
      track(n: string, p: object): void;
      on(kind: 'dropped', h: (r: { events: { properties: { product_id: string } }[] }) => void): void;
    };
  };
};

/** On a page with tracker.js only: create the tracker in code, track `n` events, then `leave` in the same task. */
async function burst(
  page: Page,
  endpoint: string,
  writeKey: string,
  n: number,
  size: number,
  leave: 'navigate' | 'stay',
  options: object = {},
  /** Keep the product ids of every event reported dropped in `sessionStorage.dropped`, for the next page. */
  watchDropped = false,
) {
  await page.goto('/lab/tracker');
  await page.waitForFunction(
    () => typeof (window as unknown as Win).TwilightTracker?.createTracker === 'function',
  );
  const events = Array.from({ length: n }, (_, i) => productProps(i, size));
  await page.evaluate(
    ([endpoint, writeKey, events, leave, options, watchDropped]) => {
      const t = (window as unknown as Win).TwilightTracker.createTracker({ endpoint, writeKey, ...options });
      (window as unknown as { tracker: typeof t }).tracker = t;
      if (watchDropped) {
        sessionStorage.setItem('dropped', '[]');
        t.on('dropped', (r) => {
          const ids = r.events.map((e) => e.properties.product_id);
          sessionStorage.setItem('dropped', JSON.stringify([...JSON.parse(sessionStorage.dropped), ...ids]));
        });
      }
      for (const p of events as object[]) t.track('Product Added', p);
      if (leave === 'navigate') location.href = '/lab/plain';
    },
    [endpoint, writeKey, events, leave, options, watchDropped] as const,
  );
}

/** The next page with the tracker (consent granted): it sends what the last page stored. */
async function recover(page: Page, endpoint: string, writeKey: string) {
  await page.goto('/lab/tracker');
  await page.evaluate(
    ([endpoint, writeKey]) =>
      (window as unknown as Win).TwilightTracker.createTracker({ endpoint, writeKey, consent: 'granted' }),
    [endpoint, writeKey] as const,
  );
}

/** Every one of the `n` events arrived, none twice; returns the requests' transports. */
async function allOnce(collector: Collector, key: string, n: number, once = true) {
  const report = await collector.waitForCount(key, n, { timeout: 20_000 });
  const unique = async () => new Set((await collector.events(key)).events.map((l) => l.event.messageId)).size;
  if (!once) await expect.poll(unique, { timeout: 20_000 }).toBeGreaterThanOrEqual(n);
  // Anything late would show up too.
  await new Promise((r) => setTimeout(r, 500));
  let events = (await collector.events(key)).events.map((l) => l.event);
  const ids = events.map((e) => e.messageId);
  if (once) expect(ids.length, 'no event received twice').toBe(new Set(ids).size);
  // (else copies of one event, with its messageId, count once)
  events = events.filter((e, i) => ids.indexOf(e.messageId) === i);
  expect(events.map((e) => (e.properties as { product_id: string }).product_id).sort()).toEqual(
    Array.from({ length: n }, (_, i) => String(100000 + i)).sort(),
  );
  expect(report.invalid, 'every event valid').toBe(0);
  return report;
}

test.describe('unload: leave at once for a page without the tracker', () => {
  test('50 events of ~1 KB, created in code with default options: 50 of 50 arrive once, 5 times in a row', async ({
    page,
    collector,
    server,
    wk,
  }) => {
    test.setTimeout(180_000);
    for (let rep = 0; rep < 5; rep++) {
      const key = wk();
      await burst(page, server.collectorOrigin + '/collect', key, 50, 1000, 'navigate');
      await page.waitForURL('**/lab/plain');
      await allOnce(collector, key, 50);
    }
  });

  for (const [n, size] of [
    [20, 1000],
    [120, 1000],
    [50, 300],
    [50, 3000],
  ] as const)
    test(`${n} events of ~${size} B: all arrive once`, async ({ page, collector, server, wk }) => {
      test.setTimeout(90_000);
      const key = wk();
      await burst(page, server.collectorOrigin + '/collect', key, n, size, 'navigate');
      await page.waitForURL('**/lab/plain');
      await allOnce(collector, key, n);
    });

  // Safari and Firefox have no fetchLater: at pagehide what is left must go by beacon, within the
  // keepalive budget (in Chromium, fetchLater would carry it and hide a broken beacon path; here
  // 38 of 50 arrive without the beacons). A host page's own pagehide listener comes first, as on a
  // real store.
  test('50 events of ~1 KB, no fetchLater, a host pagehide listener first: all arrive once, 3 times in a row', async ({
    page,
    collector,
    server,
    wk,
  }) => {
    test.setTimeout(120_000);
    await page.addInitScript(() => {
      Object.defineProperty(window, 'fetchLater', { value: undefined });
      addEventListener('pagehide', () => sessionStorage.setItem('host', 'pagehide'));
    });
    for (let rep = 0; rep < 3; rep++) {
      const key = wk();
      await burst(page, server.collectorOrigin + '/collect', key, 50, 1000, 'navigate');
      await page.waitForURL('**/lab/plain');
      await allOnce(collector, key, 50);
    }
  });

  // Past the beacons' 64 KiB: Chromium's fetchLater (a quota of its own) carries the rest. A far
  // collector (answers 1 s late) keeps two keepalive batches in flight at pagehide, so what is left
  // (~70 KB) is more than beacons can carry, and without consent nothing may be stored: measured
  // 110 of 110 with fetchLater, 80 of 110 without it (where the other 30 must be reported dropped,
  // `not stored without consent`: none is lost unseen). Red when the tracker does not use fetchLater.
  for (const later of [true, false] as const)
    test(`110 events of ~1 KB, a far collector, leave at once ${later ? 'with fetchLater: all arrive once' : 'without fetchLater: what does not arrive is reported dropped'}, 3 times in a row`, async ({
      page,
      collector,
      server,
      wk,
    }) => {
      test.setTimeout(120_000);
      const gw = await slowGateway(server.collectorOrigin, 1000);
      if (!later)
        await page.addInitScript(() => Object.defineProperty(window, 'fetchLater', { value: undefined }));
      try {
        for (let rep = 0; rep < 3; rep++) {
          const key = wk();
          await burst(page, decodeURIComponent(gw.ep), key, 110, 1000, 'navigate', {}, true);
          await page.waitForURL('**/lab/plain');
          const all = Array.from({ length: 110 }, (_, i) => String(100000 + i));
          if (later) {
            await allOnce(collector, key, 110);
            continue;
          }
          const dropped: string[] = JSON.parse(
            (await page.evaluate(() => sessionStorage.getItem('dropped'))) || '[]',
          );
          expect(dropped.length, 'some events are past what beacons carry').toBeGreaterThan(0);
          await collector.waitForCount(key, 110 - dropped.length, { timeout: 20_000 });
          await page.waitForTimeout(500); // anything late would show up too
          const arrived = (await collector.events(key)).events.map(
            (l) => (l.event.properties as { product_id: string }).product_id,
          );
          expect(arrived.length, 'no event received twice').toBe(new Set(arrived).size);
          expect([...arrived, ...dropped].sort(), 'each event arrived or was reported dropped').toEqual(all);
        }
      } finally {
        await gw.close();
      }
    });

  test('50 events of ~1 KB, then the page is closed: all arrive once, 3 times in a row', async ({
    context,
    collector,
    server,
    wk,
  }) => {
    test.setTimeout(120_000);
    for (let rep = 0; rep < 3; rep++) {
      const key = wk();
      const page = await context.newPage();
      await burst(page, server.collectorOrigin + '/collect', key, 50, 1000, 'stay');
      await page.close({ runBeforeUnload: false });
      await allOnce(collector, key, 50);
    }
  });

  // More than the keepalive budget can carry as the tab closes, on a store that lets the tracker
  // store (consent granted): the rest waits in storage for the next page with the tracker. The
  // sends that waited for room in the budget must not start as pagehide frees it (Chromium refuses
  // them as the tab closes: 36 of 200 were lost, reported delivered).
  // Chromium gives a closing tab's pagehide only a few hundred ms, then ends its renderer (when it
  // has no other page): on a starved CPU (load 15 on 2 cores, or CPU throttled 6x) the tracker's
  // handler was cut midway, nothing stored, 36-108 of 200 arrived, as in a crash (README: a crash
  // loses what was queued in the last second). A mark written after the tracker's handler tells: a
  // repetition whose pagehide did not finish proves nothing and is run again (at most twice);
  // where it finished, every event must arrive once.
  test('200 events of ~1 KB, consent granted, then the tab is closed: all arrive once (the rest from the next page with the tracker), 3 times in a row', async ({
    context,
    collector,
    server,
    wk,
  }) => {
    test.setTimeout(300_000);
    for (let rep = 0, cut = 0; rep < 3; rep++) {
      const key = wk();
      const endpoint = server.collectorOrigin + '/collect';
      const page = await context.newPage();
      await burst(page, endpoint, key, 200, 1000, 'stay', { consent: 'granted' });
      // (after the tracker's own listener)
      await page.evaluate(
        (key) => addEventListener('pagehide', () => localStorage.setItem('e2e:' + key, '1')),
        key,
      );
      await page.close({ runBeforeUnload: true });
      const next = await context.newPage();
      await recover(next, endpoint, key);
      try {
        await allOnce(collector, key, 200);
      } catch (e) {
        if (cut++ >= 2 || (await next.evaluate((key) => localStorage.getItem('e2e:' + key), key))) throw e;
        rep--;
      }
      await next.close();
    }
  });

  // A page whose fetch is not the browser's and never settles (a broken replacement): its batches
  // are not with the browser, so pagehide takes them back and beacons them.
  // A fetch that rejects is checked with XMLHttpRequest, which carries the batch: if the page goes
  // meanwhile, that copy may arrive as well as pagehide's (the same messageIds).
  for (const broken of ['never settles', 'rejects'] as const)
    test(`a fetch that ${broken}, 50 events of ~1 KB, then leave at once: all arrive${broken === 'rejects' ? '' : ' once'}, 3 times in a row`, async ({
      page,
      collector,
      server,
      wk,
    }) => {
      test.setTimeout(120_000);
      await page.addInitScript((broken) => {
        window.fetch = () =>
          broken === 'rejects'
            ? Promise.reject(new TypeError('Failed to fetch'))
            : new Promise<Response>(() => undefined);
      }, broken);
      for (let rep = 0; rep < 3; rep++) {
        const key = wk();
        await burst(page, server.collectorOrigin + '/collect', key, 50, 1000, 'navigate');
        await page.waitForURL('**/lab/plain');
        await allOnce(collector, key, 50, broken !== 'rejects');
      }
    });

  // The network is gone (a shopper in a lift) while 50 events are tracked, then the tab is closed: a
  // batch whose fetch failed offline is not one the browser still has, and a beacon would be lost,
  // so pagehide stores everything for the next page with the tracker (consent granted). An
  // independent harness lost 36 of 50 here (the failed batches were counted delivered).
  test('offline, 50 events of ~1 KB, consent granted, then the tab is closed: all arrive once from the next page, 3 times in a row', async ({
    context,
    collector,
    server,
    wk,
  }) => {
    test.setTimeout(120_000);
    for (let rep = 0; rep < 3; rep++) {
      const key = wk();
      const endpoint = server.collectorOrigin + '/collect';
      const page = await context.newPage();
      await burst(page, endpoint, key, 0, 1000, 'stay', { consent: 'granted' });
      await context.setOffline(true);
      const more = Array.from({ length: 50 }, (_, i) => productProps(i, 1000));
      const next = await context.newPage(); // (opened first: the context keeps a page)
      await page.evaluate((more) => {
        const t = (window as unknown as { tracker: { track(n: string, p: object): void } }).tracker;
        for (const p of more) t.track('Product Added', p);
      }, more);
      await page.close({ runBeforeUnload: true }); // at once
      await new Promise((r) => setTimeout(r, 1500)); // (the closing page must be gone before the network is back)
      await context.setOffline(false);
      await recover(next, endpoint, key);
      await allOnce(collector, key, 50);
      await next.close();
    }
  });
});

type Burst = { twilightTracker: { track(n: string, p: object): void } };

/** The storefront (script tag, default options) for `key`, at endpoint `ep` if given, its tracker ready. */
async function openStore(page: Page, key: string, ep?: string) {
  await page.goto(`/p/101?wk=${key}` + (ep ? `&ep=${ep}` : ''));
  await storefrontReady(page);
  await page.waitForFunction(() => typeof (window as unknown as Burst).twilightTracker?.track === 'function');
}

/** The product ids of `storeBurst`'s 50 events (productProps' ids). */
const IDS = Array.from({ length: 50 }, (_, i) => String(100000 + i));
/**
 * On the storefront: 50 Product Added events of ~1 KB tracked in one task, then the shopper leaves for
 * a page without the tracker: at once, or as soon as the browser is back `online`.
 */
async function storeBurst(page: Page, leave: 'now' | 'online') {
  const events = IDS.map((_, i) => productProps(i, 1000));
  await page.evaluate(
    ([events, leave]) => {
      for (const p of events) (window as unknown as Burst).twilightTracker.track('Product Added', p);
      if (leave === 'now') location.href = '/lab/plain';
      else addEventListener('online', () => (location.href = '/lab/plain'));
    },
    [events, leave] as const,
  );
}
/** The Product Added events the collector received for `key`. */
const added = async (collector: Collector, key: string) =>
  (await collector.events(key)).events
    .map((l) => l.event)
    .filter((e) => e.type === 'track' && e.event === 'Product Added');
/** Their product ids. */
const products = async (collector: Collector, key: string) =>
  (await added(collector, key)).map((e) => (e.properties as { product_id: string }).product_id);

// A busy page may not run the pipeline's task between a burst and the navigation it starts: at
// pagehide all of it then needs beacons, 64 KiB in all (an e2e run lost 8 of 50 ~1.5 KB events so).
// The Navigation API's `navigate` builds what is waiting at once: a full batch is handed to `fetch`
// before any timer of the page runs (a same-document navigation here, so the page stays to count).
test('the navigate event builds a burst at once: its full batch goes to fetch before the page runs a timer', async ({
  page,
  wk,
}) => {
  const key = wk();
  await page.addInitScript(() => {
    const w = window as unknown as { __posts: number };
    w.__posts = 0;
    const native = window.fetch;
    window.fetch = function (this: unknown, ...a: Parameters<typeof fetch>) {
      if (a[1]?.method === 'POST') w.__posts++;
      return native.apply(this, a);
    } as typeof fetch;
  });
  await openStore(page, key);
  await page.waitForTimeout(3000); // the page view's batch has gone
  for (let rep = 0; rep < 3; rep++) {
    // 20 product events of ~1 KB, as a shopper's burst sends them: a full batch, by count or bytes.
    const events = Array.from({ length: 20 }, (_, i) => productProps(rep * 20 + i, 1000));
    const posts = await page.evaluate(
      async ({ rep, events }) => {
        const w = window as unknown as Burst & { __posts: number };
        const before = w.__posts;
        for (const p of events) w.twilightTracker.track('Product Added', p);
        (window as unknown as { navigation: { navigate(u: string): unknown } }).navigation.navigate(
          '#burst' + rep,
        );
        for (let i = 0; i < 50; i++) await Promise.resolve();
        return w.__posts - before;
      },
      { rep, events },
    );
    expect(posts, `repetition ${rep}`).toBe(1);
    await page.waitForTimeout(500);
  }
});

// Back online and gone at once: the page's own `online` handler leaves for a page without the
// tracker (consent granted: the storefront has no cookie bar). The endpoint failed while offline, so
// pagehide takes back the batches the `online` flush just handed to fetch (keepalive ones included)
// and a batch still waiting for room in the keepalive budget, and stores them all; the next page with
// the tracker sends them (what already arrived, twice: the same messageIds). The collector answers
// after 300 ms, as a real one far from the shopper does, so batches are in flight at pagehide (on
// 127.0.0.1 they were often answered before the next page came): a gateway of its own, not
// Playwright's route(), which loses a held keepalive request when its page goes (once 34 of 50
// arrived and none was stored, on a busy machine). An independent harness saw 36 of
// 50 arrive before the next page; here 30-34 (two keepalive batches of 16 fill the budget, a third
// waits for room), all 50 stored. Red when pagehide stores nothing while the endpoint is failing (30
// of 50, none stored). (Storing only what is not in flight loses nothing here: the network is back,
// and the browser delivers the keepalive batches; with route() it was red, for route()'s loss.)
test('offline, 50 events of ~1 KB, back online and leave at once: all arrive, the rest from the next page with the tracker, 4 times in a row', async ({
  page,
  context,
  collector,
  server,
  wk,
}) => {
  test.setTimeout(120_000);
  const gw = await slowGateway(server.collectorOrigin, 300);
  try {
    for (let rep = 0; rep < 4; rep++) {
      const key = wk();
      await openStore(page, key, gw.ep);
      await page.waitForTimeout(2500); // the page view has gone: fetch has answered on this page
      await context.setOffline(true);
      await storeBurst(page, 'online');
      await page.waitForTimeout(300); // the batches have failed
      await context.setOffline(false);
      await page.waitForURL('**/lab/plain');
      await page.waitForTimeout(1000);
      const before = new Set(await products(collector, key)).size;
      const stored = await page.evaluate(
        () => Object.keys(localStorage).filter((k) => k.startsWith('tt:q:')).length,
      );
      await page.goto(`/p/101?wk=${key}&ep=${gw.ep}`); // the next page with the tracker
      await expect
        .poll(async () => [...new Set(await products(collector, key))].sort(), {
          message: `${before} of 50 arrived before the next page, ${stored} queue(s) stored`,
          timeout: 20_000,
        })
        .toEqual([...IDS].sort());
      // (a copy has its event's messageId: the collector drops it)
      expect(
        new Set((await added(collector, key)).map((e) => e.messageId)).size,
        'one messageId per event',
      ).toBe(50);
    }
  } finally {
    await gw.close();
  }
});

// The harness that found it: a collector failing (500) before the page has any answer from it, and
// the shopper leaving at once. Its keepalive batches and beacons go to the browser, which gets the
// 500 after the page is gone: before, 50 of 50 were lost, unreported, in every repetition. Now they
// are stored as unsure too, and the next page of the store sends them again when the endpoint fails
// there as well (and drops them when it answers: 'consent granted, then the tab is closed' above
// checks that nothing arrives twice then).
test('a collector failing before any answer, 50 events of ~1 KB, leave at once: all arrive from the next page with the tracker once it recovers, 3 times in a row', async ({
  page,
  collector,
  server,
  wk,
}) => {
  test.setTimeout(150_000);
  // (answers 2 s late: the page view is still unanswered when the burst leaves)
  const gw = await slowGateway(server.collectorOrigin, 2000);
  try {
    for (let rep = 0; rep < 3; rep++) {
      const key = wk();
      gw.slow = 2000;
      await collector.control(key, 500);
      await openStore(page, key, gw.ep);
      await storeBurst(page, 'now');
      await page.waitForURL('**/lab/plain');
      // The browser delivers what it took, and the collector fails it.
      const failed = async () => (await collector.requests(key)).filter((r) => r.status === 500).length;
      await expect.poll(failed).toBeGreaterThanOrEqual(3);
      await page.waitForTimeout(2500);
      const before = await failed();
      expect(await products(collector, key), 'nothing accepted while failing').toEqual([]);
      // The next page with the tracker, still failing at first: its first answer is a 500.
      gw.slow = 0;
      await page.goto(`/p/101?wk=${key}&ep=${gw.ep}`);
      await storefrontReady(page);
      await expect.poll(failed, { timeout: 10_000 }).toBeGreaterThan(before);
      await collector.control(key, 200);
      await expect
        .poll(async () => [...new Set(await products(collector, key))].sort(), { timeout: 40_000 })
        .toEqual([...IDS].sort());
    }
  } finally {
    await gw.close();
  }
});
