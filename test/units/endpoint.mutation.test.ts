// The endpoint destination (src/delivery/endpoint.ts) unit by unit, with fake deps and fake timers:
// batches, the stored queue (consent, the 1 s debounce, the 3 s re-claim), hide and pagehide, late
// beacons, the bfcache, stop. Written to kill its mutants (`npm run mutation`, docs/mutation.md);
// test/delivery/core.test.ts has the same paths through createCore.
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { realClock } from '../../src/browser/clock';
import { createEndpoint, type EndpointDeps } from '../../src/delivery/endpoint';
import type { Flight } from '../../src/delivery/queue';
import type { Reports } from '../../src/delivery/reports';
import type { SendResult } from '../../src/delivery/retryPolicy';
import type { Locks } from '../../src/delivery/tabStore';
import { memoryKV, type KV } from '../../src/lib/kv';
import type { TrackerEvent } from '../../src/schema';
import { fakeLocks } from '../delivery/fakeLocks';

beforeEach(() => {
  vi.useFakeTimers();
  vi.setSystemTime(0);
});
afterEach(() => vi.useRealTimers());

const tick = (ms = 0) => vi.advanceTimersByTimeAsync(ms);
const SENT_AT = '1970-01-01T00:00:00.000Z';
const KEY = 'tt:q:T1';

/** A track event `id` (its JSON: `JSON.stringify`), padded so that its JSON has `size` characters. */
function ev(id: string, size?: number): TrackerEvent {
  const e = { type: 'track', event: 'E', messageId: id, properties: {}, p: '' };
  if (size) e.p = 'x'.repeat(size - JSON.stringify(e).length);
  return e as unknown as TrackerEvent;
}
const ids = (events: unknown[]) => events.map((e) => (e as TrackerEvent).messageId);

interface Body {
  batch: TrackerEvent[];
  sentAt: string;
  writeKey?: string;
}

/**
 * An endpoint with recorded POSTs (each waits for `answer`), beacons, reports, storage writes and
 * debug lines; idle and online are called by the test. `net` changes what the browser does:
 * `keep` (a POST outlives the page), `beaconOk`, `room`.
 */
function setup(
  o: { kv?: KV; locks?: Locks; writeKey?: string; batchSize?: number; flushInterval?: number } = {},
) {
  const mem = o.kv || memoryKV();
  /** Writes and deletions (null) of existing keys: [time, key, value]. */
  const writes: Array<[number, string, unknown]> = [];
  const kv: KV = {
    ...mem,
    set: (k, v) => {
      const ok = mem.set(k, v);
      if (ok) writes.push([Date.now(), k, JSON.parse(v)]);
      return ok;
    },
    del: (k) => {
      if (mem.get(k) !== null) writes.push([Date.now(), k, null]);
      mem.del(k);
    },
  };
  const net = { keep: true, beaconOk: true, room: 65536 };
  const posts: Array<{ url: string; body: Body; flight: Flight<unknown>; answer: (r: SendResult) => void }> =
    [];
  const beacons: Array<{ url: string; body: Body }> = [];
  const reports: Array<[string, string, string[], string?]> = [];
  const rep = {
    reporter: (name: string) => (kind: string, events: TrackerEvent[], reason?: string) =>
      void reports.push([name, kind, ids(events), reason]),
  } as unknown as Reports;
  let idle: () => void = () => undefined;
  let online: () => void = () => undefined;
  const unbind = vi.fn();
  const log = vi.fn();
  const options = {
    endpoint: '/collect',
    writeKey: 'writeKey' in o ? o.writeKey : 'wk',
    storagePrefix: 'tt',
  };
  const deps: EndpointDeps = {
    options,
    post: vi.fn(
      (url: string, body: () => string, flight: Flight<unknown>) =>
        new Promise<SendResult>((answer) => {
          flight.kept = net.keep;
          posts.push({ url, body: JSON.parse(body()) as Body, flight, answer });
        }),
    ),
    unload: vi.fn((url: string, body: string) => {
      if (net.beaconOk) beacons.push({ url, body: JSON.parse(body) as Body });
      return net.beaconOk;
    }),
    room: () => net.room,
    offline: () => false,
    online(cb) {
      online = cb;
      return unbind;
    },
    idle(cb) {
      idle = cb;
    },
    kv,
    locks: o.locks,
    uuid: () => 'T1',
    queue: {
      clock: realClock,
      random: () => 0.5,
      limits: { batchSize: o.batchSize || 10, flushInterval: o.flushInterval || 60000 },
      maxItems: 100,
      concurrency: 1,
      changed: () => undefined,
    },
    reports: rep,
    json: (e) => JSON.stringify(e),
    log,
  };
  const d = createEndpoint(deps);
  const answer = async (i: number, r: SendResult | number) => {
    posts[i]?.answer(typeof r === 'number' ? { status: r } : r);
    await tick();
  };
  const stored = () => JSON.parse(mem.get(KEY) as string) as unknown;
  return {
    d,
    mem,
    writes,
    net,
    posts,
    beacons,
    reports,
    log,
    unbind,
    options,
    deps,
    answer,
    stored,
    idle: () => idle(),
    goOnline: () => online(),
    batches: () => posts.map((p) => ids(p.body.batch)),
    unloads: () => (deps.unload as ReturnType<typeof vi.fn>).mock.calls.length,
  };
}

