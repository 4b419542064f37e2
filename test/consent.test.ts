// Consent and identity, state by state (README, "Consent"), with an injected clock and storage:
//
// | state   | sent                        | stored on the device          | identifiers on each event            |
// | pending | every event, at once        | nothing                       | the page's own anonymousId only      |
// | granted | every event                 | ids, session, queue, ledger   | stored anonymousId, userId, session  |
// | denied  | every event (none: 'none')  | nothing; what was stored goes | the page's own anonymousId only      |
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

/** A memory KV that records every write and delete. */
function recordingKV(kv: KV = memoryKV()): KV & { writes: string[] } {
  const writes: string[] = [];
  return {
    ...kv,
    writes,
    set: (k, v) => (writes.push('set ' + k), kv.set(k, v)),
    del: (k) => (writes.push('del ' + k), kv.del(k)),
  };
}

/** A signed-in shopper on a store whose cookie bar is on, with the recorded choice (`undefined` = none yet). */
function cookieStore(choice?: 'accepted' | 'rejected') {
  const s = fakeSdk(
    storeConfig({
      store: { id: 1001, name: 'Demo', features: ['website-cookies'] },
      user: { id: 501, type: 'user', email: 'sara@example.com', currency_code: 'SAR' },
    }),
  );
  if (choice) s.storage['cookies-consent'] = choice;
  return s;
}

const OPTS = { endpoint: '/collect', webVitals: false, autoPage: false };
type Ev = TrackerEvent & { context: Record<string, unknown>; event?: string };
/** The identifiers and consent fields of an event. */
const ids = (e: Ev) => ({
  anonymousId: e.anonymousId,
  userId: e.userId,
  session_id: e.context.session_id,
  consent: e.context.consent,
  consent_state: e.context.consent_state,
});
const GRANTED = { categoryPreferences: { analytics: true } };
const DENIED = { categoryPreferences: { analytics: false } };
const names = (events: object[]) => events.map((e) => (e as { event?: unknown }).event ?? 'page');
const ownKeys = (kv: KV) => kv.keys().filter((k) => k.indexOf('tt:') === 0);
/** Sequential ids from the injected id source, so expected ids are exact. */
function countingIds(t: ReturnType<typeof fakeEnv>) {
  let n = 0;
  t.env.uuid = () => 'id-' + ++n;
}

describe('consent across tabs', () => {
  it('the shopper rejects cookies in another tab (its purge removes tt:aid, then tt:sid): this tab, accepted there before, applies it too: later events anonymous, nothing stored again', async () => {
    const kv = memoryKV();
    const s = cookieStore('accepted');
    const t = fakeEnv({ sdk: s.sdk, kv });
    const tracker = createCore(OPTS, t.env);
    s.init();
    tracker.track('First');
    await vi.advanceTimersByTimeAsync(0);
    expect(ownKeys(kv).sort()).toEqual(['tt:aid', 'tt:sid']);
    // The other tab: its purge deletes both keys (each a storage event here).
    kv.del('tt:aid');
    kv.del('tt:sid');
    t.storage('tt:aid', null);
    t.storage('tt:sid', null);
    tracker.track('After');
    await vi.advanceTimersByTimeAsync(120_000);
    await tracker.flush();
    const after = t.events().find((e) => e.event === 'After') as unknown as Ev;
    expect(ids(after)).toMatchObject({ userId: undefined, consent_state: 'denied' });
    expect(ownKeys(kv)).toEqual([]);
  });

  it("Accept on this tab's own cookie bar, then Reject in another tab (tt:aid removed): this tab is denied too", async () => {
    const kv = memoryKV();
    const s = cookieStore();
    const t = fakeEnv({ sdk: s.sdk, kv });
    const tracker = createCore(OPTS, t.env);
    s.init();
    s.emit('salla-cookies-bar::accepted');
    tracker.track('First');
    await vi.advanceTimersByTimeAsync(0);
    expect(ownKeys(kv).sort()).toEqual(['tt:aid', 'tt:sid']);
    kv.del('tt:aid');
    t.storage('tt:aid', null);
    tracker.track('After');
    await vi.advanceTimersByTimeAsync(120_000);
    await tracker.flush();
    const after = t.events().find((e) => e.event === 'After') as unknown as Ev;
    expect(ids(after)).toMatchObject({ userId: undefined, consent_state: 'denied' });
    expect(ownKeys(kv)).toEqual([]);
  });

  it("another store's tracker on the same origin (its storagePrefix) removing its ids changes nothing here", async () => {
    const kv = memoryKV();
    const s = cookieStore('accepted');
    const t = fakeEnv({ sdk: s.sdk, kv });
    const tracker = createCore(OPTS, t.env);
    s.init();
    t.storage('shop2:aid', null);
    tracker.track('After');
    await tracker.flush();
    expect(ids(t.events()[0] as unknown as Ev)).toMatchObject({ userId: '501', consent_state: 'granted' });
  });
});

