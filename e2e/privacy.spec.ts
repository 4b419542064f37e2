/**
 * Issue 7 in a real browser, with the built dist/tracker.js, the real Twilight SDK and the demo
 * storefront (whose pages send `script-src 'self'; style-src 'self'`):
 * - signing in sends no clear email, phone or name, only their SHA-256;
 * - after the shopper rejects cookies, no identifier is sent and the stored ones are gone;
 * - under the strict CSP: no violation, no inline script or style, one global (plus the factory
 *   namespace), no patched built-in;
 * - a page with Prototype.js-style `Array.prototype.toJSON`, enumerable `Array.prototype`
 *   extensions and a replaced `JSON.stringify` still gets intact events.
 */
import { createHash } from 'node:crypto';
import type { Page } from '@playwright/test';
import type { TrackerEvent } from '../src/schema';
import { test, expect, label, storefrontReady, type CollectedLine, act, signIn } from './fixtures';

const sha = (s: string) => createHash('sha256').update(s).digest('hex');
/** The demo's Signed In (its customer, by OTP): identity fields only as SHA-256 of their normalized form. */
const SIGNED_IN = {
  type: 'user',
  method: 'mobile',
  email_sha256: sha('sara@example.com'),
  phone_sha256: sha('+966501234567'),
  first_name_sha256: sha('sara'),
  last_name_sha256: sha('ali'),
};
/** The demo customer (demo/store-api.mjs) in clear, as the SDK carries her. */
const LEAKS = [/sara@example\.com/i, /501234567/, /\bSarah?\b/i, /\bAli\b/];

async function until(
  collector: { events(wk: string): Promise<{ events: CollectedLine[] }> },
  key: string,
  ok: (events: TrackerEvent[]) => boolean,
) {
  await expect
    .poll(async () => ok((await collector.events(key)).events.map((l) => l.event)), { timeout: 10_000 })
    .toBe(true);
  return (await collector.events(key)).events;
}

const ttKeys = (page: Page) =>
  page.evaluate(() =>
    Object.keys(localStorage)
      .filter((k) => k.indexOf('tt:') === 0)
      .map((k): [string, string] => [k, localStorage.getItem(k) || '']),
  );