/** Another page's queue, closed at its pagehide (adopted by any page that claims). */
const orphan = (kv: KV, tab: string, events: unknown[]) =>
  kv.set('tt:q:' + tab, JSON.stringify({ t: 0, c: 1, e: events }));

describe('createEndpoint: batches', () => {
  it('posts to the URL read at send time a body with sentAt and the write key, and logs the answer', async () => {
    const t = setup();
    expect(t.d.name).toBe('endpoint');
    t.options.endpoint = '/late';
    t.d.add(ev('m1'));
    t.d.add(ev('m2'));
    expect(t.d.queued()).toBe(2);
    void t.d.flush();
    expect(t.posts.map((p) => [p.url, p.body])).toEqual([
      ['/late', { batch: [ev('m1'), ev('m2')], sentAt: SENT_AT, writeKey: 'wk' }],
    ]);
    await t.answer(0, 200);
    expect(t.reports).toEqual([['endpoint', 'delivered', ['m1', 'm2'], undefined]]);
    expect(t.d.queued()).toBe(0);
    t.d.add(ev('m3'));
    void t.d.flush();
    await t.answer(1, { status: 200, via: 'keepalive' });
    expect(t.log.mock.calls).toEqual([
      ['POST 2 events: 200 via fetch'],
      ['POST 1 events: 200 via keepalive'],
    ]);
  });

  it('without a write key, the body has none', () => {
    const t = setup({ writeKey: undefined });
    t.d.add(ev('m1'));
    void t.d.flush();
    expect(t.posts.map((p) => p.body)).toEqual([{ batch: [ev('m1')], sentAt: SENT_AT }]);
  });

  it('cuts batches at 30,000 bytes of events, each counting its JSON and a comma', () => {
    const a = setup();
    a.d.add(ev('a', 14999));
    a.d.add(ev('b', 14999));
    void a.d.flush();
    expect(a.batches()).toEqual([['a', 'b']]);
    const b = setup();
    b.d.add(ev('a', 15000));
    b.d.add(ev('b', 15000));
    void b.d.flush();
    expect(b.batches()).toEqual([['a'], ['b']]);
  });

  it('has up to four batches in flight at once', async () => {
    const t = setup({ batchSize: 1 });
    for (let i = 1; i <= 5; i++) t.d.add(ev('m' + i));
    await tick();
    expect(t.batches()).toEqual([['m1'], ['m2'], ['m3'], ['m4']]);
    await t.answer(0, 200);
    expect(t.batches()).toEqual([['m1'], ['m2'], ['m3'], ['m4'], ['m5']]);
  });

  it('retries a batch unanswered after 30 s (timeout)', async () => {
    const t = setup();
    t.d.add(ev('m1'));
    void t.d.flush();
    await tick(29999);
    expect(t.reports).toEqual([]);
    await tick(1);
    expect(t.reports).toEqual([['endpoint', 'retry', ['m1'], 'timeout']]);
  });

  it('flushes when the browser is back online', () => {
    const t = setup();
    t.d.add(ev('m1'));
    expect(t.posts).toEqual([]);
    t.goOnline();
    expect(t.batches()).toEqual([['m1']]);
  });
});