describe('consent chosen on another page of the store while this one was in the bfcache (its storage events come only after the restore)', () => {
  /** A tracker on a store with the cookie bar (`choice` recorded before), after the SDK is ready. */
  function page(choice?: 'accepted' | 'rejected') {
    const kv = memoryKV();
    const s = cookieStore(choice);
    const t = fakeEnv({ sdk: s.sdk, kv });
    countingIds(t);
    const tracker = createCore(OPTS, t.env);
    s.init();
    return { kv, s, t, tracker };
  }
  /** The page goes into the bfcache: pagehide. */
  const away = (t: ReturnType<typeof fakeEnv>) => t.hide(true);
  const last = async (p: ReturnType<typeof page>, name: string) => {
    p.tracker.track(name);
    await vi.advanceTimersByTimeAsync(0);
    await p.tracker.flush();
    return p.t.events().find((e) => e.event === name) as unknown as Ev;
  };

  it('no choice here, Reject on the other page: back, its events are denied', async () => {
    const p = page();
    expect(ids(await last(p, 'Before'))).toMatchObject({ consent_state: 'pending' });
    away(p.t);
    p.s.storage['cookies-consent'] = 'rejected'; // the other page's cookie bar
    p.t.show(true);
    expect(ids(await last(p, 'After'))).toMatchObject({ consent: DENIED, consent_state: 'denied' });
    expect(ownKeys(p.kv)).toEqual([]);
  });

  it("Accept on this page's own bar, then Reject on the other page (its purge deleted tt:aid and tt:sid): back, denied, and nothing stored again", async () => {
    const p = page();
    p.s.emit('salla-cookies-bar::accepted');
    p.s.storage['cookies-consent'] = 'accepted';
    expect(ids(await last(p, 'Before'))).toMatchObject({ userId: '501', consent_state: 'granted' });
    away(p.t);
    p.s.storage['cookies-consent'] = 'rejected';
    p.kv.del('tt:aid');
    p.kv.del('tt:sid');
    p.t.show(true);
    const after = await last(p, 'After');
    expect(ids(after)).toMatchObject({ userId: undefined, consent: DENIED, consent_state: 'denied' });
    expect(JSON.stringify(after)).not.toContain('501');
    await vi.advanceTimersByTimeAsync(120_000);
    expect(ownKeys(p.kv)).toEqual([]);
  });

  it('granted here, denied on the other page by the tracker itself (tracker.consent: tt:aid deleted, no cookie bar change): back, denied', async () => {
    const p = page('accepted');
    const before = await last(p, 'Before');
    expect(ids(before)).toMatchObject({ userId: '501', consent_state: 'granted' });
    away(p.t);
    p.kv.del('tt:aid');
    p.kv.del('tt:sid');
    p.t.show(true);
    expect(ids(await last(p, 'After'))).toMatchObject({ userId: undefined, consent_state: 'denied' });
    expect(ownKeys(p.kv)).toEqual([]);
  });

  it("Accept on this page's own bar, then the merchant's consent tool denies on the other page (tt:aid deleted; the bar's recorded Accept stays): back, denied", async () => {
    const p = page();
    p.s.emit('salla-cookies-bar::accepted');
    p.s.storage['cookies-consent'] = 'accepted';
    expect(ids(await last(p, 'Before'))).toMatchObject({ consent_state: 'granted' });
    away(p.t);
    p.kv.del('tt:aid');
    p.kv.del('tt:sid');
    p.t.show(true);
    expect(ids(await last(p, 'After'))).toMatchObject({ userId: undefined, consent_state: 'denied' });
    expect(ownKeys(p.kv)).toEqual([]);
  });

  it('signed in, a sign-out on the other page (it ended the session and started another): back, the next events are in that session, without the customer', async () => {
    const p = page('accepted');
    const before = ids(await last(p, 'Before'));
    expect(before).toMatchObject({ userId: '501', session_id: 'id-2' });
    away(p.t);
    vi.advanceTimersByTime(60_000);
    p.kv.del('tt:sid');
    p.kv.set('tt:sid', JSON.stringify({ id: 'next', t: Date.now() }));
    p.t.show(true);
    expect(ids(await last(p, 'After'))).toMatchObject({
      anonymousId: before.anonymousId,
      userId: undefined,
      session_id: 'next',
      consent_state: 'granted',
    });
  });

  it('signed in, a sign-out on the other page; back, then the storage events the page missed (as Chromium delivers them after the restore): still that session, without the customer', async () => {
    const p = page('accepted');
    await last(p, 'Before');
    away(p.t);
    const old = p.kv.get('tt:sid');
    p.kv.set('tt:sid', JSON.stringify({ id: 'next', t: Date.now() }));
    p.t.show(true);
    expect(ids(await last(p, 'After'))).toMatchObject({ userId: undefined, session_id: 'next' });
    p.t.storage('tt:sid', null, old);
    p.t.storage('tt:sid', p.kv.get('tt:sid'), null);
    expect(ids(await last(p, 'Later'))).toMatchObject({ userId: undefined, session_id: 'next' });
  });

  it('signed in, a sign-out on the other page and nothing since: back, a new session without the customer', async () => {
    const p = page('accepted');
    expect(ids(await last(p, 'Before'))).toMatchObject({ userId: '501', session_id: 'id-2' });
    away(p.t);
    p.kv.del('tt:sid');
    p.t.show(true);
    const after = ids(await last(p, 'After'));
    expect(after).toMatchObject({ userId: undefined, consent_state: 'granted' });
    expect([undefined, 'id-2']).not.toContain(after.session_id);
  });

  it('signed in, away for longer than a session, another page started the next one: back, that session, still the customer', async () => {
    const p = page('accepted');
    expect(ids(await last(p, 'Before'))).toMatchObject({ userId: '501', session_id: 'id-2' });
    away(p.t);
    vi.advanceTimersByTime(31 * 60_000);
    p.kv.set('tt:sid', JSON.stringify({ id: 'next', t: Date.now() }));
    p.t.show(true);
    expect(ids(await last(p, 'After'))).toMatchObject({ userId: '501', session_id: 'next' });
  });

  it('granted here; on the other page, denied then granted again (new ids): back, still granted, signed in, with the new id; the late removal of the old id changes nothing', async () => {
    const p = page('accepted');
    const before = ids(await last(p, 'Before'));
    away(p.t);
    const oldAid = p.kv.get('tt:aid');
    p.kv.del('tt:aid');
    p.kv.del('tt:sid');
    p.kv.set('tt:aid', 'aid-2');
    p.kv.set('tt:sid', JSON.stringify({ id: 'sid-2', t: Date.now() }));
    p.t.show(true);
    expect(ids(await last(p, 'After'))).toMatchObject({
      anonymousId: 'aid-2',
      userId: '501',
      session_id: 'sid-2',
      consent_state: 'granted',
    });
    expect(before.anonymousId).not.toBe('aid-2');
    p.t.storage('tt:aid', null, oldAid);
    expect(ids(await last(p, 'Later'))).toMatchObject({ anonymousId: 'aid-2', consent_state: 'granted' });
    expect(p.kv.get('tt:aid')).toBe('aid-2');
  });

  it('storage refuses the anonymous id (full): back, nothing was denied elsewhere, still granted', async () => {
    const kv = memoryKV();
    const set = kv.set;
    kv.set = (k, v) => (k === 'tt:aid' ? false : set(k, v));
    const s = cookieStore('accepted');
    const t = fakeEnv({ sdk: s.sdk, kv });
    const tracker = createCore(OPTS, t.env);
    s.init();
    tracker.track('Before');
    await vi.advanceTimersByTimeAsync(0);
    t.hide(true);
    t.show(true);
    tracker.track('After');
    await vi.advanceTimersByTimeAsync(0);
    await tracker.flush();
    const after = t.events().find((e) => e.event === 'After') as unknown as Ev;
    expect(ids(after)).toMatchObject({ userId: '501', consent_state: 'granted' });
  });

  it('no choice here, Accept on the other page: back, granted', async () => {
    const p = page();
    away(p.t);
    p.s.storage['cookies-consent'] = 'accepted';
    p.t.show(true);
    expect(ids(await last(p, 'After'))).toMatchObject({
      userId: '501',
      consent: GRANTED,
      consent_state: 'granted',
    });
  });

  it('nothing chosen elsewhere: back, the same consent and ids (granted, or denied by an explicit option over an Accept)', async () => {
    const p = page('accepted');
    const before = ids(await last(p, 'Before'));
    away(p.t);
    p.t.show(true);
    expect(ids(await last(p, 'After'))).toEqual(before);
    expect(ownKeys(p.kv).sort()).toEqual(['tt:aid', 'tt:sid']);
    // An explicit denial here stays, over the store's recorded Accept.
    p.tracker.consent('denied');
    away(p.t);
    p.t.show(true);
    expect(ids(await last(p, 'Later'))).toMatchObject({ consent_state: 'denied' });
  });
});

