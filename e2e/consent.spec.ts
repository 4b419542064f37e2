/**
 * Issue 13, "Done when", in a real browser: Salla's cookie bar is on (`?cookies=1`: `store.features`
 * has `website-cookies`) and the shopper has not chosen yet, so consent is `pending`.
 *
 * - pending: EVERY event reaches the collector while its page is still open (nothing is held back),
 *   each with an `anonymousId` of its page view only (the same within a page, a different one per
 *   page), no `userId`, no `context.session_id`, no `context.consent`, `consent_state: 'pending'`, no
 *   identity property in clear or hashed (the shopper is signed in, so there would be some), and the
 *   tracker writes nothing to localStorage, sessionStorage or cookies: no `tt:` key, and the keys
 *   and cookies the page ends up with are exactly those of the same journey with `?tracker=0`.
 * - Accept: later events carry the stored `anonymousId` (`tt:aid`), the user id and a session, and
 *   the next page keeps them.
 * - Reject: the ids stored under an earlier grant are purged at once and never sent again, and
 *   after a reload (the choice is now stored) events still arrive: denied, with page-scoped ids.
 *
 * Everything is asserted on what the collector stored (not on Playwright's request events, which
 * can lag it). Pages load with `wv=0` (Web Vitals arrive when the browser measures them).
 */
import type { BrowserContext, Page } from '@playwright/test';
import type { TrackerEvent } from '../src/schema';
import {
  test,
  expect,
  guardContext,
  label,
  storefrontReady,
  type Collector,
  type CollectedLine,
  type Guard,
  act,
  signIn,
} from './fixtures';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;
/** Identity properties (clear or hashed) and `wishlist_id` (it embeds the customer id). */
const IDENTITY_KEY = /^((email|phone|mobile|first_name|last_name)(_sha256)?|wishlist_id)$/;
/** The demo customer (demo/store-api.mjs) in clear, as the SDK carries her. */
const CLEAR = [/sara@example\.com/i, /501234567/, /\bSarah?\b/i, /\bAli\b/];
const CUSTOMER_ID = '501';

type Win = Window & {
  __demoActions?: Array<{ ok: boolean }>;
  twilightTracker: { track(n: string, p?: object): void; flush(): Promise<void> };
  Salla: { storage: { get(k: string): unknown; remove(k: string): void } };
};

/** Every key at any depth of a JSON value. */
function keysOf(v: unknown, out: string[] = []): string[] {
  if (Array.isArray(v)) for (const x of v) keysOf(x, out);
  else if (v && typeof v === 'object')
    for (const [k, x] of Object.entries(v)) {
      out.push(k);
      keysOf(x, out);
    }
  return out;
}

/**
 * Runs before any page script: reports every storage and cookie write (name only) to the test, as
 * it happens, so a value written and removed again (e.g. at pagehide) is seen too.
 */
function watchWrites() {
  const report = (window as unknown as { __write(kind: string, key: string): void }).__write;
  const setItem = Storage.prototype.setItem;
  Storage.prototype.setItem = function (this: Storage, key: string, value: string) {
    report(this === window.sessionStorage ? 'sessionStorage' : 'localStorage', String(key));
    return setItem.call(this, key, value);
  };
  const cookie = Object.getOwnPropertyDescriptor(Document.prototype, 'cookie')!;
  Object.defineProperty(Document.prototype, 'cookie', {
    configurable: true,
    enumerable: cookie.enumerable,
    get() {
      return cookie.get!.call(this);
    },
    set(v: string) {
      report('cookie', String(v).split('=')[0]!.trim());
      cookie.set!.call(this, v);
    },
  });
}

/** Records, for `ctx`, every storage key and cookie name written by any page (see watchWrites). */
async function recordWrites(ctx: BrowserContext): Promise<Set<string>> {
  const writes = new Set<string>();
  await ctx.exposeBinding('__write', (_src, kind: string, key: string) => void writes.add(`${kind} ${key}`));
  await ctx.addInitScript(watchWrites);
  return writes;
}

/** What the page holds: storage keys, cookie names, IndexedDB databases (names only). */
async function held(page: Page): Promise<string[]> {
  const inPage = await page.evaluate(async () => {
    const dbs = indexedDB.databases ? await indexedDB.databases() : [];
    return [
      ...Object.keys(localStorage).map((k) => 'localStorage ' + k),
      ...Object.keys(sessionStorage).map((k) => 'sessionStorage ' + k),
      ...dbs.map((d) => 'indexedDB ' + d.name),
    ];
  });
  const cookies = (await page.context().cookies()).map((c) => 'cookie ' + c.name);
  return [...inPage, ...cookies].sort();
}