describe('createEndpoint: the stored queue', () => {
  it('with consent, stores the queue 1 s after a change, at most once a second', async () => {
    const t = setup();
    t.d.consent?.('granted');
    expect(t.writes).toEqual([]);
    await tick(100);
    t.d.add(ev('m1'));
    await tick(999);
    expect(t.writes).toEqual([]);
    await tick(1);
    expect(t.writes).toEqual([[1100, KEY, { t: 1100, e: [ev('m1')] }]]);
    await tick(100);
    t.d.add(ev('m2'));
    await tick(300);
    t.d.add(ev('m3'));
    await tick(1000);
    expect(t.writes.slice(1)).toEqual([[2200, KEY, { t: 2200, e: [ev('m1'), ev('m2'), ev('m3')] }]]);
  });

  it('a save before the debounce cancels it; the next change starts another', async () => {
    const t = setup();
    t.d.consent?.('granted');
    t.d.add(ev('m1'));
    await tick(500);
    t.d.add(ev('m2'));
    await tick(100);
    t.d.map((e) => e);
    await tick(1400);
    expect(t.writes).toEqual([[600, KEY, { t: 600, e: [ev('m1'), ev('m2')] }]]);
    t.d.add(ev('m3'));
    await tick(999);
    expect(t.writes.length).toBe(1);
    await tick(1);
    expect(t.writes.slice(1)).toEqual([[3000, KEY, { t: 3000, e: [ev('m1'), ev('m2'), ev('m3')] }]]);
  });

  it('without consent, stores nothing and reports nothing while the page lives', async () => {
    const t = setup();
    t.d.add(ev('m1'));
    await tick(5000);
    t.d.map((e) => e);
    t.d.hidden(false);
    t.d.consent?.('pending');
    expect(t.mem.keys()).toEqual([]);
    expect(t.reports).toEqual([['endpoint', 'delivered', ['m1'], 'beacon']]);
  });

  it('without consent, at pagehide what no beacon carries is dropped: not stored without consent', () => {
    const t = setup();
    t.net.beaconOk = false;
    t.d.add(ev('m1'));
    t.d.add(ev('m2'));
    t.d.hidden(true);
    expect(t.reports).toEqual([['endpoint', 'dropped', ['m1', 'm2'], 'not stored without consent']]);
    expect(t.mem.keys()).toEqual([]);
    expect(t.d.queued()).toBe(0);
  });

  it('without consent, a pagehide with nothing left reports nothing', () => {
    const t = setup();
    t.d.add(ev('m1'));
    t.d.hidden(true);
    expect(t.reports).toEqual([['endpoint', 'delivered', ['m1'], 'beacon']]);
  });

  it('with consent, at pagehide what no beacon carries is stored closed and the lock released', async () => {
    const locks = fakeLocks();
    const t = setup({ locks: locks.tab().locks });
    t.d.consent?.('granted');
    await tick();
    expect(locks.held()).toEqual(['tt:' + KEY]);
    t.net.beaconOk = false;
    t.d.add(ev('m1'));
    t.d.add(ev('m2'));
    t.d.hidden(true);
    await tick();
    expect(t.stored()).toEqual({ t: 0, c: 1, e: [ev('m1'), ev('m2')] });
    expect(t.reports).toEqual([]);
    expect(locks.held()).toEqual([]);
    expect(t.d.queued()).toBe(0);
  });

  it('the last save reports what the quota left out as evicted; an earlier one keeps it in memory', () => {
    const mem = memoryKV();
    // Two events fit the quota, three do not.
    const kv: KV = {
      ...mem,
      set: (k, v) => (JSON.parse(v) as { e: unknown[] }).e.length <= 2 && mem.set(k, v),
    };
    const t = setup({ kv });
    t.d.consent?.('granted');
    t.net.beaconOk = false;
    for (const id of ['m1', 'm2', 'm3']) t.d.add(ev(id));
    t.d.map((e) => e);
    expect(t.reports).toEqual([]);
    expect(t.log.mock.calls).toEqual([['1 events kept in memory only (storage full)']]);
    expect(t.stored()).toEqual({ t: 0, e: [ev('m2'), ev('m3')] });
    expect(t.d.queued()).toBe(3);
    t.d.hidden(true);
    expect(t.reports).toEqual([['endpoint', 'dropped', ['m1'], 'evicted']]);
    expect(t.stored()).toEqual({ t: 0, c: 1, e: [ev('m2'), ev('m3')] });
  });

  it('stores the newest events within 256 Ki characters of JSON while the page lives, up to 512 Ki in its last save', () => {
    const t = setup();
    t.d.consent?.('granted');
    t.net.beaconOk = false;
    t.net.keep = false; // pagehide takes the batches in flight back too
    // 100 events of 3,000 characters: 300,100 with their commas, over 256 Ki (262,144), under 512 Ki.
    const all = Array.from({ length: 100 }, (_, i) => 'm' + i);
    for (const id of all) t.d.add(ev(id, 3000));
    t.d.map((e) => e); // saved now
    const live = (t.stored() as { e: TrackerEvent[] }).e;
    expect(ids(live)).toEqual(all.slice(13)); // the newest 87
    expect((t.mem.get(KEY) as string).length).toBeLessThanOrEqual(256 * 1024);
    expect(t.log.mock.calls).toEqual([['13 events kept in memory only (storage full)']]);
    t.d.hidden(true);
    expect(ids((t.stored() as { e: TrackerEvent[] }).e)).toEqual(all);
    expect(t.reports).toEqual([]);
  });

  it('storage only in memory: pagehide drops what no beacon carries, once (storage unavailable), and keeps nothing', async () => {
    const t = setup({ kv: { ...memoryKV(), mem: () => true } });
    t.d.consent?.('granted');
    t.d.add(ev('m1'));
    t.d.add(ev('m2'));
    t.d.map((e) => e);
    // While the page lives, memory holds the queue (a page back from the bfcache has it).
    expect(t.stored()).toEqual({ t: 0, e: [ev('m1'), ev('m2')] });
    t.net.beaconOk = false;
    t.d.hidden(true);
    t.d.hidden(false);
    t.d.stop();
    expect(t.reports).toEqual([['endpoint', 'dropped', ['m1', 'm2'], 'storage unavailable']]);
    expect(t.log.mock.calls).toEqual([['2 events lost at pagehide (storage unavailable)']]);
    expect(t.mem.keys()).toEqual([]);
    t.d.shown(true);
    await tick();
    expect(t.d.queued()).toBe(0);
  });

  it('storage that persists (mem false): pagehide stores what no beacon carries and reports nothing', () => {
    const t = setup({ kv: { ...memoryKV(), mem: () => false } });
    t.d.consent?.('granted');
    t.net.beaconOk = false;
    t.d.add(ev('m1'));
    t.d.hidden(true);
    expect(t.reports).toEqual([]);
    expect(t.log.mock.calls).toEqual([]);
    expect(t.stored()).toEqual({ t: 0, c: 1, e: [ev('m1')] });
  });

  it('after pagehide, the stored queue is not written again', async () => {
    const t = setup();
    t.d.consent?.('granted');
    t.net.beaconOk = false;
    t.d.add(ev('m1'));
    t.d.hidden(true);
    const n = t.writes.length;
    t.d.add(ev('m2'));
    t.d.map((e) => e);
    t.d.drop('gone');
    await tick(5000);
    expect(t.writes.length).toBe(n);
    expect(t.stored()).toEqual({ t: 0, c: 1, e: [ev('m1')] });
    expect(t.reports).toEqual([['endpoint', 'dropped', ['m2'], 'gone']]);
  });
});

