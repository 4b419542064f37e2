/**
 * Issue 12, case 2: a hostile page. Before tracker.js loads (an init script runs before every page
 * script), the page has a `fetch` that throws, Prototype.js' `Array.prototype.toJSON`, enumerable
 * `Object.prototype` extensions (`foo`, and a theme's `__theme` object) and a wrapped
 * `JSON.stringify`. A real `salla.cart.addItem` on the demo storefront must still deliver Product
 * Added once, intact, by a transport that works without `fetch`, and nothing may throw in the page
 * (the fixture's guard fails the test on any page error).
 */
import type { TrackerEvent } from '../src/schema';
import { test, expect, label, storefrontReady, type CollectedLine, type Collector } from './fixtures';
import { addItem, productAdded101, version } from './expected';

/** Runs before any page script: what a hostile theme did to the page. */
function hostile() {
  const w = window as unknown as { __fetchCalls: number };
  w.__fetchCalls = 0;
  // A "polyfill" that throws.
  window.fetch = function () {
    w.__fetchCalls++;
    throw new TypeError('fetch is not available');
  } as typeof fetch;
  // Prototype.js 1.6: arrays serialize themselves to a JSON string.
  Object.defineProperty(Array.prototype, 'toJSON', {
    configurable: true,
    writable: true,
    value: function (this: unknown[]) {
      return '[' + this.map((x) => String(x)).join(', ') + ']';
    },
  });
  // Enumerable Object.prototype extensions: every `for…in` over any object sees them.
  (Object.prototype as unknown as Record<string, unknown>).foo = 'bar';
  (Object.prototype as unknown as Record<string, unknown>).__theme = {
    name: 'hostile-theme',
    colors: ['#000', '#fff'],
  };
  // A theme's menu in a global named `navigation` (the Navigation API's name; in browsers without it
  // such a global is common): not an EventTarget.
  Object.defineProperty(window, 'navigation', {
    configurable: true,
    writable: true,
    value: { items: ['Home', 'Shop'] },
  });
  // A wrapped JSON.stringify (it still calls the native one; tracker.js captures this wrapper at load).
  const native = JSON.stringify;
  JSON.stringify = function (this: JSON, ...args: Parameters<typeof JSON.stringify>) {
    return native.apply(this, args);
  } as typeof JSON.stringify;
}

/** Every key of a JSON value, at any depth, and every array that arrived as a string. */
function keysAndStringArrays(v: unknown, path = '$', keys = new Set<string>(), bad: string[] = []) {
  if (typeof v === 'string' && /^\[.*\]$/.test(v)) bad.push(path);
  if (Array.isArray(v)) v.forEach((x, i) => keysAndStringArrays(x, `${path}[${i}]`, keys, bad));
  else if (v && typeof v === 'object')
    for (const [k, x] of Object.entries(v)) {
      keys.add(k);
      keysAndStringArrays(x, `${path}.${k}`, keys, bad);
    }
  return { keys, bad };
}

type Win = Window & {
  twilightTracker?: { track?: unknown };
};

/** The collector's lines for `key` once `name` arrived, and 1 s more for any repeat. */
async function linesWith(collector: Collector, key: string, name: string): Promise<CollectedLine[]> {
  await expect
    .poll(async () => (await collector.events(key)).events.some((l) => label(l.event) === name), {
      timeout: 15_000,
      message: `${name} reached the collector`,
    })
    .toBe(true);
  await new Promise((r) => setTimeout(r, 1000));
  return (await collector.events(key)).events;
}

