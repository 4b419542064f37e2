/**
 * The paths the test environment's defaults skip (fakeEnv: random 0.5, every POST with keepalive and
 * answered at once, every beacon accepted, no Web Locks): jittered backoff, a POST without keepalive
 * in flight at pagehide, a browser that refuses large beacons, and tab coordination with and without
 * Web Locks.
 */
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { createCore } from '../../src/core/createCore';
import { memoryKV, type KV } from '../../src/lib/kv';
import type { TrackerEvent } from '../../src/schema';
import type { DeliveryReport, Tracker, TrackerOptions } from '../../src/types';
import { fakeEnv } from '../helpers/fakeEnv';
import { fakeLocks } from './fakeLocks';

beforeEach(() => {
  vi.useFakeTimers();
  vi.setSystemTime(new Date('2026-11-22T10:00:00.000Z'));
});
afterEach(() => vi.useRealTimers());

const base: TrackerOptions = { endpoint: '/collect', consent: 'granted', webVitals: false, autoPage: false };
const START = Date.parse('2026-11-22T10:00:00.000Z');
const names = (events: Array<Record<string, unknown>>) =>
  events.map((e) => (e.event as string) + ':' + ((e.properties as { i?: number }).i ?? ''));
const sent = (t: ReturnType<typeof fakeEnv>) => t.sent.map((s) => [s.via, names(s.body.batch)]);
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
/** `n` keys of 500 characters: about n × 507 bytes of JSON. */
const fat = (i: number, n: number) => ({
  i,
  ...Object.fromEntries(Array.from({ length: n }, (_, k) => ['k' + k, 'x'.repeat(500)])),
});

function listen(t: Tracker) {
  const got: Array<[string, DeliveryReport]> = [];
  for (const k of ['delivered', 'dropped', 'retry'] as const) t.on(k, (r) => void got.push([k, r]));
  return got;
}

describe('retry backoff with jitter (random ≠ 0.5)', () => {
  it('waits 1 s, 2 s, 4 s, 8 s, each times 0.75 + random × 0.5', async () => {
    const draws = [0, 1, 0.25, 0.75, 0.5];
    const at: number[] = [];
    const t = fakeEnv({
      random: () => draws.shift() as number,
      status: () => (at.push(Date.now() - START), 503),
    });
    const tracker = createCore(base, t.env);
    const got = listen(tracker);
    tracker.track('A');
    await vi.advanceTimersByTimeAsync(18000);
    expect(got.map(([k, r]) => [k, r.reason, r.attempt, r.delay])).toEqual([
      ['retry', 'status 503', 1, 750], // 1000 × 0.75
      ['retry', 'status 503', 2, 2500], // 2000 × 1.25
      ['retry', 'status 503', 3, 3500], // 4000 × 0.875
      ['retry', 'status 503', 4, 9000], // 8000 × 1.125
      ['retry', 'status 503', 5, 16000], // 16000 × 1
    ]);
    // First try after the flush interval, then each retry exactly its delay after the failure.
    expect(at).toEqual([2000, 2750, 5250, 8750, 17750]);
    expect(draws).toEqual([]);
  });
});

describe('a POST without keepalive in flight at pagehide', () => {
  it('is taken back and beaconed with what is queued; a keepalive one in flight is left to the browser', async () => {
    const kv = memoryKV();
    // Two batches go at once: the first with keepalive, the second over the keepalive budget (without).
    const keep = [true, false];
    const t = fakeEnv({ kv, hold: () => true, keepalive: () => keep.shift() as boolean });
    const tracker = createCore({ ...base, batchSize: 2 }, t.env);
    const got = listen(tracker);
    for (let i = 0; i < 5; i++) tracker.track('E', { i });
    await vi.advanceTimersByTimeAsync(0); // finished in the pipeline's task, sent at its end
    expect(sent(t)).toEqual([
      ['fetch', ['E:0', 'E:1']],
      ['fetch', ['E:2', 'E:3']],
    ]);
    t.hide(true);
    expect(sent(t)).toEqual([
      ['fetch', ['E:0', 'E:1']],
      ['fetch', ['E:2', 'E:3']],
      ['beacon', ['E:2', 'E:3', 'E:4']],
    ]);
    expect(got.map(([k, r]) => [k, r.reason, names(r.events as never)])).toEqual([
      ['delivered', 'beacon', ['E:2', 'E:3', 'E:4']],
    ]);
    expect(stored(kv)).toEqual([]);
    // What the browser has (the keepalive batch, the beacon) is stored as unsure, for the next page to judge.
    expect(names(unsure(kv) as never)).toEqual(['E:0', 'E:1', 'E:2', 'E:3', 'E:4']);
    expect(tracker.stats()).toEqual({ queued: 2, delivered: 3, dropped: 0, retried: 0, evicted: 0 });
  });
});

