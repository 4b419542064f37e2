import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { createCore } from '../../src/core/createCore';
import type { Flight } from '../../src/delivery/queue';
import type { SendResult } from '../../src/delivery/retryPolicy';
import { memoryKV, type KV } from '../../src/lib/kv';
import type { TrackerEvent } from '../../src/schema';
import type { DeliveryReport, Tracker, TrackerOptions } from '../../src/types';
import { counter, fakeEnv } from '../helpers/fakeEnv';
import { fakeSdk, storeConfig } from '../helpers/fakeSdk';
import { storageKV } from '../../src/browser/storageKV';
import { fakeLocks } from './fakeLocks';

beforeEach(() => {
  vi.useFakeTimers();
  vi.setSystemTime(new Date('2026-11-22T10:00:00.000Z'));
});
afterEach(() => vi.useRealTimers());

const base: TrackerOptions = { endpoint: '/collect', consent: 'granted', webVitals: false, autoPage: false };
/** ~2.3 KB of properties. */
const big = (i: number) => ({
  i,
  a: 'a'.repeat(500),
  b: 'b'.repeat(500),
  c: 'c'.repeat(500),
  d: 'd'.repeat(500),
});
const ev = (e: TrackerEvent) => (e.type === 'track' ? e.event : 'page');
const ids = (events: Array<Record<string, unknown>>) => events.map((e) => e.messageId as string);
const names = (events: Array<Record<string, unknown>>) =>
  events.map((e) => (e.event as string) + ':' + ((e.properties as { i?: number }).i ?? ''));
/** The stored queues' records: `e`, the first `u` of them handed to the browser already (unsure). */
const records = (kv: KV) =>
  kv
    .keys()
    .filter((k) => k.indexOf('tt:q:') === 0)
    .map((k) => JSON.parse(kv.get(k) as string) as { e: TrackerEvent[]; u?: number });
/** What the next page sends for sure. */
const stored = (kv: KV) => records(kv).flatMap((r) => r.e.slice(r.u || 0));
/** What the next page sends again only if the endpoint fails there. */
const unsure = (kv: KV) => records(kv).flatMap((r) => r.e.slice(0, r.u || 0));

function listen(t: Tracker) {
  const got: Array<[string, DeliveryReport]> = [];
  for (const k of ['delivered', 'dropped', 'retry'] as const) t.on(k, (r) => void got.push([k, r]));
  return got;
}

/** One destination's reports, as [kind, reason, event names]. */
const reportsOf = (got: Array<[string, DeliveryReport]>, name: string) =>
  got.filter(([, r]) => r.destination === name).map(([k, r]) => [k, r.reason, r.events.map(ev)]);

/** A tracker (the base options, a fake env) with a callback named `pixel` that records the event names it gets. */
function withPixel() {
  const t = fakeEnv();
  const tracker = createCore(base, t.env);
  const reports = listen(tracker);
  const got: string[] = [];
  const off = tracker.register((e) => void got.push(...e.map(ev)), { name: 'pixel' });
  return { t, tracker, reports, got, off };
}