for (const variant of ['granted', 'pending'] as const) {
  test(`a hostile page (throwing fetch, polluted prototypes, wrapped JSON.stringify): Product Added once, intact (${variant})`, async ({
    page,
    collector,
    wk,
    server,
  }) => {
    const key = wk();
    // pending: Salla's cookie bar with no choice made (the tracker sends anonymous events at once).
    const q = `wk=${key}&wv=0&fi=100${variant === 'pending' ? '&cookies=1' : ''}`;
    await page.addInitScript(hostile);
    const consoleLines: string[] = [];
    page.on('console', (m) => consoleLines.push(`${m.type()}: ${m.text()}`));
    await page.goto(`/p/101?${q}`);
    await storefrontReady(page);
    // The premise: the page really is hostile.
    expect(
      await page.evaluate(() => ({
        array: JSON.stringify([1, 2]),
        navigation: typeof (window as unknown as { navigation: { addEventListener?: unknown } }).navigation
          .addEventListener,
        forIn: (() => {
          const seen: string[] = [];
          for (const k in {}) seen.push(k);
          return seen;
        })(),
        fetchThrows: (() => {
          const w = window as unknown as { __fetchCalls: number };
          try {
            void fetch('/');
            return false;
          } catch {
            return true;
          } finally {
            w.__fetchCalls--; // not the tracker's
          }
        })(),
      })),
    ).toEqual({ array: '"[1, 2]"', forIn: ['foo', '__theme'], fetchThrows: true, navigation: 'undefined' });
    await page.waitForFunction(() => typeof (window as unknown as Win).twilightTracker?.track === 'function');

    // The tracker started: the page's global is the tracker, not the do-nothing stand-in of a failed start.
    expect(
      await page.evaluate(
        () => (window as unknown as { twilightTracker: { version: string } }).twilightTracker.version,
      ),
    ).toBe(version);

    const cartId = await addItem(page);
    // And the API works on this page too (a custom event with arrays and a nested object).
    await page.evaluate(() =>
      (window as unknown as { twilightTracker: { track(n: string, p: object): void } }).twilightTracker.track(
        'Hostile Probe',
        { list: [1, 2], nested: { tags: ['a', 'b'] } },
      ),
    );
    const lines = await linesWith(collector, key, 'Product Added');

    const added = lines.filter((l) => label(l.event) === 'Product Added');
    expect(added, 'Product Added arrived once').toHaveLength(1);
    const e = added[0]!.event as TrackerEvent & { properties: Record<string, unknown> };
    expect(added[0]!.valid, JSON.stringify(added[0]!.problems)).toBe(true);
    expect(e.properties).toEqual(productAdded101(server.origin, cartId));
    expect(e.context.consent_state).toBe(variant);
    // Nothing of the page's extensions anywhere in any event, and every array is an array.
    for (const l of lines) {
      const { keys, bad } = keysAndStringArrays(l.event);
      expect(
        [...keys].filter((k) => k === 'foo' || k === '__theme' || k === 'toJSON'),
        label(l.event),
      ).toEqual([]);
      expect(bad, label(l.event)).toEqual([]);
      expect(l.valid, `${label(l.event)}: ${l.problems.join('; ')}`).toBe(true);
    }
    const cart = lines.find((l) => label(l.event) === 'Cart Updated')?.event.properties as
      { products?: unknown } | undefined;
    expect(Array.isArray(cart?.products), 'Cart Updated products is an array').toBe(true);

    // fetch throws: the tracker tried it (once) and delivered by beacon, a no-cors request.
    const requests = (await collector.requests(key)).filter((r) => r.method === 'POST');
    expect(requests.length).toBeGreaterThan(0);
    expect(requests.map((r) => [r.transport, r.status])).toEqual(requests.map(() => ['beacon', 200]));
    expect(await page.evaluate(() => (window as unknown as { __fetchCalls: number }).__fetchCalls)).toBe(1);

    const probe = lines.filter((l) => label(l.event) === 'Hostile Probe');
    expect(probe.map((l) => l.event.properties)).toEqual([{ list: [1, 2], nested: { tags: ['a', 'b'] } }]);
    // No warning from the tracker (a failed start says `twilight-tracker: E1 …`).
    expect(consoleLines.filter((t) => t.includes('twilight-tracker'))).toEqual([]);
  });
}

/**
 * The browser reads a dictionary argument's members through the prototype chain: a page's enumerable
 * `Object.prototype` extensions with the names of `fetch`'s, Web Locks' and `addEventListener`'s
 * options reach every call that passes an object literal (an old `$.extend(true, …)` over JSON can
 * put them there). The tracker's own calls must not take them: its batches still go by `fetch`, its
 * queue lock is still exclusive.
 */