describe('createEndpoint: hidden', () => {
  it('hidden(false) beacons what is queued, not the batches in flight, and stores the queue at once', async () => {
    const t = setup({ batchSize: 2 });
    t.d.consent?.('granted');
    t.net.keep = false;
    t.d.add(ev('m1'));
    t.d.add(ev('m2'));
    await tick();
    t.d.add(ev('m3'));
    t.d.hidden(false);
    expect(t.batches()).toEqual([['m1', 'm2']]);
    expect(t.beacons).toEqual([
      { url: '/collect', body: { batch: [ev('m3')], sentAt: SENT_AT, writeKey: 'wk' } },
    ]);
    expect(t.reports).toEqual([['endpoint', 'delivered', ['m3'], 'beacon']]);
    expect(t.d.queued()).toBe(2);
    expect(t.writes).toEqual([[0, KEY, { t: 0, e: [ev('m1'), ev('m2')] }]]);
  });

  it('hidden(false) keeps in the queue what the beacon refuses', async () => {
    const t = setup();
    t.net.beaconOk = false;
    t.d.add(ev('m1'));
    t.d.hidden(false);
    expect(t.unloads()).toBe(1);
    expect(t.d.queued()).toBe(1);
    expect(t.reports).toEqual([]);
    t.d.add(ev('m2'));
    await tick(60000);
    expect(t.batches()).toEqual([['m1', 'm2']]);
  });

  it('hidden(false) with a failing endpoint beacons nothing and stores the queue at once', async () => {
    const t = setup();
    t.d.consent?.('granted');
    t.d.add(ev('m1'));
    void t.d.flush();
    await t.answer(0, 500);
    expect(t.reports).toEqual([['endpoint', 'retry', ['m1'], 'status 500']]);
    await tick(10);
    const n = t.writes.length;
    t.d.hidden(false);
    expect(t.unloads()).toBe(0);
    expect(t.writes.slice(n)).toEqual([[10, KEY, { t: 10, e: [ev('m1')] }]]);
    expect(t.d.queued()).toBe(1);
  });

  it('hidden(false) with a failing endpoint and no consent beacons nothing either', async () => {
    const t = setup();
    t.d.add(ev('m1'));
    void t.d.flush();
    await t.answer(0, 500);
    t.d.hidden(false);
    expect(t.unloads()).toBe(0);
    expect(t.d.queued()).toBe(1);
    expect(t.mem.keys()).toEqual([]);
  });

  it('pagehide: batches in flight that outlive the page are left to the browser, the others beaconed', async () => {
    const t = setup({ batchSize: 2 });
    t.d.add(ev('m1'));
    t.d.add(ev('m2'));
    await tick();
    t.net.keep = false;
    t.d.add(ev('m3'));
    t.d.add(ev('m4'));
    await tick();
    t.d.add(ev('m5'));
    t.d.hidden(true);
    expect(t.beacons.map((b) => ids(b.body.batch))).toEqual([['m3', 'm4', 'm5']]);
    await t.answer(1, 200);
    await t.answer(0, 200);
    expect(t.reports).toEqual([
      ['endpoint', 'delivered', ['m3', 'm4', 'm5'], 'beacon'],
      ['endpoint', 'delivered', ['m1', 'm2'], undefined],
    ]);
  });

  /** Two batches of one event: m1 failed (waits for a retry), m2 in flight (kept). */
  async function failing(t: ReturnType<typeof setup>) {
    t.d.add(ev('m1'));
    t.d.add(ev('m2'));
    await tick();
    await t.answer(0, 500);
    expect(t.batches()).toEqual([['m1'], ['m2']]);
  }

  it('pagehide, failing endpoint, consent: no beacon, every event (in flight too) stored', async () => {
    const t = setup({ batchSize: 1 });
    t.d.consent?.('granted');
    await failing(t);
    t.d.hidden(true);
    expect(t.unloads()).toBe(0);
    expect(t.stored()).toEqual({ t: 0, c: 1, e: [ev('m2'), ev('m1')] });
    await t.answer(1, 200);
    expect(t.reports).toEqual([['endpoint', 'retry', ['m1'], 'status 500']]);
  });

  it('pagehide, failing endpoint, consent, storage only in memory: beacons everything (nothing could wait for the next page)', async () => {
    const t = setup({ batchSize: 1, kv: { ...memoryKV(), mem: () => true } });
    t.d.consent?.('granted');
    await failing(t);
    t.d.hidden(true);
    expect(t.beacons.map((b) => ids(b.body.batch))).toEqual([['m2', 'm1']]);
    expect(t.reports.slice(1)).toEqual([['endpoint', 'delivered', ['m2', 'm1'], 'beacon']]);
    expect(t.mem.keys()).toEqual([]);
  });

  it('pagehide, failing endpoint, no consent: beacons everything, then late events wait in memory', async () => {
    const t = setup({ batchSize: 1 });
    await failing(t);
    t.d.hidden(true);
    expect(t.beacons.map((b) => ids(b.body.batch))).toEqual([['m2', 'm1']]);
    expect(t.reports.slice(1)).toEqual([['endpoint', 'delivered', ['m2', 'm1'], 'beacon']]);
    t.d.add(ev('m3'));
    expect(t.unloads()).toBe(1);
    expect(t.d.queued()).toBe(1);
  });

  it('after pagehide, an event added is beaconed at once', async () => {
    const t = setup();
    t.d.hidden(true);
    t.d.add(ev('m1'));
    expect(t.beacons).toEqual([
      { url: '/collect', body: { batch: [ev('m1')], sentAt: SENT_AT, writeKey: 'wk' } },
    ]);
    expect(t.reports).toEqual([['endpoint', 'delivered', ['m1'], 'beacon']]);
    expect(t.d.queued()).toBe(0);
    await tick(60000);
    expect(t.posts).toEqual([]);
  });

  it('acts once: hidden after pagehide beacons nothing more', () => {
    const t = setup();
    t.net.beaconOk = false;
    t.d.add(ev('m1'));
    t.d.hidden(true);
    t.d.add(ev('m2'));
    expect(t.unloads()).toBe(2);
    expect(t.d.queued()).toBe(1);
    t.d.hidden(false);
    t.d.hidden(true);
    expect(t.unloads()).toBe(2);
    expect(t.d.queued()).toBe(1);
  });

  it("a beacon body counts 60 bytes and the write key's JSON besides its events (and a comma each)", () => {
    for (const [writeKey, head] of [
      ['wk', 64],
      [undefined, 62],
    ] as const) {
      for (const [extra, beaconed] of [
        [0, 1],
        [-1, 0],
      ] as const) {
        const t = setup({ writeKey });
        t.net.room = head + 101 + extra;
        t.d.add(ev('m1', 100));
        t.d.hidden(false);
        expect([writeKey, extra, t.beacons.length]).toEqual([writeKey, extra, beaconed]);
      }
    }
  });
});