describe('endpoint delivery on hide', () => {
  it('beacons high-value events first, in chunks under the shared budget, and the next page sends the rest', async () => {
    const kv = memoryKV();
    // A keepalive request of another batch still in flight: 10,000 of the 65,536 bytes are taken.
    const t = fakeEnv({ kv, room: () => 65536 - 10000 });
    const tracker = createCore({ ...base, batchSize: 100 }, t.env);
    const reports = listen(tracker);
    for (let i = 0; i < 30; i++) tracker.track('Big', big(i));
    tracker.track('Order Completed', { order_id: '9', total: 10, currency: 'SAR' } as never);
    t.hide(true);

    const beacons = t.sent.filter((s) => s.via === 'beacon');
    const bytes = (t.env.unload as ReturnType<typeof vi.fn>).mock.calls.map((c) =>
      Buffer.byteLength(c[1] as string),
    );
    // Four beacons (the Order, tracked last, in the first), each under 16 KiB of events, all within
    // the 55,536 B left; within a beacon the events keep their order.
    expect(beacons.map((b) => names(b.body.batch))).toEqual([
      ['Big:0', 'Big:1', 'Big:2', 'Big:3', 'Big:4', 'Big:5', 'Order Completed:'],
      ['Big:6', 'Big:7', 'Big:8', 'Big:9', 'Big:10', 'Big:11'],
      ['Big:12', 'Big:13', 'Big:14', 'Big:15', 'Big:16', 'Big:17'],
      ['Big:18', 'Big:19', 'Big:20'],
    ]);
    expect(Math.max(...bytes)).toBeLessThanOrEqual(16384 + 100);
    expect(bytes.reduce((a, b) => a + b, 0)).toBeLessThanOrEqual(65536 - 10000);
    const beaconed = t.events();
    expect(beaconed.length).toBe(22); // what fits (~2.5 KB each) in the 55,536 B left
    expect(reports.filter(([k]) => k === 'delivered').reduce((n, [, r]) => n + r.events.length, 0)).toBe(22);
    expect(reports.every(([k, r]) => k === 'delivered' && r.reason === 'beacon')).toBe(true);

    // The rest is in storage, oldest first; nothing is kept in memory once the page is gone. What
    // was beaconed is stored too, as unsure, in queue order: the next page's first answer judges it.
    const rest = stored(kv);
    expect(names(rest as never)).toEqual(Array.from({ length: 9 }, (_, i) => 'Big:' + (21 + i)));
    expect(names(unsure(kv) as never)).toEqual(
      Array.from({ length: 21 }, (_, i) => 'Big:' + i).concat('Order Completed:'),
    );
    expect(tracker.stats().queued).toBe(0);

    const t2 = fakeEnv({ kv });
    const next = createCore(base, t2.env);
    await vi.advanceTimersByTimeAsync(2000);
    expect(t2.sent.map((s) => s.via)).toEqual(['fetch']);
    expect(names(t2.events())).toEqual(names(rest as never));
    const all = ids(beaconed).concat(ids(t2.events()));
    expect(new Set(all).size).toBe(31);
    expect(all).toHaveLength(31);
    await vi.advanceTimersByTimeAsync(1000); // the stored copy follows within 1 s
    expect(stored(kv)).toEqual([]);
    // The endpoint answered: what the page before beaconed is not sent again.
    expect(unsure(kv)).toEqual([]);
    await vi.advanceTimersByTimeAsync(60000);
    expect(t2.events()).toHaveLength(9);
    next.destroy();
  });

  it('acts once when visibilitychange→hidden is followed by pagehide: pagehide sends only what came since', async () => {
    const kv = memoryKV();
    const t = fakeEnv({ kv });
    const tracker = createCore(base, t.env);
    const reports = listen(tracker);
    for (let i = 0; i < 5; i++) tracker.track('E', { i });
    t.hide(false);
    tracker.track('E', { i: 5 }); // the page lives on a moment: one more event before it goes
    t.hide(true);
    // Two beacons: the five at the tab switch, then only the one that came since.
    expect(t.sent.map((s) => [s.via, names(s.body.batch)])).toEqual([
      ['beacon', ['E:0', 'E:1', 'E:2', 'E:3', 'E:4']],
      ['beacon', ['E:5']],
    ]);
    expect(reports.map(([k, r]) => [k, r.reason, names(r.events as never)])).toEqual([
      ['delivered', 'beacon', ['E:0', 'E:1', 'E:2', 'E:3', 'E:4']],
      ['delivered', 'beacon', ['E:5']],
    ]);
    expect(stored(kv)).toEqual([]);
    // (what the tab switch beaconed is no longer this page's: only pagehide's is unsure)
    expect(names(unsure(kv) as never)).toEqual(['E:5']);
    await vi.advanceTimersByTimeAsync(5000);
    expect(t.env.post).not.toHaveBeenCalled();
    expect(tracker.stats()).toEqual({ queued: 0, delivered: 6, dropped: 0, retried: 0, evicted: 0 });
  });

  it('acts once when pagehide comes first (Chrome on navigation): the keepalive batch in flight is not stored', async () => {
    const kv = memoryKV();
    let beaconOk = true;
    // Each batch goes with keepalive (it outlives the page) and stays in flight.
    const t = fakeEnv({ kv, hold: () => true, beaconOk: () => beaconOk });
    const tracker = createCore({ ...base, batchSize: 2 }, t.env);
    for (let i = 0; i < 3; i++) tracker.track('E', { i });
    await vi.advanceTimersByTimeAsync(1000); // E:0, E:1 in flight; a debounced save stored them
    expect(t.sent.map((s) => [s.via, names(s.body.batch)])).toEqual([['fetch', ['E:0', 'E:1']]]);
    expect(names(stored(kv) as never)).toEqual(['E:0', 'E:1', 'E:2']);
    t.hide(true);
    expect(t.sent.map((s) => [s.via, names(s.body.batch)])).toEqual([
      ['fetch', ['E:0', 'E:1']],
      ['beacon', ['E:2']],
    ]);
    expect(stored(kv)).toEqual([]);
    // The keepalive batch in flight and the beacon are the browser's: stored as unsure only.
    expect(names(unsure(kv) as never)).toEqual(['E:0', 'E:1', 'E:2']);
    // A last metric comes after pagehide: beaconed at once, but the budget is spent (refused), so
    // it stays in memory (sent if the page comes back from the bfcache).
    beaconOk = false;
    tracker.track('E', { i: 3 });
    expect(t.env.unload).toHaveBeenCalledTimes(2);
    // Then Chrome's visibilitychange→hidden: nothing is done a second time (no beacon, no save).
    beaconOk = true;
    t.hide(false);
    expect(t.env.unload).toHaveBeenCalledTimes(2);
    expect(t.sent.map((s) => [s.via, names(s.body.batch)])).toEqual([
      ['fetch', ['E:0', 'E:1']],
      ['beacon', ['E:2']],
    ]);
    expect(stored(kv)).toEqual([]);
    expect(tracker.stats().queued).toBe(3); // E:0, E:1 in flight (the browser's now), E:3 in memory
  });

  it('the next page sends again what the page before handed to the browser only when the endpoint fails there', async () => {
    for (const status of [200, 500, 429]) {
      const kv = memoryKV();
      // The collector does not answer before the page goes (its batches stay in flight).
      const t = fakeEnv({ kv, hold: () => true });
      const tracker = createCore({ ...base, batchSize: 2 }, t.env);
      for (let i = 0; i < 3; i++) tracker.track('E', { i });
      await vi.advanceTimersByTimeAsync(10);
      t.hide(true);
      expect(t.sent.map((x) => [x.via, names(x.body.batch)])).toEqual([
        ['fetch', ['E:0', 'E:1']],
        ['beacon', ['E:2']],
      ]);
      expect(names(unsure(kv) as never)).toEqual(['E:0', 'E:1', 'E:2']);
      const handed = ids(t.events());

      // The next page of the store: its first answer is `status`, then 200.
      let answer = status;
      const t2 = fakeEnv({ kv, status: () => answer });
      const next = createCore(base, t2.env);
      next.track('F');
      await vi.advanceTimersByTimeAsync(2000);
      answer = 200;
      await vi.advanceTimersByTimeAsync(60000);
      const batches = t2.sent.map((x) => [x.via, names(x.body.batch)]);
      if (status == 200) expect(batches).toEqual([['fetch', ['F:']]]);
      // Failing there, the endpoint most likely failed them too: they go again, first, with their ids.
      else {
        expect(batches).toEqual([
          ['fetch', ['F:']],
          ['fetch', ['E:0', 'E:1', 'E:2', 'F:']],
        ]);
        expect(ids(t2.sent[1]!.body.batch).slice(0, 3)).toEqual(handed);
      }
      expect(records(kv).flatMap((r) => r.e)).toEqual([]);
      expect(next.stats().queued).toBe(0);
      next.destroy();
    }
  });

  it('keeps a refused beacon in memory on a tab switch and sends it by fetch when the page lives on', async () => {
    let ok = false;
    const t = fakeEnv({ beaconOk: () => ok });
    const tracker = createCore(base, t.env);
    tracker.track('A');
    tracker.track('B');
    t.hide(false);
    expect(t.sent).toEqual([]);
    t.show(false);
    await vi.advanceTimersByTimeAsync(2000);
    expect(t.sent.map((s) => [s.via, s.body.batch.map((e) => e.event)])).toEqual([['fetch', ['A', 'B']]]);
    ok = true;
    tracker.destroy();
  });

  it('does not beacon into a failing endpoint: at pagehide the events, in flight included, go to storage', async () => {
    let status = 503;
    let hold = false;
    const kv = memoryKV();
    const t = fakeEnv({ kv, status: () => status, hold: () => hold, uuid: counter() });
    const post = t.env.post as ReturnType<typeof vi.fn>;
    const tracker = createCore(base, t.env);
    for (let i = 0; i < 3; i++) tracker.track('E', { i });
    await vi.advanceTimersByTimeAsync(2000); // first try: 503, retry in 1 s
    tracker.track('E', { i: 3 });
    hold = true; // the retry gets no answer before the page goes
    await vi.advanceTimersByTimeAsync(1000);
    // The retry is in flight when the page goes: all four, with keepalive (it would outlive the page).
    expect(post).toHaveBeenCalledTimes(2);
    const [url, body, flight] = post.mock.calls[1] as [string, () => string, Flight<unknown>];
    const inFlight = JSON.parse(body()).batch as TrackerEvent[];
    expect(url).toBe('/collect');
    expect(inFlight.map((e) => [e.messageId, (e.properties as { i: number }).i])).toEqual([
      ['id-3', 0], // (id-1: the page's queue, id-2: the session, id-4: the anonymous id; a
      ['id-5', 1], // message id is drawn when its event is finished, the anonymous id when the
      ['id-6', 2], // first event is)
      ['id-7', 3],
    ]);
    expect([flight.kept, flight.taken, flight.over]).toEqual([true, undefined, undefined]);
    expect(tracker.stats().queued).toBe(4);

    t.hide(false);
    t.hide(true);
    expect(t.env.unload).not.toHaveBeenCalled();
    // The batch in flight was taken back (its answer, if any, is ignored) and stored, closed.
    expect([flight.taken, flight.over]).toEqual([true, true]);
    expect(kv.keys().filter((k) => k.indexOf('tt:q:') === 0)).toEqual(['tt:q:id-1']);
    expect(JSON.parse(kv.get('tt:q:id-1') as string)).toEqual({ t: Date.now(), c: 1, e: inFlight });
    expect(tracker.stats().queued).toBe(0);

    status = 200;
    hold = false;
    const t2 = fakeEnv({ kv });
    createCore(base, t2.env);
    await vi.advanceTimersByTimeAsync(2000);
    expect(t2.sent.map((s) => s.via)).toEqual(['fetch']);
    expect(t2.events()).toEqual(inFlight);
    await vi.advanceTimersByTimeAsync(1000); // the next page's copy in storage follows within 1 s
    expect(stored(kv)).toEqual([]);
  });

  it('leaves a keepalive batch in flight to the browser, but beacons again one sent without keepalive', async () => {
    for (const keepalive of [true, false]) {
      const t = fakeEnv();
      t.env.post = vi.fn((_u: string, _b: () => string, f: Flight<unknown>) => {
        f.kept = keepalive;
        return new Promise<SendResult>(() => undefined);
      });
      const tracker = createCore({ ...base, batchSize: 2 }, t.env);
      for (let i = 0; i < 3; i++) tracker.track('E', { i });
      await vi.advanceTimersByTimeAsync(0); // (finished in a task, sent at its end) E:0, E:1 in flight
      t.hide(true);
      expect(names(t.events())).toEqual(keepalive ? ['E:2'] : ['E:0', 'E:1', 'E:2']);
      expect(tracker.stats().queued).toBe(keepalive ? 2 : 0);
    }
  });

  it('after a bfcache restore, sends its stored queue unless another page adopted it meanwhile', async () => {
    const kv = memoryKV();
    const l = fakeLocks();
    let beaconOk = false;
    const t = fakeEnv({ kv, beaconOk: () => beaconOk });
    t.env.locks = l.tab().locks;
    const tracker = createCore(base, t.env);
    await vi.advanceTimersByTimeAsync(0);
    tracker.track('A');
    t.hide(true); // beacon refused: A stored, lock released
    await vi.advanceTimersByTimeAsync(0);
    t.show(true);
    await vi.advanceTimersByTimeAsync(2000);
    expect(t.sent.map((s) => [s.via, s.body.batch.map((e) => e.event)])).toEqual([['fetch', ['A']]]);

    tracker.track('B');
    t.hide(true);
    await vi.advanceTimersByTimeAsync(0);
    const t2 = fakeEnv({ kv }); // another tab starts while this page is frozen: it adopts B
    t2.env.locks = l.tab().locks;
    createCore(base, t2.env);
    await vi.advanceTimersByTimeAsync(0);
    t.show(true);
    await vi.advanceTimersByTimeAsync(5000);
    expect(t.events().map((e) => e.event)).toEqual(['A']);
    expect(t2.events().map((e) => e.event)).toEqual(['B']);
    beaconOk = true;
  });

  it('without consent, back from the bfcache: batches as before, and the next pagehide beacons again', async () => {
    const t = fakeEnv();
    const tracker = createCore({ ...base, consent: 'pending' }, t.env);
    tracker.track('A');
    t.hide(true); // A by beacon; nothing stored
    t.show(true);
    tracker.track('B');
    tracker.track('C');
    await vi.advanceTimersByTimeAsync(2000); // one batch by fetch, not a beacon per event
    tracker.track('D');
    t.hide(true); // this page's pagehide is acted on again
    expect(t.sent.map((s) => [s.via, s.body.batch.map((e) => e.event)])).toEqual([
      ['beacon', ['A']],
      ['fetch', ['B', 'C']],
      ['beacon', ['D']],
    ]);
  });

  it('back from the bfcache is a new page view: a page event (autoPage), and without consent a new page id', async () => {
    for (const autoPage of [true, false]) {
      const t = fakeEnv();
      const tracker = createCore({ ...base, consent: 'pending', autoPage }, t.env);
      tracker.track('A');
      t.hide(true); // A by beacon
      t.show(false); // the same page shown again (not from the bfcache): no new page view
      t.show(true);
      tracker.track('B');
      await vi.advanceTimersByTimeAsync(2000);
      const got = t.events();
      expect(got.map((e) => e.event ?? 'page')).toEqual(autoPage ? ['A', 'page', 'B'] : ['A', 'B']);
      // pending: anonymousId is this page view's own id, never reused by the next page view
      const [a, ...after] = got.map((e) => e.anonymousId as string);
      expect(after.every((id) => id === after[0])).toBe(true);
      expect(after[0]).not.toBe(a);
      expect(typeof a === 'string' && a.length > 0).toBe(true);
    }
  });

  it("writes the session's last activity at pagehide: the next page within 30 minutes of it keeps the session", async () => {
    const kv = memoryKV();
    const t = fakeEnv({ kv });
    const tracker = createCore(base, t.env);
    tracker.track('A'); // the session starts (written at once)
    await vi.advanceTimersByTimeAsync(50_000);
    tracker.track('B'); // its activity is written at most once a minute: not yet
    await vi.advanceTimersByTimeAsync(2000);
    t.hide(true);
    // The next page 29 min 12 s after B, 30 min 2 s after A.
    await vi.advanceTimersByTimeAsync(29 * 60_000 + 10_000);
    const t2 = fakeEnv({ kv });
    const next = createCore(base, t2.env);
    next.track('C');
    await vi.advanceTimersByTimeAsync(2000);
    const sid = (e: Record<string, unknown>) => (e.context as { session_id?: string }).session_id;
    const [a, b] = t.events();
    const [c] = t2.events();
    expect(sid(a!)).toBeTruthy();
    expect([sid(b!), sid(c!)]).toEqual([sid(a!), sid(a!)]);
  });

  it('flushes at once when the browser comes back online, without waiting for the backoff', async () => {
    let status = 0;
    const t = fakeEnv({ status: () => status });
    const tracker = createCore(base, t.env);
    tracker.track('A');
    await vi.advanceTimersByTimeAsync(2000);
    await vi.advanceTimersByTimeAsync(1000);
    await vi.advanceTimersByTimeAsync(2000); // failed 3 times; next try in 4 s
    expect(t.sent).toHaveLength(3);
    status = 200;
    t.goOnline();
    await vi.advanceTimersByTimeAsync(0);
    expect(t.sent).toHaveLength(4);
    expect(tracker.stats()).toEqual({ queued: 0, delivered: 1, dropped: 0, retried: 3, evicted: 0 });
  });
});