test("a page's Object.prototype with fetch's, Web Locks' and listeners' option names: batches by fetch, the lock exclusive", async ({
  page,
  collector,
  wk,
}) => {
  const key = wk();
  await page.addInitScript(() => {
    const p = Object.prototype as unknown as Record<string, unknown>;
    // RequestInit: a cross-origin POST in `same-origin` mode fails; Web Locks: `shared`, so two
    // tabs would both hold a queue. (An invalid `mode` for one is valid for the other.)
    p.mode = 'shared';
    p.cache = 'only-if-cached';
    p.integrity = 'sha256-AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=';
    p.priority = 'nonsense';
    // LockOptions: take another tab's lock (with `ifAvailable`, the call throws).
    p.steal = true;
    const w = window as unknown as { __reasons: string[] };
    w.__reasons = [];
  });
  // Default options (batches every 2 s; web vitals on).
  await page.goto(`/p/101?wk=${key}`);
  await storefrontReady(page);
  await page.waitForFunction(() => typeof (window as unknown as Win).twilightTracker?.track === 'function');
  await page.evaluate(() => {
    const w = window as unknown as {
      __reasons: string[];
      twilightTracker: { on(k: string, h: (r: { destination: string; reason?: string }) => void): void };
    };
    w.twilightTracker.on(
      'delivered',
      (r) => r.destination == 'endpoint' && w.__reasons.push(r.reason ?? 'fetch'),
    );
  });
  const cartId = await addItem(page);
  expect(cartId).toBeTruthy();
  const lines = await linesWith(collector, key, 'Product Added');
  expect(lines.filter((l) => label(l.event) === 'Product Added')).toHaveLength(1);
  // Every endpoint batch reported delivered by fetch (a fallback reports `xhr` or `beacon`).
  await expect
    .poll(() => page.evaluate(() => (window as unknown as { __reasons: string[] }).__reasons))
    .not.toEqual([]);
  const reasons = await page.evaluate(() => (window as unknown as { __reasons: string[] }).__reasons);
  expect([...new Set(reasons)]).toEqual(['fetch']);
  // The tracker's queue lock is held, exclusive.
  const held = await page.evaluate(async () =>
    ((await navigator.locks.query()).held ?? []).map((l) => [l.name?.slice(0, 3), l.mode]),
  );
  expect(held).toContainEqual(['tt:', 'exclusive']);
  expect(held.filter(([n]) => n === 'tt:').map(([, m]) => m)).not.toContain('shared');
});

/**
 * The same, for every option name of the browser calls the tracker makes with an object (`fetch`,
 * `fetchLater`, Web Locks, `addEventListener`): a getter on `Object.prototype` notes each read made
 * inside `tracker.js` (by its stack). It gives `undefined`, so nothing else changes on the page.
 */
test("no option of the tracker's browser calls is read from Object.prototype", async ({
  page,
  collector,
  wk,
}) => {
  const key = wk();
  await page.addInitScript(() => {
    const reads: string[] = [];
    (window as unknown as { __inherited: string[] }).__inherited = reads;
    // RequestInit (and fetchLater's), LockOptions, AddEventListenerOptions, EventInit, BlobPropertyBag.
    const names = [
      'mode',
      'cache',
      'redirect',
      'integrity',
      'referrerPolicy',
      'priority',
      'duplex',
      'headers',
      'credentials',
      'keepalive',
      'signal',
      'window',
      'activateAfter',
      'ifAvailable',
      'steal',
      'capture',
      'once',
      'passive',
      'bubbles',
      'cancelable',
      'composed',
      'endings',
    ];
    for (const n of names)
      Object.defineProperty(Object.prototype, n, {
        configurable: true,
        get() {
          const limit = Error.stackTraceLimit;
          Error.stackTraceLimit = 100;
          const stack = new Error().stack ?? '';
          Error.stackTraceLimit = limit;
          if (/\/tracker\.js[?:]/.test(stack)) reads.push(n);
          return undefined;
        },
        // (An assignment makes an own property, as it would without the getter.)
        set(v: unknown) {
          Object.defineProperty(this, n, { value: v, writable: true, enumerable: true, configurable: true });
        },
      });
  });
  const inherited = () =>
    page.evaluate(() => [...new Set((window as unknown as { __inherited: string[] }).__inherited)]);
  // Default options: the web vitals loader, the SDK's wait, the queue's lock and batches by fetch.
  await page.goto(`/p/101?wk=${key}`);
  await storefrontReady(page);
  expect(await page.evaluate(() => 'mode' in {})).toBe(true); // the getters are there
  await addItem(page);
  const before = (await linesWith(collector, key, 'Product Added')).length;
  expect(await inherited()).toEqual([]);
  // The page goes (a beacon or keepalive for what is left) to another with the tracker, which sends.
  await page.goto(`/p/102?wk=${key}`);
  await storefrontReady(page);
  await expect
    .poll(async () => (await collector.events(key)).events.length, { timeout: 10_000 })
    .toBeGreaterThan(before);
  expect(await inherited()).toEqual([]);
});