describe('createEndpoint: back from the bfcache', () => {
  it('shown(false) changes nothing: the page is still gone', () => {
    const t = setup();
    t.d.hidden(true);
    t.d.shown(false);
    t.d.add(ev('m1'));
    expect(t.beacons.length).toBe(1);
  });

  it('without consent, shown(true) makes the page live again, without taking a lock', async () => {
    const locks = fakeLocks();
    const t = setup({ locks: locks.tab().locks });
    t.d.hidden(true);
    t.d.shown(true);
    t.d.add(ev('m1'));
    await tick();
    expect(t.beacons).toEqual([]);
    expect(t.d.queued()).toBe(1);
    expect(locks.held()).toEqual([]);
    expect(t.mem.keys()).toEqual([]);
  });

  it('with consent, shown(true) takes the lock again, then puts back the stored events not in flight', async () => {
    const locks = fakeLocks();
    const t = setup({ locks: locks.tab().locks, batchSize: 1 });
    t.d.consent?.('granted');
    t.d.add(ev('m1'));
    await tick();
    t.net.beaconOk = false;
    t.d.hidden(true);
    await tick();
    expect(locks.held()).toEqual([]);
    expect(t.d.queued()).toBe(1);
    // m1 is in flight (kept); the stored queue has it too.
    t.mem.set(KEY, JSON.stringify({ t: 0, c: 1, e: [ev('m1'), ev('m2')] }));
    t.d.shown(true);
    await tick();
    expect(locks.held()).toEqual(['tt:' + KEY]);
    expect(t.d.queued()).toBe(2);
    // Live again: no beacon for a new event.
    t.d.add(ev('m3'));
    expect(t.unloads()).toBe(0);
    await tick();
    expect(t.batches()).toEqual([['m1'], ['m2'], ['m3']]);
  });
  it('consent granted after pagehide, then back: the lock is taken again and the page lives (no beacon per event)', async () => {
    const locks = fakeLocks();
    const t = setup({ locks: locks.tab().locks, batchSize: 1 });
    t.d.hidden(true);
    // (e.g. a stored choice read late, or a theme's consent call, between pagehide and the freeze)
    t.d.consent?.('granted');
    expect(locks.held()).toEqual([]);
    t.d.shown(true);
    await tick();
    expect(locks.held()).toEqual(['tt:' + KEY]);
    t.d.add(ev('m1'));
    expect(t.unloads()).toBe(0);
    await tick();
    expect(t.batches()).toEqual([['m1']]);
  });
  for (const withLocks of [false, true])
    it(`consent granted after pagehide, back, then pagehide again before any save: another page's closed queue is not lost${withLocks ? ' (Web Locks)' : ''}`, async () => {
      const t = setup({ locks: withLocks ? fakeLocks().tab().locks : undefined });
      t.d.hidden(true); // pagehide, consent still pending
      t.d.consent?.('granted'); // granted while the page is gone
      t.d.shown(true); // back from the bfcache
      await tick();
      orphan(t.mem, 'B', [ev('b1'), ev('b2')]); // another tab closes
      t.d.hidden(true); // this page goes again
      await tick(5000);
      // b1, b2: still in storage for the next page (or reported), not only in a gone page's memory.
      const stored = t.mem
        .keys()
        .flatMap((k) =>
          (JSON.parse(t.mem.get(k) as string) as { e: TrackerEvent[] }).e.map((e) => e.messageId),
        );
      expect({ stored, reports: t.reports }).toEqual({ stored: ['b1', 'b2'], reports: [] });
    });
});

