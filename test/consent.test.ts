import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { createCore } from '../src/core/createCore';
import { memoryKV, type KV } from '../src/lib/kv';
import type { TwilightSdk } from '../src/types';
import type { DeliveryReport, TrackerEvent } from '../src/index';
import { validateEvent } from '../src/validate';
import { fakeEnv } from './helpers/fakeEnv';
import { fakeSdk, storeConfig } from './helpers/fakeSdk';

beforeEach(() => {
  vi.useFakeTimers();
  vi.setSystemTime(new Date('2026-11-22T10:00:00.000Z'));
});
afterEach(() => vi.useRealTimers());

/** A memory KV that records every write. */
function recordingKV(): KV & { writes: string[] } {
  const kv = memoryKV();
  const writes: string[] = [];
  return { ...kv, writes, set: (k, v) => (writes.push(k), kv.set(k, v)) };
}

/** A store whose cookie bar is on, with the shopper's recorded choice (`undefined` = not chosen yet). */
function cookieStore(choice?: 'accepted' | 'rejected') {
  const s = fakeSdk(storeConfig({ store: { id: 1001, name: 'Demo', features: ['website-cookies'] } }));
  if (choice) s.storage['cookies-consent'] = choice;
  return s;
}

const OPTS = { endpoint: '/collect', webVitals: false, autoPage: false };
type Ev = Record<string, unknown> & { context: Record<string, unknown> };
const ids = (e: Ev) => ({
  anonymousId: e.anonymousId,
  userId: e.userId,
  session_id: e.context.session_id,
  consent: e.context.consent,
});
/** What `ids()` gives for an event sent under denied consent. */
const NO_IDS = { anonymousId: undefined, userId: undefined, session_id: undefined, consent: 'denied' };
const names = (events: Array<Record<string, unknown>>) => events.map((e) => e.event ?? 'page');
const ownKeys = (kv: KV) => kv.keys().filter((k) => k.indexOf('tt:') === 0);