/** The tracker's stored values: localStorage/sessionStorage keys starting with `tt:`, with their values. */
const ttStored = (page: Page) =>
  page.evaluate(() =>
    [localStorage, sessionStorage].flatMap((s) =>
      Object.keys(s)
        .filter((k) => k.startsWith('tt:'))
        .map((k): [string, string] => [k, s.getItem(k) || '']),
    ),
  );

/** The collector's lines for `key` once `ok` holds for its events. */
async function until(
  collector: Collector,
  key: string,
  ok: (events: TrackerEvent[]) => boolean,
  what: string,
) {
  await expect
    .poll(async () => ok((await collector.events(key)).events.map((l) => l.event)), {
      timeout: 10_000,
      message: what,
    })
    .toBe(true);
  return (await collector.events(key)).events;
}

/** The events sent from the page at `path` (by `context.page.path`). */
const onPath = (lines: CollectedLine[], path: string) =>
  lines.filter((l) => l.event.context.page?.path === path);

/**
 * The pending journey, on pages with `q`: sign in on /account (the shopper is then known to the
 * SDK), view a product and add it to the wishlist, add another to the cart from the home page's
 * card, open the cart. With the tracker (`collector` given), waits on each page until its events
 * reached the collector, before leaving it: nothing may be held back until a choice.
 */
async function pendingJourney(page: Page, q: string, wait?: { collector: Collector; key: string }) {
  const arrived = async (path: string, names: string[]) => {
    if (!wait) return;
    await until(
      wait.collector,
      wait.key,
      (ev) => names.every((n) => ev.some((e) => e.context.page?.path === path && label(e) === n)),
      `${names.join(', ')} from ${path} reached the collector while the page is open`,
    );
  };
  await page.goto(`/account?${q}`);
  await storefrontReady(page);
  await expect(page.locator('#cookie-bar')).toBeVisible();
  await signIn(page);
  await arrived('/account', ['page:customer.profile', 'Signed In']);

  await page.goto(`/p/101?${q}`);
  await storefrontReady(page);
  await act(page, '[data-action=wishlist-add][data-product="101"]');
  await arrived('/p/101', ['Product Viewed', 'page:product.single', 'Product Added to Wishlist']);

  await page.goto(`/?${q}`);
  await storefrontReady(page);
  await act(page, '[data-action=add][data-product="102"]');
  await arrived('/', ['page:index', 'Product Added', 'Cart Updated']);

  await page.goto(`/cart?${q}`);
  await storefrontReady(page);
  await expect(page.locator('#cookie-bar')).toBeVisible();
  await arrived('/cart', ['Cart Viewed', 'page:cart']);
}

/** A fresh context under the test's guard, recording its writes. */
async function freshContext(
  browser: import('@playwright/test').Browser,
  guard: Guard,
): Promise<{ ctx: BrowserContext; page: Page; writes: Set<string> }> {
  const ctx = await browser.newContext();
  await guardContext(ctx, guard);
  const writes = await recordWrites(ctx);
  return { ctx, page: await ctx.newPage(), writes };
}

