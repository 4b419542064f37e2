/**
 * README promises that had no unit test: custom page() properties over 4 KB, the Web Vital Measured
 * mapping, the 30 s endpoint timeout, the order ledger's last 100 ids, the no-op tracker when the
 * environment throws, and phone numbers hashed as E.164 (a local number with the customer's or the
 * store's country calling code). Each event's JSON written once: test/jsonOnce.test.ts.
 */
import { createHash } from 'node:crypto';
import type { Metric } from 'web-vitals';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { createCore } from '../src/core/createCore';
import { startTracker } from '../src/createTracker';
import { normalizeIdentity, protect } from '../src/event/privacy';
import { memoryKV } from '../src/lib/kv';
import type { TrackerEvent } from '../src/schema';
import type { DeliveryReport, TrackerOptions } from '../src/types';
import { reportWebVitals } from '../src/vitals';
import { counter, fakeEnv } from './helpers/fakeEnv';
import { fakeSdk, storeConfig } from './helpers/fakeSdk';
import { args } from './normalize/fixture';

/** The web-vitals library, replaced: each `on*` registration is kept, to report metrics by hand. */
const vitals = vi.hoisted(() => ({ on: {} as Record<string, (m: unknown) => void> }));
vi.mock('web-vitals', () => {
  const on = (name: string) => (cb: (m: unknown) => void) => void (vitals.on[name] = cb);
  return { onCLS: on('CLS'), onFCP: on('FCP'), onINP: on('INP'), onLCP: on('LCP'), onTTFB: on('TTFB') };
});

/** The environment and the core, made to throw on demand (else they are the real ones). */
const boom = vi.hoisted(() => ({ env: false, core: false }));
vi.mock('../src/browser/createBrowserEnv', async (importOriginal) => {
  const m = await importOriginal<typeof import('../src/browser/createBrowserEnv')>();
  return {
    createBrowserEnv: (...a: Parameters<typeof m.createBrowserEnv>) => {
      if (boom.env) throw new TypeError('window is not defined');
      return m.createBrowserEnv(...a);
    },
  };
});
vi.mock('../src/core/createCore', async (importOriginal) => {
  const m = await importOriginal<typeof import('../src/core/createCore')>();
  return {
    createCore: (...a: Parameters<typeof m.createCore>) => {
      if (boom.core) throw new Error('core failed');
      return m.createCore(...a);
    },
  };
});

beforeEach(() => {
  vi.useFakeTimers();
  vi.setSystemTime(new Date('2026-11-22T10:00:00.000Z'));
});
afterEach(() => {
  vi.useRealTimers();
  vi.restoreAllMocks();
  boom.env = boom.core = false;
});

const base: TrackerOptions = { endpoint: '/collect', consent: 'granted', webVitals: false, autoPage: false };
const sha = (s: string) => createHash('sha256').update(s).digest('hex');
const PAGE = { url: 'http://127.0.0.1:4400/p/1', path: '/p/1', title: 'Shirt' };

describe('custom page() properties over 4 KB are left out', () => {
  /** `n` properties of 500 characters: n × ~508 bytes of JSON. */
  const props = (n: number) =>
    Object.fromEntries(Array.from({ length: n }, (_, i) => ['p' + i, 'x'.repeat(500)]));

  it('up to 4 KB they are sent; over it the page event goes without them, with a debug line', async () => {
    const log = vi.spyOn(console, 'log').mockImplementation(() => undefined);
    const t = fakeEnv();
    const tracker = createCore({ ...base, debug: true }, t.env);
    const under = { ...props(8), t: 'y'.repeat(24) }; // 4,096 bytes of JSON: kept
    const over = { ...props(8), t: 'y'.repeat(25) }; // 4,097 bytes: left out
    expect([JSON.stringify(under).length, JSON.stringify(over).length]).toEqual([4096, 4097]);
    tracker.page(under);
    tracker.page(over);
    await tracker.flush();
    expect(t.events().map((e) => [e.type, e.properties])).toEqual([
      ['page', { ...PAGE, ...under }],
      ['page', PAGE],
    ]);
    // Later events carry that page view: without the oversized properties.
    expect((t.events()[1]?.context as { page: unknown }).page).toEqual(PAGE);
    expect(log.mock.calls.map((c) => c[0]).filter((m) => /page properties/.test(m))).toEqual([
      'twilight-tracker: page properties over 4 KB left out',
    ]);
  });
});