describe('consent: pending (the cookie bar is shown, no choice yet)', () => {
  it('sends every event at once with the page’s own id, and stores nothing, even on unload', async () => {
    const s = cookieStore();
    const kv = recordingKV();
    let room = 65536;
    const t = fakeEnv({ sdk: s.sdk, kv, room: () => room });
    countingIds(t);
    const tracker = createCore(OPTS, t.env);
    s.init();
    s.emit('wishlist::added', { data: { product: { id: 7, name: 'Tea' } } }, 7);
    tracker.track('Signed In', { email: 'sara@example.com', first_name: 'Sara' });
    tracker.track('A', { n: 1 });
    await vi.advanceTimersByTimeAsync(2000); // sent by the interval, not held
    expect(names(t.events())).toEqual(['Product Added to Wishlist', 'Signed In', 'A']);
    for (const e of t.events() as unknown as Ev[]) {
      // id-1 is the endpoint's page-queue id; each message id is drawn when its event is finished
      // (id-2, id-4, id-5), and the page id when the first one is (id-3).
      expect(ids(e)).toEqual({
        anonymousId: 'id-3',
        userId: undefined,
        session_id: undefined,
        consent: undefined,
        consent_state: 'pending',
      });
      expect(validateEvent(e)).toEqual([]);
    }
    // Identity properties (clear or hashed) and wishlist_id, which embeds the customer id, are removed.
    expect(t.events().map((e) => e.properties)).toEqual(
      [
        { product_id: '7', name: 'Tea', wishlist_name: 'Demo', currency: 'SAR' },
        { type: undefined },
        { n: 1 },
      ].map((p) => JSON.parse(JSON.stringify(p))),
    );

    // Unload: what is queued goes by beacon within the budget; what does not fit is dropped, not stored.
    const dropped: DeliveryReport[] = [];
    tracker.on('dropped', (r) => void dropped.push(r));
    tracker.track('Fits', { x: 'x'.repeat(300) });
    // Strings are cut to 500 characters: twenty of them make ~10 KB.
    const big = Object.fromEntries(Array.from({ length: 20 }, (_, i) => ['k' + i, 'y'.repeat(500)]));
    tracker.track('Too big for what is left', big);
    room = 2000; // other bodies that outlive the page took the rest of the budget
    t.hide(true);
    expect(t.sent.filter((x) => x.via === 'beacon').map((x) => names(x.body.batch))).toEqual([['Fits']]);
    expect(dropped.map((r) => [r.reason, names(r.events)])).toEqual([
      ['not stored without consent', ['Too big for what is left']],
    ]);
    expect(kv.writes).toEqual([]);
    expect(ownKeys(kv)).toEqual([]);
  });

  it('gives each page view its own id, never reused', async () => {
    const kv = memoryKV();
    const page = async () => {
      const s = cookieStore();
      const t = fakeEnv({ sdk: s.sdk, kv });
      const tracker = createCore(OPTS, t.env);
      s.init();
      tracker.track('A');
      tracker.track('B');
      await tracker.flush();
      return t.events().map((e) => e.anonymousId as string);
    };
    const [a1, a2] = await page();
    const [b1] = await page();
    expect(a1).toBe(a2);
    expect(b1).not.toBe(a1);
    expect(ownKeys(kv)).toEqual([]);
  });

  it('an order on a reloaded thank-you page goes again (same messageId: the destination drops the repeat); once granted, it is remembered', async () => {
    const kv = memoryKV();
    const order = { order_id: 9, total: 10, products: [{ product_id: 1, price: 10, quantity: 1 }] };
    const visit = async (choice?: 'accepted') => {
      const s = cookieStore(choice);
      s.config.events = { 'Order Completed': [order] };
      const t = fakeEnv({ sdk: s.sdk, kv });
      const tracker = createCore(OPTS, t.env);
      s.init();
      await tracker.flush();
      return { s, t, tracker };
    };
    const first = await visit();
    expect(first.t.events().map((e) => e.messageId)).toEqual(['tt-oc-9']);
    expect(kv.get('tt:sent')).toBeNull();
    const second = await visit(); // reloaded, still pending: sent again, same messageId
    expect(second.t.events().map((e) => e.messageId)).toEqual(['tt-oc-9']);
    second.s.emit('salla-cookies-bar::accepted'); // the ledger may be stored now
    expect(JSON.parse(kv.get('tt:sent') || '[]')).toEqual(['tt-oc-9']);
    const third = await visit('accepted');
    expect(third.t.sent).toEqual([]);
  });

  it('an order id remembered without consent is not stored when consent goes back to pending, nor after a denial', async () => {
    const kv = memoryKV();
    const order = { order_id: 9, total: 10, products: [{ product_id: 1, price: 10, quantity: 1 }] };
    const s = cookieStore();
    s.config.events = { 'Order Completed': [order] };
    const t = fakeEnv({ sdk: s.sdk, kv });
    const tracker = createCore(OPTS, t.env);
    s.init();
    await tracker.flush();
    expect(t.events().map((e) => e.messageId)).toEqual(['tt-oc-9']); // remembered in memory only
    tracker.consent('denied');
    tracker.consent('pending');
    expect(kv.get('tt:sent')).toBeNull();
    tracker.consent('granted'); // now it may be
    expect(JSON.parse(kv.get('tt:sent') || '[]')).toEqual(['tt-oc-9']);
  });

  it('is the state while the SDK is there but its store config is not loaded yet: events still go', async () => {
    const s = fakeSdk({});
    const t = fakeEnv({ sdk: s.sdk });
    const tracker = createCore(OPTS, t.env);
    tracker.track('A');
    await vi.advanceTimersByTimeAsync(2000);
    expect(t.events().map((e) => (e as unknown as Ev).context.consent_state)).toEqual(['pending']);
    s.init(); // ready: no cookie bar → granted
    tracker.track('B');
    await tracker.flush();
    expect(t.events().map((e) => [e.event, (e as unknown as Ev).context.consent_state])).toEqual([
      ['A', 'pending'],
      ['B', 'granted'],
    ]);
  });
});