test('signing in sends no clear identity; rejecting cookies stops identifiers and purges them', async ({
  page,
  collector,
  wk,
}) => {
  const key = wk();
  const q = `wk=${key}&wv=0&fi=100`;

  // ---- sign in with the OTP, update the profile ----
  await page.goto(`/account?${q}`);
  await storefrontReady(page);
  await signIn(page);
  await until(collector, key, (ev) => ev.some((e) => label(e) === 'Signed In'));
  await page.goto(`/account?${q}`);
  await storefrontReady(page);
  await page.fill('#profile-first-name', 'Sarah');
  await act(page, '#profile-save');
  await until(collector, key, (ev) => ev.some((e) => label(e) === 'User Profile Updated'));

  // ---- signed in, on a product page ----
  await page.goto(`/p/103?${q}`);
  await storefrontReady(page);
  await act(page, '[data-action=wishlist-add][data-product="103"]');
  let lines = await until(collector, key, (ev) => ev.some((e) => label(e) === 'Product Added to Wishlist'));
  await page.evaluate(() =>
    (window as unknown as { twilightTracker: { flush(): Promise<void> } }).twilightTracker.flush(),
  );

  const signedIn = lines.map((l) => l.event).filter((e) => label(e) === 'Signed In');
  expect(signedIn).toHaveLength(1);
  expect(signedIn[0]?.properties).toEqual(SIGNED_IN);
  const before = lines.map((l) => l.event);
  const wishlist = before.find((e) => label(e) === 'Product Added to Wishlist') as TrackerEvent;
  expect(wishlist).toMatchObject({
    userId: '501',
    anonymousId: expect.any(String),
    context: {
      consent: { categoryPreferences: { analytics: true } },
      consent_state: 'granted',
      session_id: expect.any(String),
    },
  });
  expect((await ttKeys(page)).map(([k]) => k)).toEqual(expect.arrayContaining(['tt:aid', 'tt:sid']));
  const aid = wishlist.anonymousId as string;
  const sid = wishlist.context.session_id as string;

  // ---- the shopper rejects cookies on the store's cookie bar ----
  // What the collector holds now (the flush above sent everything queued): all later events are new.
  const sentBefore = new Set((await collector.events(key)).events.map((l) => l.event.messageId));
  const rejectedAt = await page.evaluate(() => {
    (window as unknown as { Salla: { event: { emit(n: string): void } } }).Salla.event.emit(
      'salla-cookies-bar::rejected',
    );
    return Date.now();
  });
  // Stored identifiers are gone at once, and nothing stored carries them.
  expect(
    (await ttKeys(page)).filter(
      ([k, v]) => k === 'tt:aid' || k === 'tt:sid' || v.indexOf(aid) >= 0 || v.indexOf(sid) >= 0,
    ),
  ).toEqual([]);

  await page.evaluate(() =>
    (window as unknown as { twilightTracker: { track(n: string, p: object): void } }).twilightTracker.track(
      'After Rejection',
      { n: 1 },
    ),
  );
  await act(page, '[data-action=add][data-product="103"]');
  lines = await until(
    collector,
    key,
    (ev) =>
      ev.some((e) => label(e) === 'After Rejection') &&
      ev.some((e) => label(e) === 'Product Added' && Date.parse(e.timestamp) >= rejectedAt),
  );
  const after = lines.map((l) => l.event).filter((e) => Date.parse(e.timestamp) >= rejectedAt);
  expect(after.map(label)).toEqual(
    expect.arrayContaining(['After Rejection', 'Product Added', 'Cart Updated']),
  );
  // After it: the page's own anonymous id (one, never stored), no customer id, no session.
  const pageIds = new Set(after.map((e) => e.anonymousId));
  expect(pageIds.size).toBe(1);
  expect(pageIds.has(aid)).toBe(false);
  for (const e of after) {
    expect(e.anonymousId, label(e)).toEqual(expect.any(String));
    expect(e, label(e)).not.toHaveProperty('userId');
    expect(e.context, label(e)).not.toHaveProperty('session_id');
    expect(e.context.consent).toEqual({ categoryPreferences: { analytics: false } });
    expect(e.context.consent_state).toBe('denied');
  }
  // Nothing the collector received after the rejection carries an identifier from before it.
  const later = lines.filter((l) => !sentBefore.has(l.event.messageId)).map((l) => l.event);
  expect(later.length).toBeGreaterThanOrEqual(after.length);
  const laterWire = JSON.stringify(later);
  expect(laterWire).not.toContain(aid);
  expect(laterWire).not.toContain(sid);
  expect(laterWire).not.toMatch(/"(userId|session_id)"/);
  expect(JSON.stringify(await ttKeys(page))).not.toContain([...pageIds][0]);
  expect((await ttKeys(page)).filter(([k]) => k === 'tt:aid' || k === 'tt:sid')).toEqual([]);

  // ---- nowhere, in anything the collector received, the customer in clear ----
  // Every batch was accepted (a body the collector refused would not be in its store).
  const requests = (await collector.requests(key)).filter((r) => r.method === 'POST');
  expect(requests.length).toBeGreaterThan(3);
  expect(requests.filter((r) => r.status !== 200)).toEqual([]);
  const stored = (await collector.events(key)).events;
  expect(stored.length).toBeGreaterThanOrEqual(lines.length);
  const all = JSON.stringify(stored.map((l) => l.event));
  for (const re of LEAKS) expect(all).not.toMatch(re);
  expect((await collector.events(key)).invalid).toBe(0);
});

/** Runs before any page script: records CSP violations (the fixture's guard also fails on console reports). */
function watchCsp() {
  const w = window as unknown as { __csp: string[] };
  w.__csp = [];
  document.addEventListener('securitypolicyviolation', (e) =>
    w.__csp.push(e.violatedDirective + ' ' + e.blockedURI),
  );
}

