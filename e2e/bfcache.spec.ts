/**
 * The back/forward cache as real shoppers have it. Playwright launches Chromium with
 * `--disable-back-forward-cache`, so no other spec ever sees a page come back: here a browser of our
 * own drops that flag. The storefront (`?bf=1`: a page the bfcache may keep, as a store's cacheable
 * pages are; the demo's `no-store` pages are never restored) with the script tag, the real SDK and
 * default options, the cross-origin collector, ~1 KB Product Added events. Each repetition proves
 * its restore (`pageshow` persisted, no `notRestoredReasons`): one that did not restore proves nothing.
 *
 * README (Delivery): a `page` event back from the bfcache; no `unload` listener; at pagehide the
 * unsent queue is beaconed or stored; back from the bfcache a page takes its stored queue back.
 * a. track 30, leave for a page without the tracker, back, track 20, leave: all 50 arrive once,
 *    and a `page` event for the restore.
 * b. the same with the cookie bar and no choice (consent pending), signed in, then Accept on the
 *    restored page: nothing before Accept identifies the shopper; every event arrives.
 * c. the collector fails (500) while the page is in the bfcache: the restored page's events fail
 *    and, as it leaves again while failing, are stored; the collector recovers, the page comes back
 *    again and sends what it stored: nothing lost, nothing twice.
 * d. a slow collector (3 s) while the page goes into the bfcache: its keepalive requests are still in
 *    flight when it is back, and still count against the page's quota (the restored page's batch was
 *    refused, its rejection read as "the browser has it": 15-16 of 20 events lost, 2 of ~45 runs of a
 *    on a busy machine, every run of this one).
 */
import { chromium, type Browser, type BrowserContext, type Page } from '@playwright/test';
import type { TrackerEvent } from '../src/schema';
import { CHROMIUM_PATH, LOCAL_ONLY } from '../scripts/chromium.mjs';
import {
  test,
  expect,
  guardContext,
  label,
  productProps,
  storefrontReady,
  type Collector,
  signIn,
} from './fixtures';
import { slowGateway } from './slowGateway';

type Win = Window & {
  __shows: boolean[];
  __demoActions?: Array<{ ok: boolean }>;
  twilightTracker: { track(n: string, p?: object): void; consent(state: string): void };
  salla?: Record<string, Record<string, (...a: unknown[]) => Promise<unknown>>>;
};

const N = 30;
const M = 20;

let bf: Browser;
test.beforeAll(async () => {
  bf = await chromium.launch({
    executablePath: CHROMIUM_PATH,
    ...LOCAL_ONLY,
    ignoreDefaultArgs: ['--disable-back-forward-cache'],
  });
});
test.afterAll(async () => bf?.close());

/** A context of the bfcache browser under the test's guard, recording every pageshow's `persisted`. */
async function bfContext(
  baseURL: string,
  guard: Parameters<typeof guardContext>[1],
): Promise<{ ctx: BrowserContext; page: Page }> {
  const ctx = await bf.newContext({ baseURL });
  await guardContext(ctx, guard);
  await ctx.addInitScript(() => {
    (window as unknown as Win).__shows = [];
    addEventListener('pageshow', (e) => (window as unknown as Win).__shows.push(e.persisted));
  });
  return { ctx, page: await ctx.newPage() };
}

/** Open the storefront page `url` and wait for the SDK and tracker.js. */
async function open(page: Page, url: string) {
  await page.goto(url);
  await storefrontReady(page);
  await page.waitForFunction(() => typeof (window as unknown as Win).twilightTracker?.track === 'function');
}

/** Track Product Added for products `from`…`to - 1` (~1 KB each), then (in the same task) leave for a page without the tracker. */
async function trackAndLeave(page: Page, from: number, to: number, leave = true) {
  const events = Array.from({ length: to - from }, (_, i) => productProps(from + i, 1000));
  await page.evaluate(
    ([events, leave]) => {
      for (const p of events as object[])
        (window as unknown as Win).twilightTracker.track('Product Added', p);
      if (leave) location.href = '/lab/plain';
    },
    [events, leave] as const,
  );
  if (leave) await page.waitForURL('**/lab/plain');
}