describe('bounds and storage failures', () => {
  it('evicts the oldest beyond 1000 queued events, counts and reports them', async () => {
    const t = fakeEnv({ status: () => 503 });
    const tracker = createCore({ ...base, batchSize: 500 }, t.env);
    const dropped: DeliveryReport[] = [];
    tracker.on('dropped', (r) => void dropped.push(r));
    for (let i = 0; i < 1005; i++) tracker.track('E', { i });
    const stats = tracker.stats(); // (counting finishes the events built so far, before any batch goes)
    expect(dropped.map((r) => [r.reason, r.events.map((e) => (e.properties as { i: number }).i)])).toEqual(
      [0, 1, 2, 3, 4].map((i) => ['evicted', [i]]),
    );
    expect(stats).toEqual({ queued: 1000, delivered: 0, dropped: 5, retried: 0, evicted: 5 });
  });

  it('with storage full (set returns false) keeps delivering from memory; at unload reports what is lost', async () => {
    const mem = memoryKV();
    const kv: KV = { ...mem, set: () => false };
    let up = true;
    const t = fakeEnv({ kv, status: () => (up ? 200 : 0), beaconOk: () => up });
    const tracker = createCore(base, t.env);
    const dropped: DeliveryReport[] = [];
    tracker.on('dropped', (r) => void dropped.push(r));
    tracker.track('A');
    await vi.advanceTimersByTimeAsync(3000);
    expect(t.events().map((e) => e.event)).toEqual(['A']);
    up = false;
    tracker.track('B');
    tracker.track('C');
    await vi.advanceTimersByTimeAsync(2000);
    t.hide(true);
    expect(dropped.map((r) => [r.reason, r.events.map(ev)])).toEqual([['evicted', ['B', 'C']]]);
    expect(tracker.stats()).toEqual({ queued: 0, delivered: 1, dropped: 2, retried: 2, evicted: 2 });
    expect(mem.keys().filter((k) => k.indexOf('tt:q:') === 0)).toEqual([]);
  });

  it('with a storage that throws on every call still delivers, and never throws into the page', async () => {
    const boom = () => {
      throw new DOMException('denied', 'SecurityError');
    };
    const kv: KV = { get: boom, set: boom, del: boom, keys: boom };
    const s = fakeSdk(storeConfig({ events: { 'Order Completed': [{ order_id: '1', total: 5 }] } }));
    const t = fakeEnv({ kv, sdk: s.sdk });
    let tracker: Tracker | undefined;
    expect(() => (tracker = createCore(base, t.env))).not.toThrow();
    expect(() => s.init()).not.toThrow();
    tracker?.track('A');
    expect(() => t.hide(true)).not.toThrow();
    expect(t.events().map((e) => e.event)).toEqual(['Order Completed', 'A']);
  });
});

