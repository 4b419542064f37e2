// A host page's Object.prototype with any property name the tracker's source uses (an old library or a
// theme adds enumerable properties there): the same visit sends the same bytes, delivers the same
// events to a callback, and gives the same stats and delivery reports as on a clean page. The names
// are read from every file in src/ (the public types' and the internal units' alike: the ESM build
// keeps internal names, and tracker.js only renames them), so a name a change adds is covered without
// editing this test.
// (It found Object.prototype.context losing every event, .consent a callback's deliveries, .email,
// .first_name or .last_name adding a hash of the page's value to events without them, .keep sending
// identity fields in clear to the endpoint, .concurrency stopping a callback's queue, .changed and
// .shown throwing, .taken and .over counting batches wrongly, .auth a Signed In with no sign-in, and
// .retryAfter, .via or .error changing a failed batch's retry and every report's reason; with a full
// storage, .maxBytes storing nothing and .u counting a stored event as handed to the browser.)
import { readFileSync, readdirSync } from 'node:fs';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { createCore } from '../src/core/createCore';
import { counter, fakeEnv, sdkAfterNone } from './helpers/fakeEnv';
import { fakeSdk, storeConfig } from './helpers/fakeSdk';
import { args, fired } from './normalize/fixture';
import { fakeLocks } from './delivery/fakeLocks';
import type { SendResult } from '../src/delivery/retryPolicy';
import type { KV } from '../src/lib/kv';

/**
 * Every property name in src/ (accessed as `.name` or `?.name`, a key `name:`, a member `name(`, or a
 * one-word string, as read by key): the public types' and the units' own.
 */