/** Back to the storefront page: it must come from the bfcache (else the test proves nothing). */
async function back(page: Page, restores = 1) {
  await page.waitForTimeout(200);
  const shows = await page.evaluate(() => (window as unknown as Win).__shows?.length ?? 0);
  expect(shows, 'on the page without the tracker').toBe(1);
  await page.goBack({ waitUntil: 'commit' });
  await page.waitForFunction((n) => ((window as unknown as Win).__shows || []).length > n, restores);
  const restored = await page.evaluate(() => ({
    shows: (window as unknown as Win).__shows,
    reasons: (
      performance.getEntriesByType('navigation')[0] as PerformanceNavigationTiming & {
        notRestoredReasons?: unknown;
      }
    ).notRestoredReasons,
  }));
  expect(restored.shows.at(-1), 'pageshow persisted: restored from the bfcache').toBe(true);
  expect(restored.reasons ?? null, 'notRestoredReasons').toBeNull();
}

const productId = (e: TrackerEvent) => (e.properties as { product_id?: string } | undefined)?.product_id;
const ours = (e: TrackerEvent) =>
  e.type === 'track' && e.event === 'Product Added' && +productId(e)! >= 100000;

/**
 * Poll until products 0…n-1 all arrived (or `ms` passed); then checks none arrived twice (by
 * messageId, over every event of `key`). Returns the events and how many of ours were missing.
 */
async function arrived(collector: Collector, key: string, n: number, ms: number) {
  const end = Date.now() + ms;
  let events: TrackerEvent[] = [];
  const got = () => new Set(events.filter(ours).map(productId)).size;
  do {
    events = (await collector.events(key)).events.map((l) => l.event);
    if (got() >= n) break;
    await new Promise((r) => setTimeout(r, 100));
  } while (Date.now() < end);
  return { events, missing: n - got() };
}

/** Every product 0…n-1 exactly once, and no messageId twice. */
function exactlyOnce(events: TrackerEvent[], n: number) {
  const ids = events.map((e) => e.messageId);
  const twice = ids.filter((id, i) => ids.indexOf(id) !== i);
  expect(twice, 'no messageId received twice').toEqual([]);
  expect(events.filter(ours).map(productId).sort()).toEqual(
    Array.from({ length: n }, (_, i) => String(100000 + i)).sort(),
  );
}

/**
 * Back to the storefront page `/p/101` (restored, as `back` checks), then Product Added for product 1
 * there; waits until the restore's page event and that Product Added arrived, and returns a reader
 * of the events built on that page after the restore (what it built before may arrive later, at its
 * pagehide: left out by their time).
 */
async function backAndTrack(page: Page, collector: Collector, key: string) {
  const t0 = Date.now();
  await back(page);
  await trackAndLeave(page, 1, 2, false);
  const restored = async () =>
    (await arrived(collector, key, 2, 8000)).events.filter(
      (e) => e.context.page?.path === '/p/101' && Date.parse(e.timestamp) >= t0,
    );
  await expect
    .poll(async () => (await restored()).map(label), { message: 'the restore and the event after it' })
    .toEqual(expect.arrayContaining(['page:product.single', 'Product Added']));
  return restored;
}

/** The tracker's stored queues (`tt:q:*`) and how many events they hold. */
const storedQueues = (page: Page) =>
  page.evaluate(() =>
    Object.keys(localStorage)
      .filter((k) => k.startsWith('tt:q:'))
      .reduce(
        (n, k) => n + (JSON.parse(localStorage.getItem(k) || '{"e":[]}') as { e: unknown[] }).e.length,
        0,
      ),
  );