test('no choice on the cookie bar: every event sent at once, page-scoped ids, nothing stored; Accept: a stored id', async ({
  browser,
  collector,
  wk,
  guard,
}) => {
  test.setTimeout(120_000);
  const key = wk();
  const q = `wk=${key}&wv=0&fi=100&cookies=1`;

  // ---- the same journey without the tracker: what the SDK and the demo themselves write ----
  const bare = await freshContext(browser, guard);
  await pendingJourney(bare.page, `wk=${key}-bare&wv=0&fi=100&cookies=1&tracker=0`);
  const bareHeld = await held(bare.page);
  await bare.ctx.close();

  // ---- the journey with the tracker, no choice made ----
  const { ctx, page, writes } = await freshContext(browser, guard);
  await pendingJourney(page, q, { collector, key });

  // Nothing written by the tracker: no `tt:` key ever written, and exactly what the page holds without it.
  expect([...writes].filter((w) => / tt:/.test(w))).toEqual([]);
  expect(await ttStored(page)).toEqual([]);
  expect(await held(page)).toEqual(bareHeld);

  const pending = (await collector.events(key)).events;
  const names = (path: string) =>
    onPath(pending, path)
      .map((l) => label(l.event))
      .sort();
  // Every event, each once (the journey's exact events, page by page).
  expect(names('/account')).toEqual(['Signed In', 'page:customer.profile']);
  expect(names('/p/101')).toEqual(['Product Added to Wishlist', 'Product Viewed', 'page:product.single']);
  expect(names('/')).toEqual(['Cart Updated', 'Product Added', 'page:index']);
  expect(names('/cart')).toEqual(['Cart Viewed', 'page:cart']);
  expect(pending).toHaveLength(10);
  expect(new Set(pending.map((l) => l.event.messageId)).size).toBe(pending.length);

  for (const { event: e, valid, problems } of pending) {
    const at = `${label(e)} on ${e.context.page?.path}`;
    expect(valid, `${at}: ${problems.join('; ')}`).toBe(true);
    expect(e.anonymousId, at).toMatch(UUID);
    expect(e, at).not.toHaveProperty('userId');
    expect(e.context, at).not.toHaveProperty('session_id');
    expect(e.context, at).not.toHaveProperty('consent');
    expect(e.context.consent_state, at).toBe('pending');
    expect(
      keysOf(e.properties).filter((k) => IDENTITY_KEY.test(k)),
      at,
    ).toEqual([]);
  }
  const wire = JSON.stringify(pending.map((l) => l.event));
  for (const re of CLEAR) expect(wire).not.toMatch(re);
  expect(wire).not.toMatch(/"(userId|session_id|wishlist_id)"/);
  // One id per page view, a different one on each page.
  const pageIds = ['/account', '/p/101', '/', '/cart'].map((path) => {
    const ids = new Set(onPath(pending, path).map((l) => l.event.anonymousId));
    expect([...ids], `one anonymousId on ${path}`).toHaveLength(1);
    return [...ids][0] as string;
  });
  expect(new Set(pageIds).size).toBe(4);
  // None of them is kept anywhere in the page.
  const stored = await page.evaluate(
    () => JSON.stringify({ ...localStorage }) + JSON.stringify({ ...sessionStorage }),
  );
  for (const id of pageIds) expect(stored).not.toContain(id);

  // ---- the shopper accepts ----
  const seen = new Set(pending.map((l) => l.event.messageId));
  await page.click('#cookie-bar [data-cookies="accepted"]');
  await expect(page.locator('#cookie-bar')).toBeHidden();
  await page.evaluate(() => (window as unknown as Win).twilightTracker.track('After Accept', { n: 1 }));
  let lines = await until(
    collector,
    key,
    (ev) => ev.some((e) => label(e) === 'After Accept'),
    'After Accept',
  );
  const aid = (await ttStored(page)).find(([k]) => k === 'tt:aid')?.[1];
  expect(aid, 'tt:aid stored once the shopper accepted').toMatch(UUID);
  expect(pageIds).not.toContain(aid);

  await page.goto(`/p/103?${q}`);
  await storefrontReady(page);
  await expect(page.locator('#cookie-bar')).toBeHidden(); // the choice is stored
  lines = await until(
    collector,
    key,
    (ev) =>
      ['Product Viewed', 'page:product.single'].every((n) =>
        ev.some((e) => e.context.page?.path === '/p/103' && label(e) === n),
      ),
    'the events of the page after Accept',
  );
  const granted = lines.filter((l) => !seen.has(l.event.messageId));
  expect(granted.map((l) => label(l.event)).sort()).toEqual([
    'After Accept',
    'Product Viewed',
    'page:product.single',
  ]);
  const sessions = new Set<unknown>();
  for (const { event: e, valid } of granted) {
    const at = `${label(e)} on ${e.context.page?.path}`;
    expect(valid, at).toBe(true);
    expect(e.anonymousId, at).toBe(aid);
    expect(e.userId, at).toBe(CUSTOMER_ID);
    expect(e.context.session_id, at).toMatch(UUID);
    expect(e.context.consent, at).toEqual({ categoryPreferences: { analytics: true } });
    expect(e.context.consent_state, at).toBe('granted');
    sessions.add(e.context.session_id);
  }
  expect(sessions.size, 'one session across the two pages').toBe(1);
  expect((await ttStored(page)).find(([k]) => k === 'tt:aid')?.[1]).toBe(aid);
  await ctx.close();
});

