/**
 * What a `track()` call costs the caller's task: only the event's build (a copy of the caller's
 * data, its time and id); an SDK hook's, only a note of it and its time. The rest of its path (repair, hashing, consent, the 32 KB
 * bound, the destinations) runs in a task of its own, for every event built until then, in order;
 * at once where a later task may never come or would see a changed tracker.
 */
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { createCore } from '../src/core/createCore';
import type { TrackerEvent } from '../src/schema';
import type { DeliveryReport, TrackerOptions } from '../src/types';
import { memoryKV } from '../src/lib/kv';
import { fakeEnv } from './helpers/fakeEnv';
import { fakeSdk, storeConfig } from './helpers/fakeSdk';

beforeEach(() => void vi.useFakeTimers());
afterEach(() => void vi.useRealTimers());

const base: TrackerOptions = { endpoint: '/collect', consent: 'granted', webVitals: false, autoPage: false };
const name = (e: object) => {
  const x = e as { type?: string; event?: string };
  return x.type === 'track' ? (x.event as string) : 'page';
};

describe("the caller's task", () => {
  it('holds only the build: events are finished in the next task, hooks and track() calls in the order they came', async () => {
    const s = fakeSdk(storeConfig());
    const t = fakeEnv({ sdk: s.sdk });
    const tracker = createCore(base, t.env);
    s.init();
    const dropped: DeliveryReport[] = [];
    tracker.on('dropped', (r) => void dropped.push(r));
    s.emit('Product Added', [{ product_id: 1, name: 'Shirt', price: 99, quantity: 1 }]);
    // @ts-expect-error no order_id (a JS caller's mistake): dropped when finished
    tracker.track('Order Completed', { total: 5 });
    tracker.track('A');
    s.emit('Product Removed', [{ product_id: 1, name: 'Shirt', price: 99, quantity: 1 }]);
    tracker.track('B');
    expect(dropped).toEqual([]); // not yet finished
    await vi.advanceTimersByTimeAsync(0);
    expect(dropped.map((r) => [r.reason, r.events.map(name)])).toEqual([
      ['a required property is missing', ['Order Completed']],
    ]);
    await tracker.flush();
    expect(t.events().map(name)).toEqual(['Product Added', 'A', 'Product Removed', 'B']);
  });

  it("an SDK hook costs its emit nothing but a note: its payload is read in the pipeline's task, with the hook's time", async () => {
    const s = fakeSdk(storeConfig());
    const t = fakeEnv({ sdk: s.sdk });
    const tracker = createCore(base, t.env);
    s.init();
    let reads = 0;
    const item = { product_id: 1, price: 99, quantity: 1 };
    Object.defineProperty(item, 'name', { enumerable: true, get: () => (reads++, 'Shirt') });
    const at = Date.now();
    s.emit('Product Added', [item]);
    expect(reads).toBe(0);
    vi.setSystemTime(at + 5000); // the page was busy: the pipeline's task comes 5 s later
    await vi.advanceTimersByTimeAsync(0);
    expect(reads).toBeGreaterThan(0);
    await tracker.flush();
    expect(t.events().map((e) => [name(e), e.timestamp, (e.properties as { name?: string }).name])).toEqual([
      ['Product Added', new Date(at).toISOString(), 'Shirt'],
    ]);
  });

  it('a consent choice applies to the events built before it as it did when they were built', async () => {
    const t = fakeEnv();
    const tracker = createCore({ ...base, deniedMode: 'none' }, t.env);
    const dropped: DeliveryReport[] = [];
    tracker.on('dropped', (r) => void dropped.push(r));
    tracker.track('A'); // built while granted: queued, then dropped by the denial (and told)
    tracker.consent('denied');
    tracker.track('B'); // built after: nothing at all
    await tracker.flush();
    expect(dropped.map((r) => [r.reason, r.events.map(name)])).toEqual([['consent denied', ['A']]]);
    expect(t.sent).toEqual([]);
  });

  it('a callback registered with replay: false does not get what was tracked before it in the same task', async () => {
    const t = fakeEnv();
    const tracker = createCore(base, t.env);
    tracker.track('Before');
    const late: TrackerEvent[] = [];
    const none: TrackerEvent[] = [];
    tracker.register((e) => void late.push(...e)); // replays the history: once
    tracker.register((e) => void none.push(...e), { replay: false });
    tracker.track('After');
    await tracker.flush();
    expect(late.map(name)).toEqual(['Before', 'After']);
    expect(none.map(name)).toEqual(['After']);
  });

  it('destroy() in the same task: what was tracked before is queued, and stored for the next page', () => {
    const kv = memoryKV();
    const t = fakeEnv({ kv });
    const tracker = createCore(base, t.env);
    tracker.track('A');
    tracker.destroy();
    const stored = kv.keys().filter((k) => k.indexOf('tt:q:') === 0);
    expect(stored.flatMap((k) => (JSON.parse(kv.get(k) as string).e as TrackerEvent[]).map(name))).toEqual([
      'A',
    ]);
  });

  it('a report handler that tracks and counts mid-drain: the drain goes on in order, and at pagehide its event leaves too', async () => {
    for (const [pagehide, count] of [
      [false, true],
      [true, false],
      [true, true],
    ]) {
      const kv = memoryKV();
      const t = fakeEnv({ kv });
      const tracker = createCore(base, t.env);
      tracker.on('dropped', (r) => {
        if (r.destination !== 'tracker') return;
        tracker.track('Seen');
        if (count) tracker.stats(); // a drain inside the drain
      });
      // @ts-expect-error no order_id (a JS caller's mistake): dropped when finished
      tracker.track('Order Completed', { total: 5 });
      tracker.track('A');
      tracker.track('B');
      if (pagehide)
        t.hide(true); // (the page's timers may never run after this)
      else await tracker.flush();
      expect(t.events().map(name)).toEqual(['A', 'B', 'Seen']);
    }
  });

  it('a consent denial in the same task as 20 events: nothing leaves identified, nothing is reported dropped that left', async () => {
    for (const deniedMode of ['anonymous', 'none'] as const) {
      const t = fakeEnv();
      const tracker = createCore({ ...base, deniedMode }, t.env);
      const got: TrackerEvent[] = [];
      tracker.register((evs) => void got.push(...evs), { replay: false });
      let dropped = 0;
      tracker.on('dropped', (r) => void (dropped += r.events.length));
      for (let i = 0; i < 20; i++) tracker.track('E' + i); // a whole batch for each destination
      tracker.consent('denied');
      await vi.advanceTimersByTimeAsync(5000);
      const states = (evs: object[]) => [
        ...new Set(evs.map((e) => (e as TrackerEvent).context.consent_state)),
      ];
      if (deniedMode === 'anonymous') {
        expect([got.length, states(got), t.events().length, states(t.events())]).toEqual([
          20,
          ['denied'],
          20,
          ['denied'],
        ]);
      } else expect([got.length, t.events().length, dropped]).toEqual([0, 0, 40]);
    }
  });

  it("a callback's batch runs after the code that completed it: register() returns first, a callback registering or counting changes no order and sends nothing twice", async () => {
    const t = fakeEnv();
    const tracker = createCore(base, t.env);
    for (let i = 0; i < 20; i++) tracker.track('E' + i);
    await vi.advanceTimersByTimeAsync(10);
    let returned = false;
    let early = false;
    tracker.register(() => void (early ||= !returned)); // replays 20: a whole batch
    returned = true;
    const later: string[] = [];
    let registered = false;
    tracker.register(() => {
      tracker.stats(); // (a debug panel: a drain inside a delivery)
      if (!registered) registered = !!tracker.register((evs) => void later.push(...evs.map(name)));
    });
    for (let i = 20; i < 45; i++) tracker.track('E' + i);
    await vi.advanceTimersByTimeAsync(5000);
    expect(early).toBe(false);
    // (registered with a replay of the history: every event once, in order)
    expect(later).toEqual(Array.from({ length: 45 }, (_, i) => 'E' + i));
  });

  it('a burst waits 1000 events at most: beyond, they are finished at once (the queue evicts as it comes)', () => {
    const t = fakeEnv();
    const tracker = createCore({ ...base, batchSize: 500 }, t.env);
    let evicted = 0;
    tracker.on('dropped', (r) => void (evicted += r.reason === 'evicted' ? r.events.length : 0));
    for (let i = 0; i < 2500; i++) tracker.track('E', { i });
    // 2000 finished in this task (1000 at a time): the queue's bound of 1000 evicted 1000; 500 wait.
    expect(evicted).toBe(1000);
  });

  it('after pagehide each event is finished at once (a hidden page may run no timer), until shown again', async () => {
    const t = fakeEnv();
    const tracker = createCore(base, t.env);
    t.hide(true);
    tracker.track('Late', { metric: 'CLS' }); // (as the last Web Vitals come)
    expect(t.sent.map((s) => [s.via, s.body.batch.map(name)])).toEqual([['beacon', ['Late']]]);
    t.show(true); // back from the bfcache: the next task again
    tracker.track('A');
    expect(t.sent).toHaveLength(1);
    await tracker.flush();
    expect(t.sent.map((s) => [s.via, s.body.batch.map(name)])).toEqual([
      ['beacon', ['Late']],
      ['fetch', ['A']],
    ]);
  });
});