/** In the page: own property names (and function identities) of window and the built-ins a tracker could patch. */
function snapshot() {
  const targets: Record<string, object> = {
    window,
    Object,
    'Object.prototype': Object.prototype,
    'Array.prototype': Array.prototype,
    'Function.prototype': Function.prototype,
    'String.prototype': String.prototype,
    'Number.prototype': Number.prototype,
    'Date.prototype': Date.prototype,
    'Promise.prototype': Promise.prototype,
    'Map.prototype': Map.prototype,
    JSON,
    Math,
    console,
    'EventTarget.prototype': EventTarget.prototype,
    'Node.prototype': Node.prototype,
    'Element.prototype': Element.prototype,
    'Document.prototype': Document.prototype,
    'History.prototype': History.prototype,
    'Storage.prototype': Storage.prototype,
    'Navigator.prototype': Navigator.prototype,
    'XMLHttpRequest.prototype': XMLHttpRequest.prototype,
  };
  const out: Record<string, Map<string, unknown>> = {};
  for (const [name, t] of Object.entries(targets)) {
    const m = new Map<string, unknown>();
    for (const k of Object.getOwnPropertyNames(t)) {
      const d = Object.getOwnPropertyDescriptor(t, k);
      m.set(k, d && (typeof d.value === 'function' ? d.value : d.get || d.set || 'value'));
    }
    out[name] = m;
  }
  // DOM nodes the page gets from now on: scripts, styles, style attributes, frames.
  const added: string[] = [];
  new MutationObserver((records) => {
    for (const r of records) {
      if (r.type === 'attributes') added.push('style attribute on ' + (r.target as Element).tagName);
      for (const n of Array.from(r.addedNodes)) {
        const el = n as HTMLScriptElement;
        if (/^(SCRIPT|STYLE|LINK|IFRAME)$/.test(el.nodeName))
          added.push(el.nodeName + ' ' + (el.getAttribute('src') || el.getAttribute('href') || 'inline'));
      }
    }
  }).observe(document, { subtree: true, childList: true, attributes: true, attributeFilter: ['style'] });
  return { targets, out, added };
}

test("a page's Object.prototype.keep (the router's own name): signing in still sends only hashes", async ({
  page,
  collector,
  wk,
}) => {
  const key = wk();
  // An old library's enumerable extension with the name the router reads for `pii: 'keep'` (tracker.js
  // keeps it: it is not renamed). Before each destination had its own, the endpoint got clear identity.
  await page.addInitScript(() => {
    (Object.prototype as unknown as Record<string, unknown>).keep = true;
  });
  await page.goto(`/account?wk=${key}&wv=0&fi=100`);
  await storefrontReady(page);
  await signIn(page);
  const lines = await until(collector, key, (ev) => ev.some((e) => label(e) === 'Signed In'));
  expect(await page.evaluate(() => ('keep' in {}) as boolean)).toBe(true); // the page really is polluted
  const signedIn = lines.map((l) => l.event).find((e) => label(e) === 'Signed In');
  expect(signedIn?.properties).toEqual(SIGNED_IN);
  expect(JSON.stringify(lines)).not.toContain('sara@example.com');
});
test('strict CSP: no violation, no inline script or style, two globals, no patched built-in', async ({
  page,
  collector,
  wk,
}) => {
  const key = wk();
  await page.addInitScript(watchCsp);
  const res = await page.goto(`/p/101?tracker=0&wk=${key}`);
  expect(res?.headers()['content-security-policy']).toContain("script-src 'self'; style-src 'self'");
  await storefrontReady(page);
  const before = await page.evaluateHandle(snapshot);

  // Load the built tracker the way a theme does: a script tag with data attributes.
  await page.evaluate(
    (k) =>
      new Promise<void>((resolve, reject) => {
        const s = document.createElement('script');
        s.src = '/assets/tracker.js';
        Object.assign(s.dataset, {
          endpoint: '/collect',
          writeKey: k,
          flushInterval: '100',
          webVitals: 'false',
        });
        s.onload = () => resolve();
        s.onerror = () => reject(new Error('tracker.js did not load'));
        document.head.appendChild(s);
      }),
    key,
  );
  await act(page, '[data-action=add][data-product="101"]');
  await page.evaluate(() =>
    (window as unknown as { twilightTracker: { track(n: string, p: object): void } }).twilightTracker.track(
      'CSP Probe',
      { list: [1, 2] },
    ),
  );
  const lines = await until(collector, key, (ev) =>
    ['page:product.single', 'Product Added', 'CSP Probe'].every((n) => ev.some((e) => label(e) === n)),
  );
  expect(lines.filter((l) => !l.valid)).toEqual([]);

  const diff = await page.evaluate((snap) => {
    const changes: string[] = [];
    for (const [name, t] of Object.entries(snap.targets)) {
      const was = snap.out[name] as Map<string, unknown>;
      for (const k of Object.getOwnPropertyNames(t)) if (!was.has(k)) changes.push('added ' + name + '.' + k);
      for (const [k, v] of was) {
        const d = Object.getOwnPropertyDescriptor(t, k);
        if (!d) changes.push('removed ' + name + '.' + k);
        else if (typeof v === 'function' && (typeof d.value === 'function' ? d.value : d.get || d.set) !== v)
          changes.push('replaced ' + name + '.' + k);
      }
    }
    return { changes: changes.sort(), added: snap.added };
  }, before);
  expect(diff.changes).toEqual(['added window.TwilightTracker', 'added window.twilightTracker']);
  expect(diff.added).toEqual(['SCRIPT /assets/tracker.js']);
  expect(await page.evaluate(() => (window as unknown as { __csp: string[] }).__csp)).toEqual([]);
  expect(
    await page.evaluate(
      () =>
        document.querySelectorAll('style, [style], script:not([src]):not([type="application/json"])').length,
    ),
  ).toBe(0);
});