describe('Web Vital Measured (web-vitals → the event)', () => {
  it('maps each metric: rating, id, navigation_type; value and delta rounded to 3 decimals', async () => {
    const t = fakeEnv();
    const tracker = createCore(base, t.env);
    reportWebVitals(tracker);
    expect(Object.keys(vitals.on).sort()).toEqual(['CLS', 'FCP', 'INP', 'LCP', 'TTFB']);
    const metric = (m: Partial<Metric>) => ({ entries: [], ...m }) as Metric;
    vitals.on.LCP?.(
      metric({
        name: 'LCP',
        value: 1234.56789,
        delta: 1234.56749,
        rating: 'needs-improvement',
        id: 'v5-1732269600000-1',
        navigationType: 'back-forward-cache',
      }),
    );
    vitals.on.CLS?.(
      metric({
        name: 'CLS',
        value: 0.1234,
        delta: 0.0005,
        rating: 'good',
        id: 'v5-2',
        navigationType: 'navigate',
      }),
    );
    await tracker.flush();
    expect(t.events().map((e) => [e.event, e.properties])).toEqual([
      [
        'Web Vital Measured',
        {
          metric: 'LCP',
          value: 1234.568,
          delta: 1234.567,
          rating: 'needs-improvement',
          id: 'v5-1732269600000-1',
          navigation_type: 'back-forward-cache',
        },
      ],
      [
        'Web Vital Measured',
        {
          metric: 'CLS',
          value: 0.123,
          delta: 0.001,
          rating: 'good',
          id: 'v5-2',
          navigation_type: 'navigate',
        },
      ],
    ]);
  });
});

describe('reportWebVitals in a browser older than web-vitals 5', () => {
  it('registers no observer where Array.prototype.at is missing (they would throw into the page)', () => {
    for (const k of Object.keys(vitals.on)) delete vitals.on[k];
    const proto = Array.prototype as { at?: unknown };
    const at = Object.getOwnPropertyDescriptor(proto, 'at') as PropertyDescriptor;
    delete proto.at;
    try {
      reportWebVitals(createCore(base, fakeEnv().env));
    } finally {
      Object.defineProperty(proto, 'at', at);
    }
    expect(vitals.on).toEqual({});
    reportWebVitals(createCore(base, fakeEnv().env));
    expect(Object.keys(vitals.on).sort()).toEqual(['CLS', 'FCP', 'INP', 'LCP', 'TTFB']);
  });
});

describe('the endpoint timeout', () => {
  it('retries a POST that never settles after 30 s, not before', async () => {
    const at: number[] = [];
    const start = Date.now();
    const t = fakeEnv();
    // No answer, ever (and no error): only the timeout ends the wait.
    t.env.post = vi.fn(() => (at.push(Date.now() - start), new Promise<never>(() => undefined)));
    const tracker = createCore(base, t.env);
    const retries: DeliveryReport[] = [];
    tracker.on('retry', (r) => void retries.push(r));
    tracker.track('A');
    await vi.advanceTimersByTimeAsync(2000 + 29999);
    expect([at, retries]).toEqual([[2000], []]);
    await vi.advanceTimersByTimeAsync(1);
    expect(retries.map((r) => [r.reason, r.attempt, r.delay])).toEqual([['timeout', 1, 1000]]);
    await vi.advanceTimersByTimeAsync(1000);
    expect(at).toEqual([2000, 33000]); // the retry, 1 s after the timeout
    expect(t.env.post).toHaveBeenCalledTimes(2);
  });
});

describe('the order ledger', () => {
  /** A thank-you page (sharing `kv`) on which the SDK reports `orders`; the order ids sent. */
  async function thankYou(kv: ReturnType<typeof memoryKV>, orders: number[]) {
    const s = fakeSdk(storeConfig());
    const t = fakeEnv({ kv, sdk: s.sdk });
    const tracker = createCore(base, t.env);
    s.init();
    for (const id of orders) s.emit('Order Completed', [{ order_id: String(id), total: 10, products: [] }]);
    await tracker.flush();
    return t.events().map((e) => e.messageId);
  }

  it('keeps the last 100 order ids: the 101st pushes out the first', async () => {
    const kv = memoryKV();
    const all = Array.from({ length: 101 }, (_, i) => i + 1);
    expect(await thankYou(kv, all)).toEqual(all.map((i) => 'tt-oc-' + i));
    expect(JSON.parse(kv.get('tt:sent') as string)).toEqual(all.slice(1).map((i) => 'tt-oc-' + i));
    // A reload: the second and the last orders are remembered; the first was pushed out (sent again).
    expect(await thankYou(kv, [2, 101, 1])).toEqual(['tt-oc-1']);
    expect(JSON.parse(kv.get('tt:sent') as string)).toEqual(
      all
        .slice(2)
        .map((i) => 'tt-oc-' + i)
        .concat('tt-oc-1'),
    );
  });
});