describe('storageKV (localStorage)', () => {
  /** A Storage-like object whose calls throw when `fail` says so. */
  function fakeStorage(fail: (op: string, k: string, v?: string) => boolean) {
    const m = new Map<string, string>();
    const err = () => new DOMException('quota', 'QuotaExceededError');
    const s = {
      getItem: (k: string) => {
        if (fail('get', k)) throw err();
        return m.has(k) ? (m.get(k) as string) : null;
      },
      setItem: (k: string, v: string) => {
        if (fail('set', k, v)) throw err();
        m.set(k, v);
      },
      removeItem: (k: string) => void m.delete(k),
    };
    return {
      m,
      s: new Proxy(s, {
        ownKeys: () => Array.from(m.keys()),
        getOwnPropertyDescriptor: (_, k) =>
          m.has(k as string)
            ? { enumerable: true, configurable: true, value: m.get(k as string) }
            : undefined,
      }),
    };
  }
  afterEach(() => vi.unstubAllGlobals());

  it('falls back to memory when localStorage throws on access (private mode, blocked storage)', () => {
    vi.stubGlobal('window', {
      get localStorage() {
        throw new DOMException('denied', 'SecurityError');
      },
    });
    const kv = storageKV();
    expect(kv.set('a', '1')).toBe(true);
    expect(kv.get('a')).toBe('1');
  });

  it('blocked localStorage: the tracker reports what pagehide cannot send as dropped, storage unavailable', async () => {
    vi.stubGlobal('window', {
      get localStorage() {
        throw new DOMException('denied', 'SecurityError');
      },
    });
    const t = fakeEnv({ kv: storageKV(), beaconOk: () => false });
    const tracker = createCore(base, t.env);
    const got = listen(tracker);
    tracker.track('A');
    tracker.track('B');
    await vi.advanceTimersByTimeAsync(0);
    t.hide(true);
    t.hide(true);
    expect(got.map(([k, r]) => [k, r.reason, r.events.map(ev)])).toEqual([
      ['dropped', 'storage unavailable', ['A', 'B']],
    ]);
  });

  it('a full quota makes set return false, never throw; the tracker delivers and reports what unload loses', async () => {
    const st = fakeStorage((op, k, v) => op === 'set' && k !== 'tt:probe' && (v || '').length > 200);
    vi.stubGlobal('window', { localStorage: st.s });
    const kv = storageKV();
    expect(kv.set('small', 'x')).toBe(true);
    expect(kv.set('big', 'x'.repeat(300))).toBe(false);
    expect(kv.keys()).toEqual(['small']);
    let up = true;
    const t = fakeEnv({ kv, status: () => (up ? 200 : 0), beaconOk: () => up });
    const tracker = createCore(base, t.env);
    const got = listen(tracker);
    tracker.track('A', big(0));
    await vi.advanceTimersByTimeAsync(2000);
    up = false;
    tracker.track('B', big(1));
    await vi.advanceTimersByTimeAsync(2000);
    t.hide(true);
    const dropped = got.filter(([k]) => k === 'dropped').map(([, r]) => r);
    expect(got.filter(([k]) => k === 'delivered').map(([, r]) => r.events.map(ev))).toEqual([['A']]);
    expect(dropped.map((r) => [r.reason, r.events.map(ev)])).toEqual([['evicted', ['B']]]);
  });
});