describe('createEndpoint: what a gone page handed to the browser (unsure)', () => {
  /** A closed queue whose first `u` events its page handed to the browser as it went. */
  const handed = (kv: KV, events: unknown[], u: number) =>
    kv.set('tt:q:old', JSON.stringify({ t: 0, c: 1, u, e: events }));

  it('is dropped when the first answer here is a success, and never sent', async () => {
    const t = setup();
    t.d.consent?.('granted');
    handed(t.mem, [ev('h1'), ev('h2'), ev('s1')], 2);
    t.idle();
    expect(t.d.queued()).toBe(0); // (claimed at the grant, before the queue was there)
    await tick(3000); // the look again 3 s after start adopts it
    expect(t.d.queued()).toBe(1);
    t.d.add(ev('x'));
    await tick(60000);
    await t.answer(0, 200);
    await tick(60000);
    expect(t.batches()).toEqual([['s1', 'x']]);
    expect(t.mem.keys()).toEqual([]); // (nothing left to store: no record)
    // Decided: a later failure does not bring them back.
    t.d.add(ev('y'));
    await tick(60000);
    await t.answer(1, 503);
    await tick(2000);
    expect(t.batches()).toEqual([['s1', 'x'], ['y'], ['y']]);
  });

  it('goes again, first, when the first answer here is a failure (a beacon is no answer)', async () => {
    const t = setup();
    handed(t.mem, [ev('h1'), ev('h2'), ev('s1')], 2);
    t.d.consent?.('granted');
    expect(t.d.queued()).toBe(1);
    // Stored as unsure again while undecided (the 1 s save after the adoption).
    await tick(1000);
    expect(t.stored()).toEqual({ t: 0, u: 2, e: [ev('h1'), ev('h2'), ev('s1')] });
    t.d.hidden(false); // a tab switch beacons s1: no answer of the endpoint's
    expect(t.d.queued()).toBe(0);
    t.d.shown(false);
    t.d.add(ev('x'));
    await tick(60000);
    await t.answer(0, 503);
    expect(t.d.queued()).toBe(3);
    await tick(2000);
    expect(t.batches()).toEqual([['x'], ['h1', 'h2', 'x']]);
  });

  it('goes at once with the rest when adopted by a page whose endpoint is failing already', async () => {
    const t = setup();
    t.d.add(ev('x'));
    await tick(60000);
    await t.answer(0, 503);
    handed(t.mem, [ev('h1'), ev('s1')], 1);
    t.d.consent?.('granted');
    expect(t.d.queued()).toBe(3);
    await tick(2000);
    await t.answer(1, 200);
    expect(t.batches()).toEqual([['x'], ['h1', 's1', 'x']]);
  });

  it('at pagehide is stored again as unsure, before what the browser takes now', async () => {
    const t = setup();
    handed(t.mem, [ev('h1'), ev('s1')], 1);
    t.d.consent?.('granted');
    t.d.add(ev('x'));
    await tick(60000); // s1, x in flight with keepalive, unanswered
    t.d.hidden(true);
    expect(t.stored()).toEqual({ t: 60000, c: 1, u: 3, e: [ev('h1'), ev('s1'), ev('x')] });
    // Back from the bfcache: what it handed over stays the browser's (its answers may have come while
    // the page was in the cache); nothing is queued twice.
    t.d.shown(true);
    await tick();
    expect(t.d.queued()).toBe(2); // s1, x still in flight
    await t.answer(0, 500);
    await tick(2000);
    // (h1 was handed over by the page before, not by this one: this page still judges it, and its
    // first answer is a failure)
    expect(t.batches()).toEqual([
      ['s1', 'x'],
      ['h1', 's1', 'x'],
    ]);
  });
});