test('Reject: the stored ids are purged at once and never sent again; after a reload events still arrive, denied', async ({
  page,
  collector,
  wk,
}) => {
  const key = wk();
  const q = `wk=${key}&wv=0&fi=100&cookies=1`;
  const events = async () => (await collector.events(key)).events;

  // ---- an earlier visit: the shopper accepted, the tracker stored its ids ----
  await page.goto(`/p/101?${q}`);
  await storefrontReady(page);
  await page.click('#cookie-bar [data-cookies="accepted"]');
  await act(page, '[data-action=add][data-product="101"]');
  let lines = await until(
    collector,
    key,
    (ev) => ev.some((e) => label(e) === 'Cart Updated'),
    'Cart Updated',
  );
  const stored = Object.fromEntries(await ttStored(page));
  const aid = stored['tt:aid'] as string;
  const sid = (JSON.parse(stored['tt:sid'] || '{}') as { id?: string }).id as string;
  expect(aid).toMatch(UUID);
  expect(sid).toMatch(UUID);
  expect(lines.find((l) => label(l.event) === 'Cart Updated')?.event).toMatchObject({
    anonymousId: aid,
    context: { session_id: sid, consent_state: 'granted' },
  });

  // ---- the choice is gone (the shopper reopens the cookie bar): pending again, ids still stored ----
  await page.evaluate(() => (window as unknown as Win).Salla.storage.remove('cookies-consent'));
  await page.goto(`/cart?${q}`);
  await storefrontReady(page);
  await expect(page.locator('#cookie-bar')).toBeVisible();
  lines = await until(
    collector,
    key,
    (ev) =>
      ['Cart Viewed', 'page:cart'].every((n) =>
        ev.some((e) => e.context.page?.path === '/cart' && label(e) === n),
      ),
    'the pending page events',
  );
  const pendingPage = onPath(lines, '/cart').map((l) => l.event);
  const pageId = pendingPage[0]?.anonymousId as string;
  for (const e of pendingPage) {
    expect(e.anonymousId, label(e)).toBe(pageId);
    expect(e.context.consent_state, label(e)).toBe('pending');
    expect(e.context, label(e)).not.toHaveProperty('session_id');
  }
  expect(pageId).not.toBe(aid);
  expect(JSON.stringify(pendingPage)).not.toContain(aid);
  expect(JSON.stringify(pendingPage)).not.toContain(sid);
  expect((await ttStored(page)).map(([k]) => k)).toContain('tt:aid'); // pending deletes nothing

  // ---- Reject: everything the tracker stored is gone at once ----
  const before = new Set((await events()).map((l) => l.event.messageId));
  await page.click('#cookie-bar [data-cookies="rejected"]');
  await expect(page.locator('#cookie-bar')).toBeHidden();
  await expect.poll(() => ttStored(page)).toEqual([]);
  await page.evaluate(() => (window as unknown as Win).twilightTracker.track('After Reject', { n: 1 }));
  lines = await until(collector, key, (ev) => ev.some((e) => label(e) === 'After Reject'), 'After Reject');
  const afterReject = lines.filter((l) => !before.has(l.event.messageId)).map((l) => l.event);
  expect(afterReject.map(label)).toContain('After Reject');
  for (const e of afterReject) {
    expect(e.anonymousId, label(e)).toMatch(UUID);
    expect(e.anonymousId, label(e)).not.toBe(aid);
    expect(e, label(e)).not.toHaveProperty('userId');
    expect(e.context, label(e)).not.toHaveProperty('session_id');
    expect(e.context.consent, label(e)).toEqual({ categoryPreferences: { analytics: false } });
    expect(e.context.consent_state, label(e)).toBe('denied');
  }

  // ---- reload: the stored choice (rejected) applies from the start; events still arrive ----
  const beforeReload = new Set((await events()).map((l) => l.event.messageId));
  await page.reload();
  await storefrontReady(page);
  await expect(page.locator('#cookie-bar')).toBeHidden();
  await act(page, '[data-action=remove]');
  lines = await until(
    collector,
    key,
    (ev) =>
      ev.some((e) => !beforeReload.has(e.messageId) && label(e) === 'page:cart') &&
      ev.some((e) => !beforeReload.has(e.messageId) && label(e) === 'Product Removed'),
    'the events after the reload',
  );
  const reloaded = lines.filter((l) => !beforeReload.has(l.event.messageId));
  expect(reloaded.map((l) => label(l.event))).toEqual(
    expect.arrayContaining(['Cart Viewed', 'page:cart', 'Product Removed', 'Cart Updated']),
  );
  const reloadIds = new Set(reloaded.map((l) => l.event.anonymousId));
  expect(reloadIds.size, 'one page-scoped id after the reload').toBe(1);
  for (const { event: e, valid } of reloaded) {
    expect(valid, label(e)).toBe(true);
    expect(e, label(e)).not.toHaveProperty('userId');
    expect(e.context, label(e)).not.toHaveProperty('session_id');
    expect(e.context.consent, label(e)).toEqual({ categoryPreferences: { analytics: false } });
    expect(e.context.consent_state, label(e)).toBe('denied');
  }
  // No identifier sent before the rejection appears in anything the collector got after it.
  const later = JSON.stringify(lines.filter((l) => !before.has(l.event.messageId)).map((l) => l.event));
  expect(later).not.toContain(aid);
  expect(later).not.toContain(sid);
  const afterReload = JSON.stringify(reloaded.map((l) => l.event));
  expect(afterReload).not.toContain(pageId);
  expect(await ttStored(page)).toEqual([]);
  expect((await collector.events(key)).invalid).toBe(0);
});