test.describe('bfcache: back and forward on the storefront, the bfcache on', () => {
  test('a. 30 events, away and back (restored), 20 more, away: all 50 arrive once, and a page event for the restore (3 times)', async ({
    collector,
    guard,
    server,
    wk,
  }) => {
    test.setTimeout(60_000);
    for (let rep = 0; rep < 3; rep++) {
      const key = wk();
      const { ctx, page } = await bfContext(server.url, guard);
      await open(page, `/p/101?wk=${key}&bf=1`);
      await trackAndLeave(page, 0, N);
      await back(page);
      await trackAndLeave(page, N, N + M);
      let { events, missing } = await arrived(collector, key, N + M, 8000);
      const stored = await storedQueues(page);
      test.info().annotations.push({
        type: `a${rep}`,
        description: `${N + M - missing} of ${N + M} arrived from the page; ${stored} stored in tt:q:*`,
      });
      if (missing) {
        // (What the collector got, for the failure message.)
        const requests = (await collector.requests(key)).map((r) => `${r.transport} ${r.status} ${r.count}`);
        console.log(`a${rep}: ${missing} missing; requests: ${requests.join(', ')}`);
        // README: what cannot leave at pagehide is stored (consent granted) for the next page.
        if (stored < missing) {
          await ctx.close();
          await new Promise((r) => setTimeout(r, 3000));
          const late = (await arrived(collector, key, N + M, 10)).missing;
          console.log(`a${rep}: 3 s after the context closed, ${late} still missing`);
        }
        expect(stored, `${missing} missing and not stored`).toBeGreaterThanOrEqual(missing);
        await open(page, `/?wk=${key}`);
        ({ events, missing } = await arrived(collector, key, N + M, 8000));
      }
      exactlyOnce(events, N + M);
      const pages = events.filter((e) => e.type === 'page' && e.context.page?.path === '/p/101');
      expect(pages.map(label), 'the first view and the restore').toEqual([
        'page:product.single',
        'page:product.single',
      ]);
      expect(events.every((e) => e.context.consent_state === 'granted')).toBe(true);
      await ctx.close();
    }
  });

  test('b. cookie bar, no choice, signed in: 30 events, away and back (restored), 20 more, Accept, 5 more, away: nothing before Accept identifies the shopper, all 55 arrive once (3 times)', async ({
    collector,
    guard,
    server,
    wk,
  }) => {
    test.setTimeout(60_000);
    const K = 5;
    for (let rep = 0; rep < 3; rep++) {
      const key = wk();
      const q = `wk=${key}&cookies=1&bf=1`;
      const { ctx, page } = await bfContext(server.url, guard);
      // Signed in (the SDK knows the customer), no choice on the cookie bar.
      await page.goto(`/account?${q}`);
      await storefrontReady(page);
      await signIn(page);
      await open(page, `/p/101?${q}`);
      await expect(page.locator('#cookie-bar')).toBeVisible();
      await trackAndLeave(page, 0, N);
      await back(page);
      await trackAndLeave(page, N, N + M, false);
      await expect(page.locator('#cookie-bar')).toBeVisible();
      await page.click('#cookie-bar [data-cookies="accepted"]');
      await expect(page.locator('#cookie-bar')).toBeHidden();
      await trackAndLeave(page, N + M, N + M + K);
      const { events, missing } = await arrived(collector, key, N + M + K, 8000);
      test.info().annotations.push({
        type: `b${rep}`,
        description: `${N + M + K - missing} of ${N + M + K} arrived; ${await storedQueues(page)} stored in tt:q:*`,
      });
      exactlyOnce(events, N + M + K);
      const aid = await page.evaluate(() => localStorage.getItem('tt:aid'));
      expect(aid, 'tt:aid stored after Accept').toBeTruthy();
      for (const e of events.filter(ours)) {
        const at = `${productId(e)} ${e.context.consent_state}`;
        if (+productId(e)! < 100000 + N + M) {
          // Tracked before Accept: page-scoped, nothing of the shopper.
          expect(e.context.consent_state, at).toBe('pending');
          expect(e, at).not.toHaveProperty('userId');
          expect(e.context, at).not.toHaveProperty('session_id');
          expect(e.anonymousId, at).not.toBe(aid);
        } else {
          expect(e.context.consent_state, at).toBe('granted');
          expect(e.userId, at).toBe('501');
          expect(e.anonymousId, at).toBe(aid);
        }
      }
      const pending = events.filter((e) => e.context.consent_state === 'pending');
      expect(JSON.stringify(pending)).not.toMatch(/"(userId|session_id|wishlist_id)"|sara@example|501234567/);
      const pages = events.filter((e) => e.type === 'page' && e.context.page?.path === '/p/101');
      expect(pages.length, 'the first view and the restore').toBe(2);
      await ctx.close();
    }
  });

  test('c. the collector fails (500) while the page is in the bfcache: the restored page stores what fails as it leaves, and sends it once back again after the collector recovered (3 times)', async ({
    collector,
    guard,
    server,
    wk,
  }) => {
    test.setTimeout(60_000);
    for (let rep = 0; rep < 3; rep++) {
      const key = wk();
      const { ctx, page } = await bfContext(server.url, guard);
      await open(page, `/p/101?wk=${key}&bf=1`);
      await trackAndLeave(page, 0, N);
      expect((await arrived(collector, key, N, 8000)).missing, 'the first 30').toBe(0);
      await collector.control(key, 500);
      await back(page);
      await trackAndLeave(page, N, N + M, false);
      // The restored page's batches fail.
      await expect
        .poll(
          async () => (await collector.requests(key)).some((r) => r.method === 'POST' && r.status === 500),
          {
            timeout: 8000,
          },
        )
        .toBe(true);
      await page.evaluate(() => (location.href = '/lab/plain'));
      await page.waitForURL('**/lab/plain');
      const stored = await storedQueues(page);
      // README: while the endpoint is failing, with consent granted, pagehide stores everything.
      expect(stored, 'stored at pagehide while failing').toBeGreaterThanOrEqual(M);
      await collector.control(key, 200);
      await back(page, 2);
      const { events, missing } = await arrived(collector, key, N + M, 10_000);
      test.info().annotations.push({
        type: `c${rep}`,
        description: `${stored} stored while failing; ${N + M - missing} of ${N + M} arrived after the second restore`,
      });
      exactlyOnce(events, N + M);
      await page.goto('/lab/plain');
      await ctx.close();
    }
  });

  // f. The shopper decides on the next page of the store, then goes back. A page in the bfcache gets
  // the `storage` events it missed only after its `pageshow` (Chromium), and its SDK does not read
  // the cookie bar's stored choice again: before, the restored page went on as it was (pending, or
  // granted with the purged id, which it stored again).
  for (const how of ['Reject on the cookie bar', 'the merchant’s consent tool denies'] as const)
    test(`f. signed in, ${how === 'Reject on the cookie bar' ? 'no choice, then Reject' : 'Accept, then the merchant’s consent tool denies'} on the next page, back (restored): the restored page's events are denied, nothing identifies the shopper, nothing is stored (3 times)`, async ({
      collector,
      guard,
      server,
      wk,
    }) => {
      test.setTimeout(60_000);
      for (let rep = 0; rep < 3; rep++) {
        const key = wk();
        const q = `wk=${key}&cookies=1&bf=1`;
        const { ctx, page } = await bfContext(server.url, guard);
        await page.goto(`/account?${q}`);
        await storefrontReady(page);
        await signIn(page);
        await open(page, `/p/101?${q}`);
        if (how === 'Reject on the cookie bar') await expect(page.locator('#cookie-bar')).toBeVisible();
        else await page.click('#cookie-bar [data-cookies="accepted"]');
        await trackAndLeave(page, 0, 1, false);
        // The next page of the store, with the tracker.
        await open(page, `/cart?${q}`);
        if (how === 'Reject on the cookie bar') await page.click('#cookie-bar [data-cookies="rejected"]');
        else await page.evaluate(() => (window as unknown as Win).twilightTracker.consent('denied'));
        await expect
          .poll(() => page.evaluate(() => Object.keys(localStorage).filter((k) => k.startsWith('tt:'))))
          .toEqual([]);
        const restored = await (await backAndTrack(page, collector, key))();
        for (const e of restored) {
          const at = `${label(e)} after the restore`;
          expect(e.context.consent_state, at).toBe('denied');
          expect(e, at).not.toHaveProperty('userId');
          expect(e.context, at).not.toHaveProperty('session_id');
        }
        expect(JSON.stringify(restored)).not.toMatch(/"userId"|sara@example|501234567/);
        // What the restored page does as it leaves again: nothing of it is stored.
        await page.goto('/lab/plain');
        expect(
          await page.evaluate(() => Object.keys(localStorage).filter((k) => k.startsWith('tt:'))),
        ).toEqual([]);
        await ctx.close();
      }
    });

  // g. Signed in, the page goes into the bfcache; the shopper signs out in another tab and goes back
  // here. The `storage` events the page missed come only after its `pageshow` (Chromium): before,
  // the restore's page event still carried the customer; and read at the restore alone, the late
  // removal of the old session then ended the new one too (a third session).
  test("g. signed in, away, a sign-out in another tab, back (restored): the restored page's events are in the new session, without the customer (3 times)", async ({
    collector,
    guard,
    server,
    wk,
  }) => {
    test.setTimeout(60_000);
    for (let rep = 0; rep < 3; rep++) {
      const key = wk();
      const q = `wk=${key}&bf=1`;
      const { ctx, page } = await bfContext(server.url, guard);
      await page.goto(`/account?${q}`);
      await storefrontReady(page);
      await signIn(page);
      await open(page, `/p/101?${q}`);
      await trackAndLeave(page, 0, 1);
      // Another tab of the store: sign out (the SDK goes to /logout, which redirects home), then an event.
      const other = await ctx.newPage();
      await open(other, `/?${q}`);
      await Promise.all([
        other.waitForEvent('framenavigated', (f) => f === other.mainFrame()),
        other.evaluate(() => void (window as unknown as Win).salla!.auth!.logout!({})),
      ]);
      await open(other, `/?${q}`);
      await other.evaluate(() => (window as unknown as Win).twilightTracker.track('E2E Other After'));
      const newSession = async () =>
        (await collector.events(key)).events.find((l) => label(l.event) === 'E2E Other After')?.event.context
          .session_id;
      await expect.poll(newSession).toBeTruthy();
      await other.close();
      const restoredEvents = await backAndTrack(page, collector, key);
      const events = (await collector.events(key)).events.map((l) => l.event);
      const before = events.find((e) => productId(e) === '100000')!;
      expect(before.userId, 'signed in before').toBe('501');
      for (const e of await restoredEvents()) {
        const at = `${label(e)} after the restore`;
        expect(e, at).not.toHaveProperty('userId');
        expect(e.context.session_id, at).toBe(await newSession());
        expect(e.context.session_id, at).not.toBe(before.context.session_id);
      }
      await ctx.close();
    }
  });

  // d. leave again at once; e. stay: the budget the restored page shares with what it had in flight
  // comes back when those requests settle (a page that never got it back would send nothing more by
  // keepalive while it lives).
  for (const stay of [false, true])
    test(
      stay
        ? 'e. a slow collector (3 s) as the page goes into the bfcache, back, and the shopper stays: the 20 tracked after the restore leave by fetch while the page lives (3 times)'
        : 'd. a slow collector (3 s) as the page goes into the bfcache: 30 events, away and back, 20 more, away: all 50 arrive once (3 times)',
      async ({ collector, guard, server, wk }) => {
        test.setTimeout(60_000);
        // A gateway on 127.0.0.1 in front of the collector, answering POSTs `gw.slow` ms late.
        const gw = await slowGateway(server.collectorOrigin, 0);
        try {
          for (let rep = 0; rep < 3; rep++) {
            const key = wk();
            const { ctx, page } = await bfContext(server.url, guard);
            await open(page, `/p/101?wk=${key}&bf=1&ep=${gw.ep}`);
            gw.slow = 3000;
            await trackAndLeave(page, 0, N);
            await back(page);
            gw.slow = 0;
            if (stay) await page.waitForTimeout(4000); // what was in flight has been answered
            await trackAndLeave(page, N, N + M, !stay);
            const { events, missing } = await arrived(collector, key, N + M, 15_000);
            test.info().annotations.push({
              type: `${stay ? 'e' : 'd'}${rep}`,
              description: `${N + M - missing} of ${N + M} arrived; ${await storedQueues(page)} stored in tt:q:*`,
            });
            exactlyOnce(events, N + M);
            await ctx.close();
          }
        } finally {
          await gw.close();
        }
      },
    );
});