describe('createEndpoint: consent', () => {
  it('granting adopts the queues of pages gone and stores at once; granting again does nothing', async () => {
    const t = setup();
    orphan(t.mem, 'old', [null, { messageId: 5 }, ev('o1')]);
    await tick(100);
    t.d.consent?.('granted');
    expect(t.mem.keys()).toEqual([KEY]);
    expect(t.d.queued()).toBe(1);
    expect(t.log.mock.calls).toEqual([['adopted a stored queue: 3 items, 0 unsure']]);
    expect(t.writes).toEqual([
      [100, 'tt:q:old', null],
      [100, KEY, { t: 100, e: [ev('o1')] }],
    ]);
    await tick(400);
    t.d.consent?.('granted');
    await tick(2000);
    expect(t.writes.length).toBe(2);
  });

  it('claims once: when idle after a grant, or not at all without consent', async () => {
    const t = setup();
    orphan(t.mem, 'a', [ev('a1')]);
    t.idle();
    expect(t.mem.keys()).toEqual(['tt:q:a']);
    t.d.consent?.('granted');
    expect(t.d.queued()).toBe(1);
    orphan(t.mem, 'b', [ev('b1')]);
    t.idle();
    expect(t.mem.keys().sort()).toEqual([KEY, 'tt:q:b']);
    expect(t.d.queued()).toBe(1);
  });

  it('looks again 3 s after start: adopts a queue released meanwhile', async () => {
    const t = setup();
    t.d.consent?.('granted');
    await tick(1000);
    orphan(t.mem, 'b', [ev('b1')]);
    await tick(1999);
    expect(t.d.queued()).toBe(0);
    await tick(1);
    expect(t.d.queued()).toBe(1);
    expect(t.mem.keys()).toEqual([]);
  });

  it('does not look again at 3 s without consent, after pagehide, or after stop', async () => {
    const none = setup();
    orphan(none.mem, 'b', [ev('b1')]);
    const gone = setup();
    gone.d.consent?.('granted');
    gone.d.hidden(true);
    orphan(gone.mem, 'b', [ev('b1')]);
    const stopped = setup();
    stopped.d.consent?.('granted');
    stopped.d.stop();
    orphan(stopped.mem, 'b', [ev('b1')]);
    await tick(5000);
    for (const t of [none, gone, stopped]) expect(t.mem.get('tt:q:b')).not.toBeNull();
  });

  it('a stopped endpoint adopts nothing when consent comes', () => {
    const t = setup();
    t.d.stop();
    orphan(t.mem, 'b', [ev('b1')]);
    t.d.consent?.('granted');
    expect(t.d.queued()).toBe(0);
    expect(t.mem.get('tt:q:b')).not.toBeNull();
  });

  it("denied deletes every stored queue of the store, this page's and others'; pending stores no more", () => {
    const t = setup();
    t.d.consent?.('granted');
    t.d.add(ev('m1'));
    t.d.map((e) => e);
    orphan(t.mem, 'b', [ev('b1')]);
    t.mem.set('tt:aid', 'a');
    t.d.consent?.('pending');
    expect(t.mem.keys().sort()).toEqual(['tt:aid', KEY, 'tt:q:b']);
    const n = t.writes.length;
    t.d.map((e) => e);
    expect(t.writes.length).toBe(n);
    t.d.consent?.('denied');
    expect(t.mem.keys()).toEqual(['tt:aid']);
  });
});

describe('createEndpoint: drop, map, stop', () => {
  it('drop reports what is queued with the reason and stores the empty queue at once; nothing queued, no report', async () => {
    const t = setup();
    t.d.consent?.('granted');
    t.d.add(ev('m1'));
    await tick(1010);
    t.d.drop('consent denied');
    expect(t.reports).toEqual([['endpoint', 'dropped', ['m1'], 'consent denied']]);
    expect(t.writes).toEqual([
      [1000, KEY, { t: 1000, e: [ev('m1')] }],
      [1010, KEY, null],
    ]);
    t.d.drop('again');
    expect(t.reports.length).toBe(1);
    expect(t.d.queued()).toBe(0);
  });

  it('map changes every queued event and stores the result at once', async () => {
    const t = setup();
    t.d.consent?.('granted');
    t.d.add(ev('m1'));
    t.d.map((e) => ({ ...e, messageId: e.messageId + 'x' }));
    expect(t.writes).toEqual([[0, KEY, { t: 0, e: [ev('m1x')] }]]);
    void t.d.flush();
    expect(t.batches()).toEqual([['m1x']]);
  });

  it('stop stores the queue, releases the lock, unbinds, clears every timer; a second stop does nothing', async () => {
    const locks = fakeLocks();
    const t = setup({ locks: locks.tab().locks });
    t.d.consent?.('granted');
    t.d.add(ev('m1'));
    await tick(10);
    expect(vi.getTimerCount()).toBe(3); // the save, the flush interval, the re-claim
    t.d.stop();
    expect(vi.getTimerCount()).toBe(0);
    expect(t.writes).toEqual([[10, KEY, { t: 10, e: [ev('m1')] }]]);
    await tick();
    expect(locks.held()).toEqual([]);
    expect(t.unbind).toHaveBeenCalledTimes(1);
    t.d.stop();
    expect(t.unbind).toHaveBeenCalledTimes(1);
    expect(t.writes.length).toBe(1);
    await tick(60000);
    expect(t.posts).toEqual([]);
  });
});