describe('cross-tab coordination', () => {
  it('the queue of a closed tab is sent by exactly one of the tabs that start next; no event twice', async () => {
    const kv = memoryKV();
    const l = fakeLocks();
    let status = 503;
    const delivered: TrackerEvent[] = [];
    const tab = () => {
      const t = fakeEnv({ kv, status: () => status });
      t.env.locks = l.tab().locks;
      const tracker = createCore(base, t.env);
      tracker.on('delivered', (r) => void delivered.push(...r.events));
      return { t, tracker };
    };
    const a = tab();
    for (let i = 0; i < 5; i++) a.tracker.track('A', { i });
    await vi.advanceTimersByTimeAsync(2000); // 503: failing, so pagehide keeps them for the next page
    a.t.hide(true);
    await vi.advanceTimersByTimeAsync(0);
    expect(a.t.env.unload).not.toHaveBeenCalled();

    const b = tab();
    const c = tab();
    b.tracker.track('B');
    c.tracker.track('C');
    await vi.advanceTimersByTimeAsync(0);
    status = 200;
    await vi.advanceTimersByTimeAsync(10000);
    expect(names(delivered as never).sort()).toEqual(['A:0', 'A:1', 'A:2', 'A:3', 'A:4', 'B:', 'C:']);
    expect(new Set(delivered.map((e) => e.messageId)).size).toBe(7);
    // Exactly one of B and C sent A's events.
    const sentA = [b, c].map((x) => x.t.events().filter((e) => e.event === 'A').length);
    expect(sentA.sort()).toEqual([0, 5]);
    expect(stored(kv)).toEqual([]);
  });
  it('a tab shown again adopts the queue a tab closed since left, without waiting for another page to start', async () => {
    const kv = memoryKV();
    const l = fakeLocks();
    let status = 200;
    const b = fakeEnv({ kv, status: () => status });
    b.env.locks = l.tab().locks;
    createCore(base, b.env);
    const a = fakeEnv({ kv, status: () => status });
    a.env.locks = l.tab().locks;
    const ta = createCore(base, a.env);
    await vi.advanceTimersByTimeAsync(5000); // both started long ago: their look at start is over
    status = 503;
    ta.track('A');
    await vi.advanceTimersByTimeAsync(2000);
    a.hide(true); // tab A closes while the endpoint fails: A stored
    await vi.advanceTimersByTimeAsync(0);
    status = 200;
    expect(names(stored(kv) as never)).toEqual(['A:']);
    await vi.advanceTimersByTimeAsync(60000);
    expect(b.sent).toEqual([]);
    b.show(false); // tab B comes to the front
    await vi.advanceTimersByTimeAsync(3000);
    expect(names(b.events())).toEqual(['A:']);
    expect(stored(kv)).toEqual([]);
  });

  it('a page that starts before the previous one released its lock adopts its queue a few seconds later', async () => {
    const kv = memoryKV();
    const l = fakeLocks();
    let status = 503;
    const a = fakeEnv({ kv, status: () => status });
    a.env.locks = l.tab().locks;
    const ta = createCore(base, a.env);
    await vi.advanceTimersByTimeAsync(0);
    ta.track('A');
    await vi.advanceTimersByTimeAsync(2000);
    a.hide(true); // the lock is released asynchronously…
    const b = fakeEnv({ kv }); // …and the next page starts before that
    b.env.locks = l.tab().locks;
    createCore(base, b.env);
    status = 200;
    await vi.advanceTimersByTimeAsync(2500);
    expect(b.sent).toEqual([]);
    expect(names(stored(kv) as never)).toEqual(['A:']);
    await vi.advanceTimersByTimeAsync(500 + 2000);
    expect(names(b.events())).toEqual(['A:']);
  });
});

describe('dedupe', () => {
  const order = {
    order_id: '300001',
    total: 416,
    currency: 'SAR',
    products: [{ product_id: '101', price: 68, quantity: 3 }],
  };

  it('sends Order Completed once when the SDK reports it twice, and not again after a reload', async () => {
    const kv = memoryKV();
    const s = fakeSdk(storeConfig({ events: { 'Order Completed': [order] } }));
    const t = fakeEnv({ kv, sdk: s.sdk });
    createCore(base, t.env);
    s.init();
    s.emit('Order Completed', [order]);
    await vi.advanceTimersByTimeAsync(2000);
    expect(t.events().map((e) => [e.event, e.messageId])).toEqual([['Order Completed', 'tt-oc-300001']]);

    const s2 = fakeSdk(storeConfig({ events: { 'Order Completed': [order] } }));
    const t2 = fakeEnv({ kv, sdk: s2.sdk });
    createCore(base, t2.env);
    s2.init();
    s2.emit('Order Completed', [{ ...order, order_id: '300002' }]);
    await vi.advanceTimersByTimeAsync(2000);
    expect(t2.events().map((e) => e.messageId)).toEqual(['tt-oc-300002']);
  });
});