/** Runs before any page script: what old theme libraries do to built-ins. */
function pollute() {
  const w = window as unknown as {
    __stringifyCalls: number;
    __trackerStringifyCalls: number;
    __batches: unknown[];
    twilightTracker: unknown[];
  };
  // Prototype.js 1.6: arrays serialize themselves to a JSON *string*, so JSON.stringify([1]) is '"[1]"'.
  Object.defineProperty(Array.prototype, 'toJSON', {
    configurable: true,
    writable: true,
    value: function (this: unknown[]) {
      return '[' + this.map((x) => String(x)).join(', ') + ']';
    },
  });
  // MooTools-style enumerable extensions (they show up in for…in over arrays).
  (Array.prototype as unknown as Record<string, unknown>).each = function () {};
  (Array.prototype as unknown as Record<string, unknown>).foo = 'bar';
  // A replaced JSON.stringify (it still calls the native one, so the page's own JSON keeps working).
  // It counts its calls, and apart those made from tracker.js (the caller's frame in the stack).
  const native = JSON.stringify;
  w.__stringifyCalls = 0;
  w.__trackerStringifyCalls = 0;
  JSON.stringify = function (this: JSON, ...args: Parameters<typeof JSON.stringify>) {
    w.__stringifyCalls++;
    if (/\/assets\/tracker\.js/.test((new Error().stack || '').split('\n')[2] || ''))
      w.__trackerStringifyCalls++;
    return native.apply(this, args);
  } as typeof JSON.stringify;
  // A callback pushed before the tracker loads: does it get real arrays?
  w.__batches = [];
  w.twilightTracker = [
    [
      'register',
      (events: Array<{ event?: string; properties: { products?: unknown } }>) => {
        for (const e of events)
          w.__batches.push([
            Array.isArray(events),
            e.event || 'page',
            e.properties.products === undefined || Array.isArray(e.properties.products),
          ]);
      },
    ],
  ];
}