describe('createEndpoint: unsure events, review of 67fb7fc', () => {
  /** A closed queue whose first `u` events its page handed to the browser as it went. */
  const handed = (kv: KV, events: unknown[], u: number) =>
    kv.set('tt:q:old', JSON.stringify({ t: 0, c: 1, u, e: events }));

  it('storage near its quota at pagehide: the unsure events do not push out a sure one that fits without them', async () => {
    const mem = memoryKV();
    const sure = ['s1', 's2', 's3', 's4', 's5', 's6', 's7'].map((id) => ev(id, 100));
    // Room for exactly the sure events' record (what was stored before unsure events were stored).
    const room = JSON.stringify({ t: 60000, c: 1, e: sure }).length;
    const kv: KV = { ...mem, set: (k, v) => v.length <= room && mem.set(k, v) };
    const t = setup({ kv });
    t.d.consent?.('granted');
    t.d.add(ev('h1', 100));
    void t.d.flush(); // h1 in flight with keepalive, unanswered
    for (const e of sure) t.d.add(e);
    t.net.beaconOk = false; // (the beacon quota spent)
    await tick(1);
    t.d.hidden(true);
    // All seven sure events fit: none is reported dropped; h1 (unsure) is what is left out.
    expect(t.reports.filter((r) => r[1] == 'dropped')).toEqual([]);
    expect(ids((t.stored() as { e: unknown[] }).e)).toEqual(['s1', 's2', 's3', 's4', 's5', 's6', 's7']);
  });

  it('back from the bfcache before any answer: what it adopted as unsure from an earlier page is still judged', async () => {
    const t = setup();
    handed(t.mem, [ev('h1')], 1);
    t.d.consent?.('granted'); // adopts h1 as unsure
    t.d.hidden(true); // goes before any answer; no other page adopts its queue
    expect(t.stored()).toEqual({ t: 0, c: 1, u: 1, e: [ev('h1')] });
    t.d.shown(true); // back
    await tick();
    t.d.add(ev('x'));
    void t.d.flush();
    await t.answer(0, 503); // the first answer here: a failure
    await tick(2000);
    // h1 was handed to the browser by the earlier page, not by this one: it goes again.
    expect(t.batches()).toEqual([['x'], ['h1', 'x']]);
  });

  it("back from the bfcache after another page took its queue: what it adopted as unsure is that page's now", async () => {
    const t = setup();
    handed(t.mem, [ev('h1')], 1);
    t.d.consent?.('granted');
    t.d.hidden(true);
    t.mem.del(KEY); // the next page adopted this page's queue, h1 with it
    t.d.shown(true);
    await tick();
    t.d.add(ev('x'));
    void t.d.flush();
    await t.answer(0, 503);
    await tick(2000);
    expect(t.batches()).toEqual([['x'], ['x']]);
  });

  it('consent denied: the unsure events are made anonymous like the queue (or dropped with it), not sent as they were', async () => {
    for (const mode of ['anonymous', 'none'] as const) {
      const t = setup();
      handed(t.mem, [{ ...ev('h1'), userId: 'u1' }], 1);
      t.d.consent?.('granted');
      t.d.add(ev('x'));
      void t.d.flush();
      // What the router does on denied: anonymize (deniedMode anonymous) or drop ('none') what is queued.
      if (mode == 'anonymous') t.d.map((e) => ({ ...e, userId: undefined }));
      else t.d.drop('consent denied');
      t.d.consent?.('denied');
      if (mode == 'none') t.d.add(ev('y')); // (only to get an answer: 'none' sends nothing)
      void t.d.flush();
      await t.answer(mode == 'none' ? 1 : 0, 503);
      await tick(2000);
      const sent = t.posts.flatMap((p) => p.body.batch);
      const h1 = sent.filter((e) => e.messageId == 'h1');
      expect({ mode, h1: h1.map((e) => e.userId) }).toEqual({ mode, h1: mode == 'none' ? [] : [undefined] });
    }
  });

  it('a batch "delivered" by a beacon (fetch broken) is no answer of the endpoint: the unsure events wait', async () => {
    const t = setup();
    handed(t.mem, [ev('h1')], 1);
    t.d.consent?.('granted');
    t.d.add(ev('x'));
    void t.d.flush();
    await t.answer(0, { status: 202, via: 'beacon' }); // the transport's post, fetch broken
    t.d.add(ev('y'));
    void t.d.flush();
    await t.answer(1, 503); // the first real answer: a failure
    await tick(2000);
    expect(t.batches()).toEqual([['x'], ['y'], ['h1', 'y']]);
  });
});