describe('createTracker when the environment throws', () => {
  for (const what of ['env', 'core'] as const)
    it(`gives a working no-op tracker and warns E1 (${what === 'env' ? 'createBrowserEnv' : 'createCore'} throws)`, async () => {
      const warn = vi.spyOn(console, 'warn').mockImplementation(() => undefined);
      boom[what] = true;
      const tracker = startTracker({ endpoint: '/collect' });
      expect(warn.mock.calls).toEqual([
        [
          'twilight-tracker: E1 ' +
            (what === 'env' ? 'TypeError: window is not defined' : 'Error: core failed') +
            ' (the tracker could not start: its methods do nothing)',
        ],
      ]);
      // Every method is there and safe to call.
      expect(tracker.version).toBe('');
      expect(typeof tracker.register(() => undefined)).toBe('function');
      expect(typeof tracker.on('delivered', () => undefined)).toBe('function');
      expect(() => {
        tracker.track('A', { a: 1 });
        tracker.page({ b: 2 });
        tracker.consent('denied');
        tracker.destroy();
      }).not.toThrow();
      await expect(tracker.flush()).resolves.toBeUndefined();
      expect(tracker.stats()).toEqual({ queued: 0, delivered: 0, dropped: 0, retried: 0, evicted: 0 });
      expect(warn).toHaveBeenCalledTimes(1);
    });
});

describe('phone numbers hashed as E.164', () => {
  it("a local number gets the country calling code: '0501234567' with +966 is '+966501234567'", async () => {
    expect(normalizeIdentity('phone', '0501234567', '+966')).toBe('+966501234567');
    expect(normalizeIdentity('mobile', '050 123 4567', '966')).toBe('+966501234567');
    // An international number keeps its own code; without a code a local number has none (dropped).
    expect(normalizeIdentity('phone', '+971 50 123 4567', '+966')).toBe('+971501234567');
    expect(normalizeIdentity('phone', '0501234567')).toBe('');
    const e = { type: 'track', event: 'Lead', properties: { phone: '0501234567', plan: 'x' } } as never;
    const hash = async (s: string) => sha(s);
    expect((await protect(e, 'hash', hash, '+966')).safe.properties).toEqual({
      plan: 'x',
      phone_sha256: sha('+966501234567'),
    });
    expect((await protect(e, 'hash', hash)).safe.properties).toEqual({ plan: 'x' });
  });

  /** track() of a local `phone` and `mobile` on a page of `config`, after `hooks`: the properties sent. */
  async function sent(config: Record<string, unknown> | undefined, hooks: Array<[string, unknown[]]> = []) {
    const s = config && fakeSdk(config);
    const t = fakeEnv({ sdk: s && s.sdk, uuid: counter() });
    const tracker = createCore(base, t.env);
    s?.init();
    for (const [name, a] of hooks) s?.emit(name, ...a);
    tracker.track('Lead', { phone: '0501234567', mobile: '055 500 0111', plan: 'x' });
    await tracker.flush();
    return t
      .events()
      .filter((e) => e.event === 'Lead')
      .map((e) => e.properties);
  }
  const withCode = (code: string) => [
    { plan: 'x', phone_sha256: sha(code + '501234567'), mobile_sha256: sha(code + '555000111') },
  ];

  it("the signed-in customer's code (the profile's phone.code)", async () => {
    const profile = args('profile::info.fetched', 0); // Sara: phone {code: '+966', number: '501234567'}
    expect(await sent(storeConfig(), [['profile::info.fetched', profile]])).toEqual(withCode('+966'));
  });

  it("else the signed-in customer's country (config user.country_code)", async () => {
    const user = { id: 501, type: 'user', country_code: 'KW', currency_code: 'KWD' };
    expect(await sent(storeConfig({ user }))).toEqual(withCode('+965'));
  });

  /** The store config with `store` facts added. */
  const store = (facts: object) => {
    const config = storeConfig();
    config.store = { ...(config.store as object), ...facts };
    return config;
  };

  it("else the store's country (config store.country, or the older store.store_country)", async () => {
    expect(await sent(store({ country: 'AE' }))).toEqual(withCode('+971'));
    expect(await sent(store({ store_country: 'sa' }))).toEqual(withCode('+966'));
  });

  it('without a known code (no SDK, no country, or one not in the table) the fields are dropped', async () => {
    expect(await sent(undefined)).toEqual([{ plan: 'x' }]);
    expect(await sent(storeConfig())).toEqual([{ plan: 'x' }]);
    for (const country of ['ZZ', 'EG', 'A', 'Saudi Arabia', 'E9'])
      expect(await sent(store({ country })), country).toEqual([{ plan: 'x' }]);
  });
});

export type { TrackerEvent };