describe('consent', () => {
  it('is granted on a store without a cookie bar: events carry the anonymous id and session', async () => {
    const s = fakeSdk(storeConfig({ user: { id: 501, type: 'user' } }));
    const t = fakeEnv({ sdk: s.sdk });
    const tracker = createCore(OPTS, t.env);
    s.init();
    tracker.track('A');
    await tracker.flush();
    const e = t.events()[0] as Ev;
    expect(ids(e)).toEqual({
      anonymousId: t.env.kv.get('tt:aid'),
      userId: '501',
      session_id: expect.any(String),
      consent: 'granted',
    });
    expect(validateEvent(e)).toEqual([]);
  });

  it('pending (cookie bar not answered): holds events in memory and writes nothing to storage, even on unload', async () => {
    const s = cookieStore();
    const kv = recordingKV();
    const t = fakeEnv({ sdk: s.sdk, kv });
    const tracker = createCore({ ...OPTS, autoPage: true }, t.env);
    s.init();
    tracker.track('A', { n: 1 });
    tracker.track('B');
    await vi.advanceTimersByTimeAsync(10000);
    t.hide(false);
    t.hide(true);
    expect(t.sent).toEqual([]);
    expect(kv.writes).toEqual([]);
    expect(ownKeys(kv)).toEqual([]);
    t.show(true);

    s.emit('salla-cookies-bar::accepted');
    await tracker.flush();
    // Held events go out in order once granted, identified now.
    expect(names(t.events())).toEqual(['page', 'A', 'B', 'page']);
    for (const e of t.events() as Ev[]) {
      expect(ids(e)).toMatchObject({ anonymousId: kv.get('tt:aid'), consent: 'granted' });
      expect(validateEvent(e)).toEqual([]);
    }
    expect(kv.writes).toContain('tt:aid');
    expect(kv.writes).toContain('tt:sid');
  });

  it('pending: an order is recorded as sent only when it goes out (a reload while pending does not lose it)', async () => {
    const kv = memoryKV();
    const order = { order_id: 9, total: 10, products: [{ product_id: 1, price: 10, quantity: 1 }] };
    const visit = (choice?: 'accepted') => {
      const s = cookieStore(choice);
      s.config.events = { 'Order Completed': [order] };
      const t = fakeEnv({ sdk: s.sdk, kv });
      const tracker = createCore(OPTS, t.env);
      s.init();
      return { s, t, tracker };
    };
    const first = visit(); // thank-you page, cookie bar not answered: held, then the page goes away
    await first.tracker.flush();
    expect(first.t.sent).toEqual([]);
    expect(kv.get('tt:sent')).toBeNull();
    first.t.hide(true);

    const second = visit(); // reloaded, still pending; the shopper accepts
    second.s.emit('salla-cookies-bar::accepted');
    await second.tracker.flush();
    expect(names(second.t.events())).toEqual(['Order Completed']);
    expect(second.t.events()[0]?.messageId).toBe('tt-oc-9');
    expect(JSON.parse(kv.get('tt:sent') || '[]')).toEqual(['tt-oc-9']);

    const third = visit('accepted'); // reloaded again, granted: the same order is not sent twice
    await third.tracker.flush();
    expect(third.t.sent).toEqual([]);
  });

  it('bounds the pending buffer to the newest 200 events', async () => {
    const t = fakeEnv();
    const tracker = createCore({ ...OPTS, consent: 'pending', batchSize: 500 }, t.env);
    for (let i = 0; i < 250; i++) tracker.track('E' + i);
    tracker.consent('granted');
    await tracker.flush();
    expect(names(t.events())).toEqual(Array.from({ length: 200 }, (_, i) => 'E' + (i + 50)));
  });

  it('uses the choice the cookie bar stored: rejected sends nothing identifying, accepted sends ids', async () => {
    for (const choice of ['rejected', 'accepted'] as const) {
      const s = cookieStore(choice);
      const t = fakeEnv({ sdk: s.sdk });
      const tracker = createCore(OPTS, t.env);
      s.init();
      tracker.track('A');
      await tracker.flush();
      const e = t.events()[0] as Ev;
      if (choice === 'rejected') {
        expect(ids(e)).toEqual(NO_IDS);
        expect(ownKeys(t.env.kv).filter((k) => k === 'tt:aid' || k === 'tt:sid')).toEqual([]);
      } else expect(ids(e)).toMatchObject({ anonymousId: expect.any(String), consent: 'granted' });
      expect(validateEvent(e)).toEqual([]);
    }
  });

  it('decides before replaying the events the SDK dispatched before the tracker attached', async () => {
    const s = cookieStore('rejected');
    s.config.events = { 'Product Viewed': [{ product_id: 7, name: 'Tea', price: 5 }] };
    s.init(); // dispatched before the tracker exists
    const t = fakeEnv({ sdk: s.sdk });
    const tracker = createCore(OPTS, t.env);
    await tracker.flush();
    expect(names(t.events())).toEqual(['Product Viewed']);
    expect(ids(t.events()[0] as Ev)).toEqual(NO_IDS);
    expect(t.env.kv.get('tt:aid')).toBeNull();
  });

  it('rejecting on the cookie bar purges stored ids and strips what is queued, stored and replayed', async () => {
    const s = fakeSdk(storeConfig({ user: { id: 501, type: 'user' } }));
    const t = fakeEnv({ sdk: s.sdk });
    const tracker = createCore(OPTS, t.env);
    s.init();
    tracker.track('Before');
    await vi.advanceTimersByTimeAsync(1500); // queued (flush at 2000) and stored (save at 1000)
    const stored = () =>
      t.env.kv
        .keys()
        .filter((k) => k.indexOf('tt:q:') === 0)
        .map((k) => t.env.kv.get(k) || '');
    expect(stored().join()).toMatch(/anonymousId/);
    expect(t.env.kv.get('tt:aid')).toEqual(expect.any(String));

    s.emit('salla-cookies-bar::rejected');
    expect(t.env.kv.get('tt:aid')).toBeNull();
    expect(t.env.kv.get('tt:sid')).toBeNull();
    expect(stored().join()).not.toMatch(/anonymousId|userId|session_id/);
    tracker.track('After');
    await tracker.flush();
    const late: TrackerEvent[] = [];
    tracker.register((events) => void late.push(...events));
    await tracker.flush();
    expect(names(t.events())).toEqual(['Before', 'After']);
    for (const e of [...t.events(), ...(late as unknown as Ev[])] as Ev[]) {
      expect(ids(e)).toEqual(NO_IDS);
      expect(validateEvent(e)).toEqual([]);
    }
    expect(late).toHaveLength(2);
    expect(t.env.kv.get('tt:aid')).toBeNull();
  });

  it('deniedMode "none": drops what is queued and sends nothing at all', async () => {
    const s = fakeSdk(storeConfig());
    const t = fakeEnv({ sdk: s.sdk });
    const tracker = createCore({ ...OPTS, deniedMode: 'none' }, t.env);
    const dropped: DeliveryReport[] = [];
    tracker.on('dropped', (r) => dropped.push(r));
    const got: TrackerEvent[] = [];
    tracker.register((events) => void got.push(...events));
    s.init();
    tracker.track('Queued');
    s.emit('salla-cookies-bar::rejected');
    tracker.track('After');
    await vi.advanceTimersByTimeAsync(5000);
    await tracker.flush();
    expect(t.sent).toEqual([]);
    expect(got).toEqual([]);
    // One report per destination (in the order they were added: the endpoint first).
    expect(dropped.map((r) => [r.destination, r.reason, names(r.events as unknown as Ev[])])).toEqual([
      ['endpoint', 'consent denied', ['Queued']],
      ['callback#1', 'consent denied', ['Queued']],
    ]);
    expect(tracker.stats()).toMatchObject({ queued: 0, dropped: 2 });
    // Nor is history replayed to a destination registered later.
    tracker.register((events) => void got.push(...events));
    await tracker.flush();
    expect(got).toEqual([]);
  });

  it('an explicit choice wins over the stored one; the cookie bar still applies afterwards', async () => {
    const s = cookieStore('rejected');
    const t = fakeEnv({ sdk: s.sdk });
    const tracker = createCore({ ...OPTS, consent: 'granted' }, t.env);
    s.init();
    tracker.track('A');
    await tracker.flush();
    tracker.track('B');
    s.emit('salla-cookies-bar::rejected'); // B is still queued: stripped
    tracker.track('C');
    await tracker.flush();
    expect(t.events().map((e) => [e.event, (e as Ev).context.consent, !!e.anonymousId])).toEqual([
      ['A', 'granted', true],
      ['B', 'denied', false],
      ['C', 'denied', false],
    ]);
  });

  it('tracker.consent(): denied then granted starts a new anonymous id', async () => {
    const t = fakeEnv();
    const tracker = createCore(OPTS, t.env);
    tracker.track('A');
    await tracker.flush();
    const first = t.events()[0]?.anonymousId;
    tracker.consent('denied');
    tracker.track('B');
    tracker.consent('granted');
    tracker.track('C');
    tracker.consent('bogus' as 'granted');
    await tracker.flush();
    const e = t.events() as Ev[];
    expect(e.map((x) => [x.event, x.context.consent])).toEqual([
      ['A', 'granted'],
      ['B', 'denied'],
      ['C', 'granted'],
    ]);
    expect(first).toEqual(expect.any(String));
    expect(e[2]?.anonymousId).toEqual(expect.any(String));
    expect(e[2]?.anonymousId).not.toBe(first);
  });

  it('without an SDK on the page the default is granted; a late SDK with a rejected cookie bar denies', async () => {
    const t = fakeEnv();
    let found: ((sdk: TwilightSdk) => void) | undefined;
    // No SDK when the page has loaded: it is clear none is coming.
    t.env.waitSdk = (cb, none) => ((found = cb), none(), () => undefined);
    const tracker = createCore(OPTS, t.env);
    tracker.track('Early');
    await tracker.flush();
    expect(ids(t.events()[0] as Ev)).toMatchObject({ anonymousId: expect.any(String), consent: 'granted' });
    const s = cookieStore('rejected');
    s.init();
    found?.(s.sdk);
    tracker.track('Late');
    await tracker.flush();
    expect(ids(t.events()[1] as Ev)).toEqual(NO_IDS);
    expect(t.env.kv.get('tt:aid')).toBeNull();
  });

  it('decides from the store config as soon as it attaches, without waiting for the SDK to be ready', async () => {
    for (const [s, consent] of [
      [fakeSdk(storeConfig()), 'granted'],
      [cookieStore('rejected'), 'denied'],
    ] as const) {
      const t = fakeEnv({ sdk: s.sdk });
      const tracker = createCore(OPTS, t.env);
      tracker.track('A');
      await tracker.flush();
      expect(t.events().map((e) => (e as Ev).context.consent)).toEqual([consent]);
    }
  });

  it('holds events while the SDK is there but its store config is not loaded yet', async () => {
    const s = fakeSdk({});
    const t = fakeEnv({ sdk: s.sdk });
    const tracker = createCore(OPTS, t.env);
    tracker.track('A');
    await vi.advanceTimersByTimeAsync(5000);
    expect(t.sent).toEqual([]);
    s.init(); // ready: no cookie bar → granted
    await tracker.flush();
    expect(names(t.events())).toEqual(['A']);
    expect(ids(t.events()[0] as Ev)).toMatchObject({ anonymousId: expect.any(String), consent: 'granted' });
  });
});
