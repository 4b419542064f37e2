// The README's API promises about what reaches a destination, through the whole tracker
// (src/core/createCore.ts over fakeEnv): a Salla-style destination object (`{name, track, page}`,
// as `Salla.analytics.registerTracker` takes) and the `events` allow and deny lists. Written to kill
// the mutants of src/delivery/callback.ts and src/pipeline/createPipeline.ts (`npm run mutation`,
// docs/mutation.md).
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { createCore } from '../../src/core/createCore';
import type { TrackerEvent } from '../../src/schema';
import type { DeliveryReport, TrackerOptions } from '../../src/types';
import { counter, fakeEnv } from '../helpers/fakeEnv';
import { fakeSdk, storeConfig } from '../helpers/fakeSdk';

beforeEach(() => {
  vi.useFakeTimers();
  vi.setSystemTime(new Date('2026-11-22T10:00:00.000Z'));
});
afterEach(() => vi.useRealTimers());

const base: TrackerOptions = { consent: 'granted', webVitals: false, autoPage: false };
const name = (e: { type?: unknown; event?: unknown }) => (e.type === 'track' ? (e.event as string) : 'page');

describe('a Salla-style destination object', () => {
  it('gets track(name, properties, event) per track event and page(properties, event) per page, in order, under its own name', async () => {
    const t = fakeEnv({ uuid: counter() });
    const tracker = createCore(base, t.env);
    const calls: unknown[][] = [];
    const delivered: DeliveryReport[] = [];
    tracker.on('delivered', (r) => void delivered.push(r));
    tracker.register({
      name: 'salla-like',
      track: (n, p, e) => void calls.push(['track', n, p, (e as TrackerEvent).messageId]),
      page: (p, e) => void calls.push(['page', (p as { path?: string }).path, e.messageId]),
    });
    // @ts-expect-error `coupon` is not a Coupon Applied property (a JS caller's extra)
    tracker.track('Coupon Applied', { coupon: 'SAVE10' });
    tracker.page({ path: '/cart' });
    tracker.track('Custom', { n: 1 });
    await tracker.flush();
    expect(calls).toEqual([
      ['track', 'Coupon Applied', { coupon: 'SAVE10' }, expect.any(String)],
      ['page', '/cart', expect.any(String)],
      ['track', 'Custom', { n: 1 }, expect.any(String)],
    ]);
    expect(new Set(calls.map((c) => c[c.length - 1])).size).toBe(3);
    expect(delivered.map((r) => [r.destination, r.events.map(name)])).toEqual([
      ['salla-like', ['Coupon Applied', 'page', 'Custom']],
    ]);
  });

  it('without page(), page events are skipped (and delivered); without a string name, it is callback#n', async () => {
    const t = fakeEnv();
    const tracker = createCore(base, t.env);
    const got: string[] = [];
    const delivered: Array<[string, string[]]> = [];
    tracker.on('delivered', (r) => void delivered.push([r.destination, r.events.map(name)]));
    tracker.register({ name: 7 as unknown as string, track: (n) => void got.push(n) });
    tracker.register({ name: '', track: () => undefined });
    tracker.page();
    tracker.track('A');
    await tracker.flush();
    expect(got).toEqual(['A']);
    expect(delivered).toEqual([
      ['callback#1', ['page', 'A']],
      ['callback#2', ['page', 'A']],
    ]);
  });

  it('a retried batch calls track() again only for the events not done yet', async () => {
    const t = fakeEnv();
    const tracker = createCore(base, t.env);
    const calls: string[] = [];
    let failOnce = true;
    tracker.register({
      name: 's',
      track: (n) => {
        if (n === 'B' && failOnce) {
          failOnce = false;
          throw new Error('B failed');
        }
        calls.push(n);
      },
    });
    const retries: string[] = [];
    tracker.on('retry', (r) => void retries.push(r.destination + ': ' + r.reason));
    tracker.track('A');
    tracker.track('B');
    tracker.track('C');
    await vi.advanceTimersByTimeAsync(2000); // the batch: A, then B throws
    expect(calls).toEqual(['A']);
    expect(retries).toEqual(['s: callback failed']);
    await vi.advanceTimersByTimeAsync(1000); // the retry: B and C, not A again
    expect(calls).toEqual(['A', 'B', 'C']);
  });

  it('an object without a track function is not registered (and throws nothing)', async () => {
    const t = fakeEnv();
    const tracker = createCore(base, t.env);
    const reports: string[] = [];
    for (const k of ['delivered', 'dropped', 'retry'] as const)
      tracker.on(k, (r) => void reports.push(k + ' ' + r.destination));
    for (const bad of [{ name: 'x' }, { name: 'x', track: 'no' }, null, 7])
      expect(() => tracker.register(bad as never)()).not.toThrow();
    for (const bad of [{ name: 'y' }, { name: 'y', track: 'no' }]) tracker.register(bad as never);
    tracker.track('A');
    await vi.advanceTimersByTimeAsync(5000);
    // No destination took the event: nothing delivered, nothing retried.
    expect(reports).toEqual([]);
    expect(tracker.stats().queued).toBe(0);
  });
});