describe('consent: granted', () => {
  it('a store without a cookie bar: the stored anonymous id, the customer id and the session', async () => {
    const kv = memoryKV();
    const s = fakeSdk(storeConfig({ user: { id: 501, type: 'user' } }));
    const t = fakeEnv({ sdk: s.sdk, kv });
    countingIds(t);
    const tracker = createCore(OPTS, t.env);
    s.init();
    tracker.track('A');
    await tracker.flush();
    const e = t.events()[0] as unknown as Ev;
    expect(ids(e)).toEqual({
      anonymousId: kv.get('tt:aid'),
      userId: '501',
      session_id: JSON.parse(kv.get('tt:sid') as string).id,
      consent: GRANTED,
      consent_state: 'granted',
    });
    // id-1: the endpoint's page-queue id, id-2: the session (drawn when the event is built), id-3: its messageId.
    expect(kv.get('tt:aid')).toBe('id-4');
    expect(validateEvent(e)).toEqual([]);
  });

  it('accepted mid-page: later events carry the stored id, which the next page keeps; nothing is sent twice', async () => {
    const kv = memoryKV();
    const s = cookieStore();
    const t = fakeEnv({ sdk: s.sdk, kv });
    const tracker = createCore(OPTS, t.env);
    s.init();
    tracker.track('Before');
    await tracker.flush();
    s.emit('salla-cookies-bar::accepted');
    s.storage['cookies-consent'] = 'accepted';
    tracker.track('After');
    await tracker.flush();
    const [before, after] = t.events() as unknown as Ev[];
    const aid = kv.get('tt:aid');
    expect(aid).toEqual(expect.any(String));
    expect(ids(before as Ev)).toMatchObject({ consent_state: 'pending', userId: undefined });
    expect(before?.anonymousId).not.toBe(aid);
    expect(ids(after as Ev)).toMatchObject({ anonymousId: aid, userId: '501', consent: GRANTED });
    expect(names(t.events())).toEqual(['Before', 'After']);

    const s2 = cookieStore('accepted');
    const t2 = fakeEnv({ sdk: s2.sdk, kv });
    const next = createCore(OPTS, t2.env);
    s2.init();
    next.track('Next page');
    await next.flush();
    expect(t2.events()[0]?.anonymousId).toBe(aid);
  });
});