describe('the browser offline at pagehide (navigator.onLine false)', () => {
  it('takes back even a keepalive batch in flight (the browser would fail it) and stores it with the rest; no beacon', async () => {
    const kv = memoryKV();
    const t = fakeEnv({ kv, hold: () => true });
    let offline = false;
    t.env.offline = () => offline;
    const tracker = createCore({ ...base, batchSize: 2 }, t.env);
    for (let i = 0; i < 3; i++) tracker.track('E', { i });
    await vi.advanceTimersByTimeAsync(0);
    expect(sent(t)).toEqual([['fetch', ['E:0', 'E:1']]]); // with keepalive, in flight
    offline = true;
    t.hide(false); // a tab switch offline: nothing beaconed
    t.hide(true);
    expect(sent(t)).toEqual([['fetch', ['E:0', 'E:1']]]);
    expect(stored(kv).map((e) => (e.properties as { i: number }).i)).toEqual([0, 1, 2]);
    expect(tracker.stats()).toMatchObject({ delivered: 0, dropped: 0 });
  });
});

describe('a browser that refuses beacons over 9,000 bytes', () => {
  it('sends the chunk under the limit; the one over it is stored for the next page, not reported', async () => {
    const kv = memoryKV();
    const t = fakeEnv({ kv, beaconOk: (body) => Buffer.byteLength(body) <= 9000 });
    const tracker = createCore(base, t.env);
    const got = listen(tracker);
    tracker.track('L', fat(1, 16)); // a body of 8,663 B: a chunk of its own
    tracker.track('L', fat(2, 18)); // ~9.7 KB: not with it in 16 KiB, and over the limit
    t.hide(true);
    const bodies = (t.env.unload as ReturnType<typeof vi.fn>).mock.calls.map((c) => c[1] as string);
    expect(bodies.map((b) => [Buffer.byteLength(b) <= 9000, names(JSON.parse(b).batch)])).toEqual([
      [true, ['L:1']],
      [false, ['L:2']],
    ]);
    expect(sent(t)).toEqual([['beacon', ['L:1']]]);
    expect(got.map(([k, r]) => [k, r.reason, names(r.events as never)])).toEqual([
      ['delivered', 'beacon', ['L:1']],
    ]);
    expect(names(stored(kv) as never)).toEqual(['L:2']);
    expect(names(unsure(kv) as never)).toEqual(['L:1']);

    const t2 = fakeEnv({ kv });
    createCore(base, t2.env);
    await vi.advanceTimersByTimeAsync(2000);
    expect(sent(t2)).toEqual([['fetch', ['L:2']]]);
  });
});

describe('tabs: a stored queue is adopted only once its page is gone', () => {
  /** A page of the store: its env (sharing `kv`, and `locks` when given) and its tracker. */
  function page(kv: KV, status: number, locks?: ReturnType<typeof fakeLocks>) {
    const t = fakeEnv({ kv, status: () => status, locks: locks && locks.tab().locks });
    return { t, tracker: createCore(base, t.env) };
  }

  for (const withLocks of [false, true]) {
    it(
      withLocks
        ? 'with Web Locks: not while its page holds the lock; after pagehide released it, by the next page'
        : 'without Web Locks: not while its page lives; after pagehide marked it closed, by the next page',
      async () => {
        const kv = memoryKV();
        const l = withLocks ? fakeLocks() : undefined;
        const a = page(kv, 503, l); // its endpoint fails: its events stay queued, and stored
        a.tracker.track('A', { i: 0 });
        a.tracker.track('A', { i: 1 });
        await vi.advanceTimersByTimeAsync(2000);
        expect(names(stored(kv) as never)).toEqual(['A:0', 'A:1']);
        expect(l ? l.held().length : 0).toBe(withLocks ? 1 : 0);

        const b = page(kv, 200, l); // a second tab, while A lives
        b.tracker.track('B');
        await vi.advanceTimersByTimeAsync(5000); // past its idle claim and its second look (3 s)
        expect(sent(b.t)).toEqual([['fetch', ['B:']]]);
        expect(names(stored(kv) as never)).toEqual(['A:0', 'A:1']);

        a.t.hide(true); // failing: nothing beaconed, the queue stored (closed) and the lock released
        await vi.advanceTimersByTimeAsync(0);
        expect(a.t.env.unload).not.toHaveBeenCalled();
        const c = page(kv, 200, l);
        await vi.advanceTimersByTimeAsync(2000);
        expect(sent(c.t)).toEqual([['fetch', ['A:0', 'A:1']]]);
        expect(sent(b.t)).toEqual([['fetch', ['B:']]]); // B, started earlier, never took it
      },
    );
  }

  it('without Web Locks: a queue its page never closed (a crash) is adopted after a day', async () => {
    const kv = memoryKV();
    const a = page(kv, 503);
    a.tracker.track('A');
    await vi.advanceTimersByTimeAsync(2000);
    a.tracker.destroy(); // a crash: no pagehide, the queue is not marked closed
    expect(names(stored(kv) as never)).toEqual(['A:']);
    const b = page(kv, 200);
    await vi.advanceTimersByTimeAsync(5000);
    expect(b.t.sent).toEqual([]);
    vi.setSystemTime(Date.now() + 864e5);
    const c = page(kv, 200);
    await vi.advanceTimersByTimeAsync(2000);
    expect(sent(c.t)).toEqual([['fetch', ['A:']]]);
  });
});