describe('the events option', () => {
  /** The names that reach a batch callback under `events`, for a page view and three track events. */
  async function through(events: TrackerOptions['events']) {
    const t = fakeEnv();
    const tracker = createCore({ ...base, events }, t.env);
    const got: string[] = [];
    tracker.register((batch) => void got.push(...batch.map(name)));
    tracker.page();
    for (const n of ['Product Added', 'Cart Viewed', 'Custom']) tracker.track(n, { products: [] });
    await tracker.flush();
    return got;
  }

  it('an allow list (array or {allow}) lets only its names through, the first included', async () => {
    expect(await through(['Product Added', 'page'])).toEqual(['page', 'Product Added']);
    expect(await through({ allow: ['Cart Viewed'] })).toEqual(['Cart Viewed']);
    expect(await through({ allow: [] })).toEqual([]);
  });

  it('a deny list keeps its names out, the first included', async () => {
    expect(await through({ deny: ['page', 'Cart Viewed'] })).toEqual(['Product Added', 'Custom']);
    expect(await through({ deny: [] })).toEqual(['page', 'Product Added', 'Cart Viewed', 'Custom']);
  });
});

describe('identity on the way out', () => {
  it("a pii: 'keep' destination gets the identity fields in clear with the same stored ids as the others", async () => {
    const t = fakeEnv({ uuid: counter() });
    const tracker = createCore(base, t.env);
    const safe: TrackerEvent[] = [];
    const raw: TrackerEvent[] = [];
    tracker.register((b) => void safe.push(...b));
    tracker.register((b) => void raw.push(...b), { pii: 'keep' });
    tracker.track('Signed In', { email: 'Sara@Example.com' });
    await tracker.flush();
    const [s] = safe;
    const [r] = raw;
    expect((s?.properties as { email?: string }).email).toBeUndefined();
    expect((s?.properties as { email_sha256?: string }).email_sha256).toMatch(/^[0-9a-f]{64}$/);
    expect((r?.properties as { email?: string }).email).toBe('Sara@Example.com');
    expect(r?.anonymousId).toMatch(/^id-\d+$/);
    expect(r?.anonymousId).toBe(s?.anonymousId);
    expect(r?.context.session_id).toBe(s?.context.session_id);
    expect(r?.context.consent_state).toBe('granted');
  });

  it('an event still being hashed when consent is granted leaves with the granted context and stored ids', async () => {
    const t = fakeEnv({ uuid: counter() });
    const tracker = createCore({ ...base, consent: 'pending' }, t.env);
    const got: TrackerEvent[] = [];
    tracker.register((b) => void got.push(...b));
    tracker.track('Signed Up', { email: 'a@b.co' });
    tracker.track('Plain');
    // The choice drains the built events first: Plain is finished under pending, Signed Up waits for its hash.
    tracker.consent('granted');
    await tracker.flush();
    const byName = Object.fromEntries(got.map((e) => [name(e), e]));
    expect(byName['Signed Up']?.context.consent_state).toBe('granted');
    expect(byName['Signed Up']?.context.session_id).toMatch(/^id-\d+$/);
    expect(byName['Signed Up']?.anonymousId).toMatch(/^id-\d+$/);
  });
});

describe('the event path', () => {
  it('a track() name is trimmed; a page event without a slug is named page', async () => {
    const t = fakeEnv();
    const tracker = createCore(base, t.env);
    const got: TrackerEvent[] = [];
    tracker.register((b) => void got.push(...b));
    tracker.track('  Padded  ');
    tracker.page({ title: 'T' });
    await tracker.flush();
    expect(got.map((e) => (e.type === 'track' ? e.event : e.name))).toEqual(['Padded', 'page']);
  });

  it("deniedMode: 'none' sends nothing only once consent is denied, not while it is pending", async () => {
    const t = fakeEnv();
    const tracker = createCore({ ...base, consent: 'pending', deniedMode: 'none' }, t.env);
    const got: string[] = [];
    tracker.register((b) => void got.push(...b.map(name)));
    tracker.track('Pending');
    await tracker.flush();
    tracker.consent('denied');
    tracker.track('Denied');
    await tracker.flush();
    expect(got).toEqual(['Pending']);
  });

  it('an event from a hook with a products list over 32 KB has it halved until it fits', async () => {
    const s = fakeSdk(storeConfig());
    const t = fakeEnv({ sdk: s.sdk });
    const tracker = createCore(base, t.env);
    const got: TrackerEvent[] = [];
    tracker.register((b) => void got.push(...b));
    s.init();
    const products = Array.from({ length: 100 }, (_, i) => ({
      product_id: String(i),
      name: 'n'.repeat(500),
      price: 1,
    }));
    s.emit('Cart Viewed', [{ cart_id: 'c', value: 100, products }]);
    await tracker.flush();
    const viewed = got.find((e) => name(e) === 'Cart Viewed');
    expect((viewed?.properties as { products: unknown[] }).products).toHaveLength(50);
    expect(new TextEncoder().encode(JSON.stringify(viewed)).length).toBeLessThanOrEqual(32767);
  });

  it("under pending consent a pii: 'keep' destination gets no identity field, as every other one", async () => {
    const t = fakeEnv();
    const tracker = createCore({ ...base, consent: 'pending' }, t.env);
    const safe: TrackerEvent[] = [];
    const raw: TrackerEvent[] = [];
    tracker.register((b) => void safe.push(...b));
    tracker.register((b) => void raw.push(...b), { pii: 'keep' });
    tracker.track('Signed In', { email: 'sara@example.com', method: 'otp' });
    await tracker.flush();
    expect(raw[0]?.properties).toStrictEqual(safe[0]?.properties);
    expect(raw[0]?.properties).toStrictEqual({ method: 'otp' });
    expect(raw[0]?.anonymousId).toBe(safe[0]?.anonymousId);
  });
});