describe('consent: denied', () => {
  it('the stored choice: events with the page’s own id; what earlier pages stored is purged', async () => {
    const kv = recordingKV();
    kv.set('tt:aid', 'old-aid');
    kv.set('tt:sid', JSON.stringify({ id: 'old-sid', t: Date.now() }));
    kv.set('tt:sent', '["tt-oc-1"]');
    kv.set('tt:q:other-tab', '{"t":1,"e":[{"messageId":"m"}]}');
    kv.writes.length = 0;
    const s = cookieStore('rejected');
    s.config.events = { 'Product Viewed': [{ product_id: 7, name: 'Tea', price: 5 }] };
    s.init(); // dispatched before the tracker exists: decided before replaying it
    const t = fakeEnv({ sdk: s.sdk, kv });
    const tracker = createCore(OPTS, t.env);
    tracker.track('A');
    await tracker.flush();
    expect(names(t.events())).toEqual(['Product Viewed', 'A']);
    for (const e of t.events() as unknown as Ev[]) {
      expect(ids(e)).toMatchObject({
        userId: undefined,
        session_id: undefined,
        consent: DENIED,
        consent_state: 'denied',
      });
      expect(e.anonymousId).not.toBe('old-aid');
      expect(validateEvent(e)).toEqual([]);
    }
    expect(ownKeys(kv)).toEqual([]);
    expect(kv.writes.filter((w) => w.startsWith('set'))).toEqual([]);
  });

  it('rejected mid-page: no identifier sent before it appears later; queued, stored and replayed events are made anonymous', async () => {
    const s = fakeSdk(storeConfig({ user: { id: 501, type: 'user' } }));
    const t = fakeEnv({ sdk: s.sdk });
    const tracker = createCore(OPTS, t.env);
    s.init();
    tracker.track('Sent');
    await tracker.flush();
    const granted = t.events()[0] as unknown as Ev;
    tracker.track('Queued');
    await vi.advanceTimersByTimeAsync(1500); // queued (flush at 2000) and stored (save at 1000)
    const stored = () =>
      t.env.kv
        .keys()
        .filter((k) => k.indexOf('tt:q:') === 0)
        .map((k) => t.env.kv.get(k) || '');
    expect(stored().join()).toContain(granted.anonymousId);

    s.emit('salla-cookies-bar::rejected');
    expect(ownKeys(t.env.kv)).toEqual([]);
    tracker.track('After');
    await tracker.flush();
    const late: TrackerEvent[] = [];
    tracker.register((events) => void late.push(...events));
    await tracker.flush();
    const later = (t.events().slice(1) as unknown as Ev[]).concat(late as Ev[]);
    expect(names(later)).toEqual(['Queued', 'After', 'Sent', 'Queued', 'After']);
    // As JSON string values: a random id may well contain "501" somewhere, a value "501" is the user's.
    const body = JSON.stringify(later);
    for (const v of [granted.anonymousId, granted.userId, granted.context.session_id as string])
      expect(body).not.toContain(JSON.stringify(v));
    for (const e of later) {
      expect(ids(e)).toMatchObject({ userId: undefined, session_id: undefined, consent_state: 'denied' });
      expect(validateEvent(e)).toEqual([]);
    }
    expect(ownKeys(t.env.kv)).toEqual([]);
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
    expect(dropped.map((r) => [r.destination, r.reason, names(r.events)])).toEqual([
      ['endpoint', 'consent denied', ['Queued']],
      ['callback#1', 'consent denied', ['Queued']],
    ]);
    expect(tracker.stats()).toMatchObject({ queued: 0, dropped: 2 });
    // Nor is history replayed to a destination registered later.
    tracker.register((events) => void got.push(...events));
    await tracker.flush();
    expect(got).toEqual([]);
  });
});