describe('callback destinations', () => {
  it('a throwing, a rejecting and a never-resolving callback do not delay or break a healthy one', async () => {
    const t = fakeEnv();
    const tracker = createCore({ ...base, callbackTimeout: 5000 }, t.env);
    const healthy: Array<[number, string]> = [];
    let hangCalls = 0;
    let throwCalls = 0;
    tracker.register(
      () => {
        throwCalls++;
        throw new Error('boom');
      },
      { name: 'throws' },
    );
    tracker.register(() => Promise.reject(new Error('nope')), { name: 'rejects' });
    tracker.register(() => new Promise<void>(() => void hangCalls++), { name: 'hangs' });
    tracker.register(
      (events) => void events.forEach((e) => healthy.push([Date.now(), e.type === 'track' ? e.event : ''])),
      {
        name: 'healthy',
      },
    );
    const retries: DeliveryReport[] = [];
    tracker.on('retry', (r) => void retries.push(r));
    const start = Date.now();
    for (let round = 0; round < 3; round++) {
      for (let i = 0; i < 10; i++) tracker.track('E' + (round * 10 + i));
      await vi.advanceTimersByTimeAsync(2000);
    }
    expect(healthy.map(([, n]) => n)).toEqual(Array.from({ length: 30 }, (_, i) => 'E' + i));
    // Each batch arrived on time: 2 s after its first event, whatever the others did.
    expect(healthy.map(([at]) => at - start)).toEqual(
      [2000, 4000, 6000].flatMap((at) => Array.from({ length: 10 }, () => at)),
    );
    expect(t.events()).toHaveLength(30);
    const retried = () => retries.map((r) => [r.destination, r.reason, r.attempt, r.delay, r.events.length]);
    // Retried with the same policy as the endpoint: 1 s, 2 s, 4 s…, each retry carrying what queued since.
    expect(retried()).toEqual([
      ['throws', 'callback failed', 1, 1000, 10],
      ['rejects', 'callback failed', 1, 1000, 10],
      ['throws', 'callback failed', 2, 2000, 20],
      ['rejects', 'callback failed', 2, 2000, 20],
      ['throws', 'callback failed', 3, 4000, 20],
      ['rejects', 'callback failed', 3, 4000, 20],
    ]);
    await vi.advanceTimersByTimeAsync(5000);
    // The hanging one times out 5 s (callbackTimeout) after its first call, at 7 s.
    expect(retried().slice(6)).toEqual([
      ['hangs', 'timeout', 1, 1000, 10],
      ['throws', 'callback failed', 4, 8000, 20],
      ['rejects', 'callback failed', 4, 8000, 20],
    ]);
    expect(hangCalls).toBe(2); // at 2 s, and its retry at 8 s
    expect(throwCalls).toBe(4); // at 2, 3, 5 and 9 s
    expect(tracker.stats().delivered).toBe(60); // endpoint 30 + healthy 30
  });

  it('a Salla-style destination slower than callbackTimeout is called once per event, one call at a time', async () => {
    const t = fakeEnv();
    const tracker = createCore({ ...base, callbackTimeout: 1000 }, t.env);
    const calls: string[] = [];
    let active = 0;
    let most = 0;
    // A pixel that takes 300 ms per event: a batch of 12 takes 3.6 s, over the 1 s timeout.
    tracker.register({
      name: 'slow-pixel',
      async track(name) {
        calls.push(name);
        most = Math.max(most, ++active);
        await new Promise((r) => setTimeout(r, 300));
        active--;
      },
    });
    const retries: DeliveryReport[] = [];
    tracker.on('retry', (r) => void retries.push(r));
    for (let i = 0; i < 12; i++) tracker.track('E' + i);
    await vi.advanceTimersByTimeAsync(20000);
    // The timed-out call stops after the event it is in; its retry goes on from the first not accepted.
    expect(calls).toEqual(Array.from({ length: 12 }, (_, i) => 'E' + i));
    expect(most).toBe(1);
    expect(retries.map((r) => r.reason)).toEqual(['timeout', 'timeout', 'timeout']);
    expect(tracker.stats().queued).toBe(0);
  });

  it('50 events of ~2.3 KB in the task that starts a navigation, consent pending: the navigation builds them, so batches leave by keepalive fetch before pagehide beacons the rest; all 50 go', async () => {
    // (Before, a pagehide that came before the pipeline's task built all 50 at once: 115 KB for a
    // 64 KiB beacon budget, the rest dropped, as an e2e run on a busy machine lost 8 of 50 ~1.5 KB.)
    // The browser's 64 KiB for beacons at pagehide, spent as they go.
    let spent = 0;
    const t = fakeEnv({
      room: () => 65536 - spent,
      beaconOk: (b) => (spent += Buffer.byteLength(b)) <= 65536,
    });
    const tracker = createCore({ ...base, consent: 'pending' }, t.env);
    const reports = listen(tracker);
    for (let i = 0; i < 50; i++) tracker.track('Big', big(i));
    t.navigate();
    // The navigation's request and response: microtasks run (no timer: a busy page's may not).
    for (let i = 0; i < 10; i++) await Promise.resolve();
    t.hide(true);
    await vi.advanceTimersByTimeAsync(0);
    const got = t.sent.flatMap((s) => names(s.body.batch));
    expect(new Set(got).size).toBe(50);
    expect(t.sent.map((s) => s.via).slice(0, 2)).toEqual(['fetch', 'fetch']);
    expect(reports.filter(([k]) => k === 'dropped')).toEqual([]);
  });

  it('destroy() with consent pending (a cookie bar nobody clicked): what the endpoint had queued is beaconed, as at pagehide, not lost unreported', async () => {
    const kv = memoryKV();
    const t = fakeEnv({ kv });
    const tracker = createCore({ ...base, consent: 'pending' }, t.env);
    const reports = listen(tracker);
    tracker.track('A');
    tracker.track('B');
    tracker.destroy();
    await vi.advanceTimersByTimeAsync(60_000);
    expect(t.sent.map((s) => [s.via, names(s.body.batch)])).toEqual([['beacon', ['A:', 'B:']]]);
    expect(reports.map(([k, r]) => [k, r.reason, r.events.map(ev)])).toEqual([
      ['delivered', 'beacon', ['A', 'B']],
    ]);
    expect(kv.keys()).toEqual([]);
  });

  it('destroy() with consent pending while a batch is in flight by plain fetch (the keepalive budget used up): the page lives on, so the batch is not beaconed again', async () => {
    const kv = memoryKV();
    const t = fakeEnv({ kv, keepalive: () => false, hold: () => true });
    const tracker = createCore({ ...base, consent: 'pending' }, t.env);
    const reports = listen(tracker);
    tracker.track('A');
    await vi.advanceTimersByTimeAsync(5000); // A in flight, not answered yet
    tracker.track('B');
    tracker.destroy();
    expect(t.sent.map((s) => [s.via, names(s.body.batch)])).toEqual([
      ['fetch', ['A:']],
      ['beacon', ['B:']],
    ]);
    expect(reports.map(([k, r]) => [k, r.reason, r.events.map(ev)])).toEqual([
      ['delivered', 'beacon', ['B']],
    ]);
  });

  /** The endpoint's POSTs wait for the answers the test gives (`answer(i, status)`). */
  const answered = (t: ReturnType<typeof fakeEnv>) => {
    const answers: Array<(r: SendResult) => void> = [];
    t.env.post = async (url: string, body: () => string, flight: Flight<unknown>) => {
      await undefined;
      flight.kept = true;
      t.sent.push({ url, body: JSON.parse(body()), via: 'fetch' });
      return new Promise<SendResult>((r) => answers.push(r));
    };
    return (i: number, status: number) => answers[i]?.({ status });
  };
  /** What was tracked goes in flight; then destroy(), then the answer `status` to it. */
  const failAfterDestroy = async (
    tracker: Tracker,
    answer: (i: number, s: number) => void,
    status: number,
  ) => {
    await vi.advanceTimersByTimeAsync(2500);
    tracker.destroy();
    answer(0, status);
    await vi.advanceTimersByTimeAsync(120_000);
  };

  it('destroy() with consent pending while a batch is in flight that the collector refuses whole (400): no smaller batch goes, it is reported dropped whole (a beacon would only be refused again)', async () => {
    const t = fakeEnv();
    const answer = answered(t);
    const tracker = createCore({ ...base, consent: 'pending' }, t.env);
    const reports = listen(tracker);
    tracker.track('A');
    tracker.track('B');
    await failAfterDestroy(tracker, answer, 400);
    expect(t.sent.map((s) => s.via)).toEqual(['fetch']);
    expect(reports.map(([k, r]) => [k, r.reason, r.events.map(ev)])).toEqual([
      ['dropped', 'status 400', ['A', 'B']],
    ]);
    expect(tracker.stats()).toMatchObject({ queued: 0, dropped: 2 });
  });

  for (const consent of ['pending', 'granted'] as const)
    it(`destroy() after pagehide (consent ${consent}) while a kept batch is in flight that then fails, the beacon refused: reported dropped, destroyed (the stored queue is no longer this page's)`, async () => {
      const t = fakeEnv({ beaconOk: () => false });
      const answer = answered(t);
      const tracker = createCore({ ...base, consent }, t.env);
      const reports = listen(tracker);
      tracker.track('A');
      await vi.advanceTimersByTimeAsync(2500);
      t.hide(true);
      tracker.destroy();
      answer(0, 503);
      await vi.advanceTimersByTimeAsync(120_000);
      expect(reports.map(([k, r]) => [k, r.reason, r.events.map(ev)])).toEqual([
        ['retry', 'status 503', ['A']],
        ['dropped', 'destroyed', ['A']],
      ]);
      expect(tracker.stats()).toMatchObject({ queued: 0, dropped: 1 });
    });

  it('destroy() with consent granted and storage only in memory (blocked): what is queued is beaconed, not kept in a memory that is gone', async () => {
    vi.stubGlobal('window', {
      get localStorage() {
        throw new DOMException('denied', 'SecurityError');
      },
    });
    const t = fakeEnv({ kv: storageKV() });
    const tracker = createCore(base, t.env);
    const reports = listen(tracker);
    tracker.track('A');
    tracker.destroy();
    await vi.advanceTimersByTimeAsync(60_000);
    expect(t.sent.map((s) => [s.via, names(s.body.batch)])).toEqual([['beacon', ['A:']]]);
    expect(reports.map(([k, r]) => [k, r.reason])).toEqual([['delivered', 'beacon']]);
    expect(tracker.stats()).toMatchObject({ queued: 0, delivered: 1 });
  });

  for (const status of [503, 0])
    it(`destroy() with consent pending while a batch is in flight that then fails (${status || 'network error'}): it is beaconed then, as at pagehide, not left unsent and unreported`, async () => {
      const kv = memoryKV();
      const t = fakeEnv({ kv });
      const answer = answered(t);
      const tracker = createCore({ ...base, consent: 'pending' }, t.env);
      const reports = listen(tracker);
      tracker.track('A');
      tracker.track('B');
      await failAfterDestroy(tracker, answer, status);
      expect(t.sent.map((s) => [s.via, names(s.body.batch)])).toEqual([
        ['fetch', ['A:', 'B:']],
        ['beacon', ['A:', 'B:']],
      ]);
      expect(reports.map(([k, r]) => [k, r.reason, r.events.map(ev)])).toEqual([
        ['retry', status ? 'status ' + status : 'network error', ['A', 'B']],
        ['delivered', 'beacon', ['A', 'B']],
      ]);
      expect(tracker.stats()).toMatchObject({ queued: 0, delivered: 2, dropped: 0 });
      expect(kv.keys()).toEqual([]);
    });

  it('destroy() with consent pending while the beacon quota is spent and a batch in flight fails: reported dropped', async () => {
    const t = fakeEnv({ beaconOk: () => false });
    const answer = answered(t);
    const tracker = createCore({ ...base, consent: 'pending' }, t.env);
    const reports = listen(tracker);
    tracker.track('A');
    await failAfterDestroy(tracker, answer, 503);
    expect(reports.map(([k, r]) => [k, r.reason, r.events.map(ev)])).toEqual([
      ['retry', 'status 503', ['A']],
      ['dropped', 'not stored without consent', ['A']],
    ]);
    expect(tracker.stats()).toMatchObject({ queued: 0, dropped: 1 });
  });

  it('destroy() with consent granted while a batch in flight fails: it is stored for the next page', async () => {
    const kv = memoryKV();
    const t = fakeEnv({ kv });
    const answer = answered(t);
    const tracker = createCore(base, t.env);
    const reports = listen(tracker);
    tracker.track('A');
    await failAfterDestroy(tracker, answer, 503);
    expect(t.sent.map((s) => s.via)).toEqual(['fetch']);
    expect(reports.map(([k, r]) => [k, r.reason])).toEqual([['retry', 'status 503']]);
    expect(stored(kv).map(ev)).toEqual(['A']);
  });

  it('destroy() right after track() of an event being hashed (consent pending): the hashed event is beaconed when it comes', async () => {
    const kv = memoryKV();
    const t = fakeEnv({ kv });
    const tracker = createCore({ ...base, consent: 'pending' }, t.env);
    const reports = listen(tracker);
    tracker.track('Signed Up', { email: 'sara@example.com' });
    tracker.destroy();
    await vi.advanceTimersByTimeAsync(60_000);
    expect(t.sent.map((s) => s.via)).toEqual(['beacon']);
    // (without consent its identity fields are left out: hashed first all the same, so it comes late)
    expect(t.events().map((e) => e.type === 'track' && [e.event, e.properties])).toEqual([['Signed Up', {}]]);
    expect(reports.map(([k, r]) => [k, r.reason, r.events.map(ev)])).toEqual([
      ['delivered', 'beacon', ['Signed Up']],
    ]);
    expect(tracker.stats()).toMatchObject({ queued: 0, delivered: 1 });
    expect(kv.keys()).toEqual([]);
  });

  it('an event still being hashed at pagehide and then destroy() (consent pending), the beacon refused: reported dropped, destroyed, not left queued for good', async () => {
    const t = fakeEnv({ beaconOk: () => false });
    const tracker = createCore({ ...base, consent: 'pending' }, t.env);
    const reports = listen(tracker);
    tracker.track('Signed Up', { email: 'sara@example.com' });
    t.hide(true);
    tracker.destroy();
    await vi.advanceTimersByTimeAsync(60_000);
    expect(reports.map(([k, r]) => [k, r.reason, r.events.map(ev)])).toEqual([
      ['dropped', 'destroyed', ['Signed Up']],
    ]);
    expect(tracker.stats()).toMatchObject({ queued: 0, dropped: 1 });
  });

  it('flush() after destroy() resolves (nothing is sent)', async () => {
    const t = fakeEnv();
    const tracker = createCore(base, t.env);
    const got: TrackerEvent[] = [];
    tracker.register((e) => void got.push(...e));
    tracker.track('E');
    tracker.destroy();
    let done = false;
    void tracker.flush().then(() => (done = true));
    await vi.advanceTimersByTimeAsync(5000);
    expect(done).toBe(true);
    expect(got).toEqual([]);
    expect(t.events()).toEqual([]);
  });

  it('unregister() reports what the destination still had queued as dropped (unregistered), and sends it nothing more', async () => {
    const { t, tracker, reports, got, off } = withPixel();
    tracker.track('A');
    await tracker.flush();
    tracker.track('B');
    tracker.track('C');
    off();
    tracker.track('D');
    await vi.advanceTimersByTimeAsync(5000);
    expect(got).toEqual(['A']);
    const pixel = reportsOf(reports, 'pixel');
    expect(pixel).toEqual([
      ['delivered', undefined, ['A']],
      ['dropped', 'unregistered', ['B', 'C']],
    ]);
    // The endpoint is not affected; the counts add up: 4 + 1 delivered, 2 dropped.
    expect(t.events().map((e) => e.event ?? 'page')).toEqual(['A', 'B', 'C', 'D']);
    expect(tracker.stats()).toMatchObject({ queued: 0, delivered: 5, dropped: 2 });
    off();
    expect(tracker.stats().dropped).toBe(2);
  });

  it('unregister() leaves a batch the callback already has to its answer: one that unregisters itself, one still working', async () => {
    const t = fakeEnv();
    const tracker = createCore(base, t.env);
    const reports = listen(tracker);
    const got: string[] = [];
    // A callback that wants one batch only.
    const once = tracker.register(
      (e) => {
        got.push(...e.map(ev));
        once();
      },
      { name: 'once' },
    );
    let finish = () => {};
    const off = tracker.register(
      (e) => {
        got.push(...e.map(ev));
        return new Promise<void>((r) => (finish = r));
      },
      { name: 'slow' },
    );
    tracker.track('A');
    await vi.advanceTimersByTimeAsync(2000); // A handed to both
    tracker.track('B');
    off(); // while 'slow' still works on A; B is queued for it
    finish();
    await vi.advanceTimersByTimeAsync(5000);
    expect(got).toEqual(['A', 'A']);
    const mine = reports
      .filter(([, r]) => r.destination !== 'endpoint')
      .map(([k, r]) => [r.destination, k, r.reason, r.events.map(ev)]);
    expect(mine).toEqual([
      ['once', 'delivered', undefined, ['A']],
      ['slow', 'dropped', 'unregistered', ['B']],
      ['slow', 'delivered', undefined, ['A']],
    ]);
  });

  it('unregister() right after an event with an email (hashed, asynchronously): it is reported dropped (unregistered), once; the next is not for it', async () => {
    const { t, tracker, reports, got, off } = withPixel();
    tracker.track('Newsletter Joined', { email: 'sara@example.com' });
    off();
    tracker.track('After');
    await vi.advanceTimersByTimeAsync(5000);
    expect(got).toEqual([]);
    const pixel = reportsOf(reports, 'pixel');
    expect(pixel).toEqual([['dropped', 'unregistered', ['Newsletter Joined']]]);
    expect(t.events().map((e) => e.event)).toEqual(['Newsletter Joined', 'After']);
    expect(tracker.stats()).toMatchObject({ queued: 0, delivered: 2, dropped: 1 });
  });

  it('unregister() with no event being hashed: one tracked right after it, in the same task, is not reported for it', async () => {
    const t = fakeEnv();
    const tracker = createCore(base, t.env);
    const reports = listen(tracker);
    const off = tracker.register(() => undefined, { name: 'pixel' });
    off();
    tracker.track('After');
    expect(tracker.stats()).toMatchObject({ dropped: 0 });
    await vi.advanceTimersByTimeAsync(5000);
    expect(reportsOf(reports, 'pixel')).toEqual([]);
    expect(t.events().map((e) => e.event)).toEqual(['After']);
  });

  it('unregister() while a batch the callback has is still working: when it fails, it is reported dropped (unregistered), once, not retried', async () => {
    const t = fakeEnv();
    const tracker = createCore(base, t.env);
    const reports = listen(tracker);
    let calls = 0;
    let fail = (_: Error) => {};
    const off = tracker.register(() => (calls++, new Promise<void>((_, reject) => (fail = reject))), {
      name: 'pixel',
    });
    tracker.track('A');
    await vi.advanceTimersByTimeAsync(2000); // A handed to it
    off();
    fail(new Error('pixel down'));
    await vi.advanceTimersByTimeAsync(60_000);
    expect(calls).toBe(1);
    const pixel = reportsOf(reports, 'pixel');
    expect(pixel).toEqual([['dropped', 'unregistered', ['A']]]);
    expect(tracker.stats()).toMatchObject({ queued: 0, retried: 0, dropped: 1 });
  });

  it('destroy(): what a callback still had queued is reported dropped (destroyed), once; a later unregister() reports nothing more', async () => {
    const { tracker, reports, got, off } = withPixel();
    tracker.track('A');
    tracker.destroy();
    const pixel = () => reportsOf(reports, 'pixel');
    expect(pixel()).toEqual([['dropped', 'destroyed', ['A']]]);
    off();
    off();
    await vi.advanceTimersByTimeAsync(5000);
    expect(got).toEqual([]);
    expect(pixel()).toEqual([['dropped', 'destroyed', ['A']]]);
  });

  it('destroy() while a batch the callback has is still working: when it fails, it is reported dropped (destroyed), once, not retried', async () => {
    const t = fakeEnv();
    const tracker = createCore(base, t.env);
    const reports = listen(tracker);
    let calls = 0;
    let fail = (_: Error) => {};
    tracker.register(() => (calls++, new Promise<void>((_, reject) => (fail = reject))), { name: 'pixel' });
    tracker.track('A');
    await vi.advanceTimersByTimeAsync(2000); // A handed to it
    tracker.track('B');
    tracker.destroy();
    fail(new Error('pixel down'));
    await vi.advanceTimersByTimeAsync(60_000);
    expect(calls).toBe(1);
    const pixel = reportsOf(reports, 'pixel');
    expect(pixel).toEqual([
      ['dropped', 'destroyed', ['B']],
      ['dropped', 'destroyed', ['A']],
    ]);
  });

  it('at pagehide, what is queued for a callback is handed to it at once (not after the flush interval)', async () => {
    const t = fakeEnv();
    const tracker = createCore(base, t.env);
    const got: string[] = [];
    tracker.register((events) => void got.push(...events.map(ev)));
    tracker.track('A');
    tracker.track('B');
    await vi.advanceTimersByTimeAsync(1000);
    expect(got).toEqual([]); // batched: 2 s after the first
    t.hide(true);
    await vi.advanceTimersByTimeAsync(0);
    expect(got).toEqual(['A', 'B']);
  });

  it('a late destination gets the last 100 events (ring buffer), or none with replay: false', async () => {
    const t = fakeEnv();
    const tracker = createCore({ ...base, batchSize: 500 }, t.env);
    for (let i = 0; i < 130; i++) tracker.track('E', { i });
    const late: TrackerEvent[] = [];
    const none: TrackerEvent[] = [];
    tracker.register((e) => void late.push(...e));
    tracker.register((e) => void none.push(...e), { replay: false });
    await tracker.flush();
    expect(late.map((e) => (e.properties as { i: number }).i)).toEqual(
      Array.from({ length: 100 }, (_, i) => 30 + i),
    );
    expect(none).toEqual([]);
  });
});