test('polluted prototypes and a replaced JSON.stringify: events still arrive intact', async ({
  page,
  collector,
  wk,
}) => {
  const key = wk();
  const q = `wk=${key}&wv=0&fi=100`;
  await page.addInitScript(pollute);
  await page.goto(`/?${q}`);
  await storefrontReady(page);
  expect(await page.evaluate(() => JSON.stringify([1, 2]))).toBe('"[1, 2]"'); // the page really is polluted
  await act(page, '[data-action=add][data-product="101"]');
  await until(collector, key, (ev) => ev.some((e) => label(e) === 'Cart Updated'));
  await page.goto(`/cart?${q}`);
  await storefrontReady(page);
  const lines = await until(collector, key, (ev) => ev.some((e) => label(e) === 'Cart Viewed'));

  expect(lines.filter((l) => !l.valid).map((l) => [label(l.event), l.problems])).toEqual([]);
  const byName = (n: string) =>
    lines.map((l) => l.event).find((e) => label(e) === n) as TrackerEvent & {
      properties: Record<string, unknown>;
    };
  for (const n of ['Cart Updated', 'Cart Viewed']) {
    const products = byName(n).properties.products as Array<Record<string, unknown>>;
    expect(Array.isArray(products), n).toBe(true);
    expect(
      products.map((p) => [p.product_id, p.quantity]),
      n,
    ).toEqual([['101', 1]]);
    expect(JSON.stringify(byName(n))).not.toMatch(/"each"|"foo"|"\[/);
  }
  expect(byName('Product Added').properties).toMatchObject({ product_id: '101', quantity: 1, price: 68 });
  // The callback got arrays too (its copy is made without the page's JSON.stringify).
  const batches = await page.evaluate(
    () => (window as unknown as { __batches: Array<[boolean, string, boolean]> }).__batches,
  );
  expect(batches.length).toBeGreaterThan(0);
  expect(batches.filter(([isArray, , products]) => !isArray || !products)).toEqual([]);
  // The tracker left the page's extensions alone.
  expect(await page.evaluate(() => typeof (Array.prototype as unknown as { toJSON?: unknown }).toJSON)).toBe(
    'function',
  );
  // JSON.stringify was replaced BEFORE tracker.js loaded, so the one it captured at load is the
  // page's wrapper: the tracker serialized this page's events with it (and they are intact anyway).
  const calls = await page.evaluate(() => {
    const w = window as unknown as { __stringifyCalls: number; __trackerStringifyCalls: number };
    return { all: w.__stringifyCalls, tracker: w.__trackerStringifyCalls };
  });
  expect(calls.tracker).toBeGreaterThan(0);
  expect(calls.all).toBeGreaterThanOrEqual(calls.tracker);
});

test('JSON.stringify replaced AFTER tracker.js loaded: the tracker never calls the replacement', async ({
  page,
  collector,
  wk,
}) => {
  const key = wk();
  const q = `wk=${key}&wv=0&fi=100`;
  // The replacement reports every call made from tracker.js to the test at once (a binding outlives
  // the page, so calls made while it unloads count too).
  const fromTracker: string[] = [];
  await page.exposeBinding('__trackerCalledStringify', (_src, where: string) => void fromTracker.push(where));
  await page.goto(`/?${q}`);
  await storefrontReady(page);
  await page.waitForFunction(
    () =>
      typeof (window as unknown as { twilightTracker?: { track?: unknown } }).twilightTracker?.track ===
      'function',
  );
  await until(collector, key, (ev) => ev.some((e) => label(e) === 'page:index'));
  const pageCalls = await page.evaluate(() => {
    const w = window as unknown as { __pageCalls: number; __trackerCalledStringify(where: string): void };
    const native = JSON.stringify;
    w.__pageCalls = 0;
    JSON.stringify = function (this: JSON, ...args: Parameters<typeof JSON.stringify>) {
      w.__pageCalls++;
      const caller = (new Error().stack || '').split('\n')[2] || '';
      if (/\/assets\/tracker\.js/.test(caller)) w.__trackerCalledStringify(caller.trim());
      return native.apply(this, args);
    } as typeof JSON.stringify;
    JSON.stringify({ probe: true }); // the page's own call goes through it
    return w.__pageCalls;
  });
  expect(pageCalls).toBe(1);

  // An SDK action, a custom event, a flush; then one more event and the page is left at once (it
  // goes out at pagehide).
  await act(page, '[data-action=add][data-product="101"]');
  await page.evaluate(() =>
    (window as unknown as { twilightTracker: { track(n: string, p: object): void } }).twilightTracker.track(
      'After Replace',
      { list: [1, 2] },
    ),
  );
  await until(collector, key, (ev) =>
    ['Product Added', 'Cart Updated', 'After Replace'].every((n) => ev.some((e) => label(e) === n)),
  );
  await page.evaluate(() => {
    (window as unknown as { twilightTracker: { track(n: string, p: object): void } }).twilightTracker.track(
      'Leaving',
      { list: [3] },
    );
    location.href = '/lab/plain';
  });
  await page.waitForURL('**/lab/plain');
  const lines = await until(collector, key, (ev) => ev.some((e) => label(e) === 'Leaving'));
  expect(fromTracker, 'calls of the replaced JSON.stringify from tracker.js').toEqual([]);
  expect(lines.filter((l) => !l.valid)).toEqual([]);
  expect(
    lines.filter((l) => ['After Replace', 'Leaving'].includes(label(l.event))).map((l) => l.event.properties),
  ).toEqual([{ list: [1, 2] }, { list: [3] }]);
});
