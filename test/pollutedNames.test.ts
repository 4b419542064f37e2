// A host page's Object.prototype with any property name of the public types (an old library or a
// theme adds enumerable properties there): the same visit sends the same bytes, delivers the same
// events to a callback and reports the same stats as on a clean page. The names are read from
// src/schema.ts and src/types.ts, so a name a change adds is covered without editing this test.
// (It found Object.prototype.context losing every event, .consent a callback's deliveries, and
// .email, .first_name or .last_name adding a hash of the page's value to events without them.)
import { readFileSync } from 'node:fs';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { createCore } from '../src/core/createCore';
import { counter, fakeEnv } from './helpers/fakeEnv';
import { fakeSdk, storeConfig } from './helpers/fakeSdk';
import { args, fired } from './normalize/fixture';

/**
 * Every property name of the public types (src/schema.ts: the events and their properties;
 * src/types.ts: options, reports, the SDK's shape): the names a page's own data uses too.
 */
function publicNames(): string[] {
  const names = new Set<string>();
  for (const f of ['../src/schema.ts', '../src/types.ts']) {
    // (comments out: their words are not names)
    const code = readFileSync(new URL(f, import.meta.url), 'utf8').replace(/\/\*[\s\S]*?\*\/|\/\/.*$/gm, '');
    for (const m of code.matchAll(/^\s*(?:readonly\s+)?['"]?([A-Za-z_$][\w$]+)['"]?\??\s*[:(]/gm))
      names.add(m[1] as string);
  }
  // Names no page can put on Object.prototype and still run (every object thenable, printable, …):
  // not this test's subject (test/hostileBuiltins.test.ts covers a throwing toJSON).
  for (const n of ['then', 'toJSON', 'toString', 'valueOf', 'constructor']) names.delete(n);
  return [...names].sort();
}

const proto = Object.prototype as Record<string, unknown>;

/** One visit: the recorded journey's hooks on a store with a signed-in customer, custom events, then pagehide. */
async function visit() {
  const s = fakeSdk(
    storeConfig({
      store: { id: 1001, name: 'Demo Store', url: 'http://127.0.0.1:4400' },
      user: { id: 501, type: 'user', email: 'sara@example.com', currency_code: 'SAR', language_code: 'ar' },
      page: { slug: 'product.single', id: 102, title: 'Coffee' },
    }),
  );
  const t = fakeEnv({ sdk: s.sdk, uuid: counter(), status: () => 200 });
  // As the browser's env has them: every key its own, also when there is none (undefined).
  t.env.page = () => ({
    url: 'http://127.0.0.1:4400/p/1',
    path: '/p/1',
    search: undefined,
    title: 'Shirt',
    referrer: undefined,
  });
  t.env.userAgent = undefined;
  const tracker = createCore(
    [{ endpoint: 'http://127.0.0.1:4401/c', consent: 'granted', webVitals: false }],
    t.env,
  );
  const got: string[] = [];
  tracker.register((events) => void got.push(JSON.stringify(events)));
  s.init();
  for (const h of fired.slice(0, 60))
    s.emit(h.name, ...args(h.name, fired.filter((x) => x.name === h.name).indexOf(h)));
  tracker.track('Newsletter Subscribed', { email: 'Sara@Example.com', source: 'footer' });
  tracker.track('Size Guide Opened', { product_id: '102', units: ['cm', 'in'], nested: { a: 1 } });
  tracker.page({ section: 'cart' });
  await vi.advanceTimersByTimeAsync(3000);
  tracker.track('Checkout Help Opened', { step: 'payment' });
  t.hide(true);
  await vi.advanceTimersByTimeAsync(10_000);
  return { sent: JSON.stringify(t.sent), got, stats: JSON.stringify(tracker.stats()), n: t.events().length };
}

describe('an Object.prototype with a name the tracker reads', () => {
  afterEach(() => vi.useRealTimers());
  const names = publicNames();

  it('the names come from the public types (a sanity check of the list)', () => {
    expect(names.length).toBeGreaterThan(100);
    for (const n of ['context', 'properties', 'messageId', 'product_id', 'consent', 'email'])
      expect(names).toContain(n);
  });

  it('for each, as an object and as a string: the visit sends and delivers exactly what it does on a clean page', async () => {
    vi.useFakeTimers({ now: Date.parse('2026-12-05T12:00:00Z') });
    const clean = await visit();
    expect(clean.n).toBeGreaterThan(20);
    expect(clean.got.length).toBeGreaterThan(0);
    const differ: string[] = [];
    for (const name of names)
      for (const value of [{ x: 1 }, 'POLLUTED']) {
        vi.setSystemTime(Date.parse('2026-12-05T12:00:00Z'));
        proto[name] = value;
        let r: Awaited<ReturnType<typeof visit>> | string;
        try {
          r = await visit();
        } catch (e) {
          r = String(e);
        } finally {
          delete proto[name];
        }
        if (
          typeof r === 'string' ||
          r.sent !== clean.sent ||
          r.stats !== clean.stats ||
          r.got.join() !== clean.got.join()
        )
          differ.push(name + '=' + JSON.stringify(value));
      }
    expect(differ).toEqual([]);
  });
});