describe('consent: who decides', () => {
  it('an explicit choice wins over the stored one; the cookie bar still applies afterwards', async () => {
    const s = cookieStore('rejected');
    const t = fakeEnv({ sdk: s.sdk });
    const tracker = createCore({ ...OPTS, consent: 'granted' }, t.env);
    s.init();
    tracker.track('A');
    await tracker.flush();
    tracker.track('B');
    s.emit('salla-cookies-bar::rejected'); // B is still queued: made anonymous
    tracker.track('C');
    await tracker.flush();
    expect(t.events().map((e) => [e.event, (e as unknown as Ev).context.consent_state, !!e.userId])).toEqual([
      ['A', 'granted', true],
      ['B', 'denied', false],
      ['C', 'denied', false],
    ]);
  });

  it('tracker.consent(): denied then granted starts a new anonymous id; a bad state is ignored', async () => {
    const t = fakeEnv();
    const tracker = createCore(OPTS, t.env);
    tracker.track('A');
    await tracker.flush();
    const first = t.env.kv.get('tt:aid');
    tracker.consent('denied');
    tracker.track('B');
    await tracker.flush();
    tracker.consent('granted');
    tracker.track('C');
    tracker.consent('bogus' as 'granted');
    await tracker.flush();
    const e = t.events() as unknown as Ev[];
    expect(e.map((x) => [x.event, x.context.consent_state])).toEqual([
      ['A', 'granted'],
      ['B', 'denied'],
      ['C', 'granted'],
    ]);
    expect(e[0]?.anonymousId).toBe(first);
    expect(e[2]?.anonymousId).toBe(t.env.kv.get('tt:aid'));
    expect(e[2]?.anonymousId).not.toBe(first);
  });

  it('without an SDK: pending until the page has loaded without one, then granted; a late SDK with a rejected cookie bar denies', async () => {
    const t = fakeEnv();
    let found: ((sdk: TwilightSdk) => void) | undefined;
    let none: (() => void) | undefined;
    t.env.waitSdk = (f, n) => ((found = f), (none = n), () => undefined);
    const tracker = createCore(OPTS, t.env);
    tracker.track('Early');
    await tracker.flush();
    none?.(); // the page has loaded: no SDK is coming
    tracker.track('Loaded');
    await tracker.flush();
    const s = cookieStore('rejected');
    s.init();
    found?.(s.sdk);
    tracker.track('Late');
    await tracker.flush();
    expect(t.events().map((e) => [e.event, (e as unknown as Ev).context.consent_state])).toEqual([
      ['Early', 'pending'],
      ['Loaded', 'granted'],
      ['Late', 'denied'],
    ]);
    expect(t.env.kv.get('tt:aid')).toBeNull();
  });

  it('attached before Salla.init: the server events init dispatches carry the store config’s consent, ids and stored campaign', async () => {
    // A returning shopper (stored id), a store without the cookie bar, a visit that landed with UTMs.
    const kv = memoryKV();
    kv.set('tt:aid', 'returning-shopper');
    const s = fakeSdk({}); // the SDK's script ran, Salla.init not yet (a late or module-build SDK)
    s.storage['s-utms_1001'] = { value: { 's-utm-source': 'ads', 's-utm-campaign': 'dec' }, expiry: 2e12 };
    const t = fakeEnv({ sdk: s.sdk, kv });
    const tracker = createCore(OPTS, t.env);
    Object.assign(
      s.config,
      storeConfig({
        user: { id: 501, type: 'user', currency_code: 'SAR' },
        events: { 'Product Viewed': { id: 7, name: 'Tea', price: 10 } },
      }),
    );
    s.init(); // loads the config, dispatches `Product Viewed`, then becomes ready
    await tracker.flush();
    const [viewed] = t.events() as unknown as Ev[];
    expect(viewed?.event).toBe('Product Viewed');
    expect(ids(viewed as Ev)).toMatchObject({
      anonymousId: 'returning-shopper',
      userId: '501',
      consent_state: 'granted',
      session_id: expect.any(String),
    });
    expect(viewed?.context.campaign).toEqual({ source: 'ads', name: 'dec' });
  });

  it('the cookie bar’s settings panel saved with Performance off (then `accepted`) is a no, now and on later pages', async () => {
    const cookies: Record<string, string> = {};
    const withCookies = (s: ReturnType<typeof cookieStore>) => {
      (s.sdk as unknown as { cookie: unknown }).cookie = { get: (k: string) => cookies[k] };
      return s;
    };
    const kv = recordingKV();
    const s = withCookies(cookieStore());
    const t = fakeEnv({ sdk: s.sdk, kv });
    const tracker = createCore(OPTS, t.env);
    s.init();
    // savePreferences(): each category's cookie, then dismiss('accepted'): the event, then the storage.
    Object.assign(cookies, { performance_cookies: 'false', functional_cookies: 'true' });
    s.emit('salla-cookies-bar::accepted');
    s.storage['cookies-consent'] = 'accepted';
    tracker.track('After');
    await tracker.flush();
    expect(ids(t.events()[0] as unknown as Ev)).toMatchObject({ consent_state: 'denied', userId: undefined });
    expect(ownKeys(kv)).toEqual([]);

    const t2 = fakeEnv({ sdk: withCookies(cookieStore('accepted')).sdk, kv });
    const next = createCore(OPTS, t2.env);
    next.track('Next page');
    await next.flush();
    expect(ids(t2.events()[0] as unknown as Ev)).toMatchObject({ consent_state: 'denied', consent: DENIED });
    // Accept all (or a bar without categories): granted.
    cookies.performance_cookies = 'true';
    const t3 = fakeEnv({ sdk: withCookies(cookieStore('accepted')).sdk, kv });
    const third = createCore(OPTS, t3.env);
    third.track('Accepted all');
    await third.flush();
    expect(ids(t3.events()[0] as unknown as Ev)).toMatchObject({
      consent_state: 'granted',
      consent: GRANTED,
    });
  });

  it('decides from the store config as soon as it attaches, without waiting for the SDK to be ready', async () => {
    for (const [s, state] of [
      [fakeSdk(storeConfig()), 'granted'],
      [cookieStore('rejected'), 'denied'],
      [cookieStore(), 'pending'],
    ] as const) {
      const t = fakeEnv({ sdk: s.sdk });
      const tracker = createCore(OPTS, t.env);
      tracker.track('A');
      await tracker.flush();
      expect(t.events().map((e) => (e as unknown as Ev).context.consent_state)).toEqual([state]);
    }
  });
});