function sourceNames(): string[] {
  const names = new Set<string>();
  const dir = new URL('../src/', import.meta.url);
  for (const f of readdirSync(dir, { recursive: true, encoding: 'utf8' })) {
    if (!f.endsWith('.ts')) continue;
    const code = readFileSync(new URL(f, dir), 'utf8')
      // comments out (their words are not names); a one-word string is a name, any other string not
      .replace(/\/\*[\s\S]*?\*\/|\/\/.*$/gm, '')
      .replace(/(['"`])((?:[^\\\n]|\\.)*?)\1/g, (_, q: string, w: string) =>
        /^[A-Za-z_$][\w$]*$/.test(w) ? ` ${w} ` : '""',
      );
    for (const m of code.matchAll(
      /\??\.\s*([A-Za-z_$][\w$]*)|[{,]\s*([A-Za-z_$][\w$]*)\s*\??\s*[:(,}]|\b([A-Za-z_$][\w$]*)\??:\s/g,
    ))
      names.add((m[1] || m[2] || m[3]) as string);
  }
  // Names no page can put on Object.prototype and still run its own code, so not this test's subject:
  // every object thenable, printable or convertible (`then`, `toJSON`: test/hostileBuiltins.test.ts
  // covers a throwing toJSON, `toString`, `valueOf`, `constructor`, `hasOwnProperty`); `return`: every
  // array destructuring, and every `for…of` left early, calls the iterator's (then the page's) `return`;
  // `get`, `set`: every `Object.defineProperty` reads its descriptor's (then the page's); and
  // `__proto__`, which is Object.prototype's own accessor, not a name a page can give it.
  for (const n of [
    'then',
    'toJSON',
    'toString',
    'valueOf',
    'constructor',
    'hasOwnProperty',
    'return',
    'get',
    'set',
    '__proto__',
  ])
    names.delete(n);
  return [...names].sort();
}

const proto = Object.prototype as Record<string, unknown>;

/**
 * One visit: the recorded journey's hooks (every one) on a store with a signed-in customer, consent
 * granted once the SDK is there (pending before), denied and granted again, custom events, a tab
 * switch and back, a pagehide and a return from the bfcache; a collector that fails now and then and
 * a callback that fails once; with Web Locks (`locks`) or without (Safari < 15.4). `full`: storage
 * that refuses any value over 1,500 characters (a full quota), the endpoint, write key and batch size
 * from the store's app settings (the App Snippet), not options, the SDK after the tracker gave up
 * waiting for it, a Salla-style destination, and `destroy()` at the end. What it gives: the requests, the
 * callback's batches, the stats and every delivery report.
 */
async function visit(locks: boolean, full = false) {
  const s = fakeSdk(
    storeConfig({
      store: { id: 1001, name: 'Demo Store', url: 'http://127.0.0.1:4400' },
      user: { id: 501, type: 'user', email: 'sara@example.com', currency_code: 'SAR', language_code: 'ar' },
      page: { slug: 'product.single', id: 102, title: 'Coffee' },
      ...(full && {
        app: {
          tracker_endpoint: 'http://127.0.0.1:4401/c',
          tracker_write_key: 'wk_app',
          tracker_batch_size: 5,
        },
      }),
    }),
  );
  const m = new Map<string, string>();
  const fullKV: KV = {
    get: (k) => m.get(k) ?? null,
    set: (k, v) => v.length <= 1500 && !!m.set(k, v),
    del: (k) => void m.delete(k),
    keys: () => Array.from(m.keys()),
    mem: () => false,
  };
  // The collector fails now and then (a 503 with Retry-After, the network, a 429, a 413), as does the callback.
  const answers: Array<SendResult | number> = [200, { status: 503, retryAfter: 1500 }, 200, 0, 429, 200, 413];
  let sends = 0;
  const t = fakeEnv({
    locks: locks ? fakeLocks().tab().locks : undefined,
    kv: full ? fullKV : undefined,
    sdk: s.sdk,
    uuid: counter(),
    status: () => answers[sends++ % answers.length] as SendResult | number,
  });
  // As the browser's env has them: every key its own, also when there is none (undefined).
  t.env.session = () => null;
  t.env.vitals = undefined;
  t.env.page = () => ({
    url: 'http://127.0.0.1:4400/p/1',
    path: '/p/1',
    search: undefined,
    title: 'Shirt',
    referrer: undefined,
  });
  t.env.userAgent = undefined;
  // (full: the SDK comes after the tracker gave up waiting for it, as a slow loader's does)
  const arrive = full ? sdkAfterNone(t) : () => undefined;
  const tracker = createCore(
    [full ? { webVitals: false } : { endpoint: 'http://127.0.0.1:4401/c', webVitals: false }],
    t.env,
  );
  const got: string[] = [];
  const reports: string[] = [];
  for (const kind of ['delivered', 'dropped', 'retry'] as const)
    tracker.on(kind, (r) => void reports.push(kind + ' ' + JSON.stringify(r)));
  let calls = 0;
  tracker.register((events) => {
    if (++calls === 2) throw new Error('callback failed once');
    got.push(JSON.stringify(events));
  });
  // (full: also a Salla-style destination without `page`, registered with a name only)
  if (full)
    tracker.register(
      { name: 'salla', track: (n, p) => void got.push('salla ' + n + ' ' + JSON.stringify(p)) },
      { name: 'salla-dest' },
    );
  arrive(s.sdk);
  s.init();
  tracker.consent('granted');
  for (const h of fired) s.emit(h.name, ...args(h.name, fired.filter((x) => x.name === h.name).indexOf(h)));
  tracker.track('Newsletter Subscribed', { email: 'Sara@Example.com', source: 'footer' });
  tracker.track('Size Guide Opened', { product_id: '102', units: ['cm', 'in'], nested: { a: 1 } });
  tracker.page({ section: 'cart' });
  tracker.consent('denied');
  tracker.track('While Denied', { step: 'help' });
  tracker.consent('granted');
  await vi.advanceTimersByTimeAsync(3000);
  tracker.track('Checkout Help Opened', { step: 'payment' });
  t.hide(false);
  tracker.track('Tab Hidden', { step: 'payment' });
  t.show(false);
  await vi.advanceTimersByTimeAsync(3000);
  t.hide(true);
  t.show(true);
  tracker.track('Back From Cache', { step: 'payment' });
  // A catalog event with properties to repair (a number id, a string price).
  tracker.track('Product Viewed', { product_id: 102, price: '12.5', name: 'Coffee' } as never);
  await vi.advanceTimersByTimeAsync(10_000);
  if (full) {
    tracker.track('Before Destroy', { step: 'done' });
    tracker.destroy();
    await vi.advanceTimersByTimeAsync(1000);
  }
  return {
    sent: JSON.stringify(t.sent),
    got,
    stats: JSON.stringify(tracker.stats()),
    reports: reports.join('\n'),
    n: t.events().length,
  };
}

describe('an Object.prototype with a name the tracker reads', () => {
  afterEach(() => vi.useRealTimers());
  const names = sourceNames();

  it('the names come from the source, public and internal (a sanity check of the list)', () => {
    expect(names.length).toBeGreaterThan(500);
    for (const n of [
      'context',
      'properties',
      'messageId',
      'product_id',
      'consent',
      'email',
      'keep',
      'concurrency',
      'taken',
      'auth',
      'mem',
      'offline',
    ])
      expect(names).toContain(n);
  });

  it(
    'for each, as an object and as a string: the visit sends and delivers exactly what it does on a clean page',
    { timeout: 120_000 },
    async () => {
      const T = Date.parse('2026-12-05T12:00:00Z');
      vi.useFakeTimers({ now: T });
      // A clean visit of each kind: with Web Locks, without, and with a full storage and the app's
      // settings; each polluted visit is compared with its own.
      const cleans = [
        await visit(true),
        (vi.setSystemTime(T), await visit(false)),
        (vi.setSystemTime(T), await visit(false, true)),
      ];
      for (const clean of cleans) {
        // (the visit really takes the failure paths: retries, a callback's failure, reports of each
        // kind; all sent, but for what the full visit's destroy() left stored for the next page)
        expect(JSON.parse(clean.stats)).toMatchObject({ queued: clean === cleans[2] ? 1 : 0 });
        expect(JSON.parse(clean.stats).retried).toBeGreaterThan(0);
        for (const kind of ['delivered', 'retry']) expect(clean.reports).toContain('\n' + kind + ' ');
        expect(clean.n).toBeGreaterThan(20);
        expect(clean.got.length).toBeGreaterThan(0);
      }
      // (the full visit's Salla-style destination got events, and its SDK came late)
      expect(cleans[2]?.got.filter((g) => g.startsWith('salla Product Viewed ')).length).toBeGreaterThan(0);
      const differ: string[] = [];
      for (const name of names)
        // (as an object with Web Locks, as a string without, as `true` with a full storage)
        for (const [value, kind] of [
          [{ x: 1 }, 0],
          ['POLLUTED', 1],
          [true, 2],
        ] as const) {
          vi.setSystemTime(T);
          const clean = cleans[kind] as Awaited<ReturnType<typeof visit>>;
          proto[name] = value;
          let r: Awaited<ReturnType<typeof visit>> | string;
          try {
            r = await visit(kind == 0, kind == 2);
          } catch (e) {
            r = String(e);
          } finally {
            delete proto[name];
          }
          if (
            typeof r === 'string' ||
            r.sent !== clean.sent ||
            r.stats !== clean.stats ||
            r.reports !== clean.reports ||
            r.got.join() !== clean.got.join()
          )
            differ.push(name + '=' + JSON.stringify(value));
        }
      expect(differ).toEqual([]);
    },
  );
});
