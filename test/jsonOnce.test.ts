/**
 * README (Delivery, Batching): "each event's JSON is written once, when it is first sent or stored,
 * and reused by retries, beacons and saves". `JSON.stringify` is spied on before src/lib/json.ts
 * takes it (at load), so every serialization of an event is seen, whatever path it takes.
 */
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { createCore } from '../src/core/createCore';
import { memoryKV } from '../src/lib/kv';
import type { TrackerEvent } from '../src/schema';
import { counter, fakeEnv } from './helpers/fakeEnv';

// Before any import: src/lib/json.ts captures `JSON.stringify` when it loads. (A pass-through spy.)
const stringify = vi.hoisted(() => vi.spyOn(JSON, 'stringify'));

beforeEach(() => {
  vi.useFakeTimers();
  vi.setSystemTime(new Date('2026-11-22T10:00:00.000Z'));
  stringify.mockClear();
});
afterEach(() => vi.useRealTimers());

/** The messageIds of the events `JSON.stringify` was called on, one per call. */
const written = () =>
  stringify.mock.calls
    .map(([v]) => v as Partial<TrackerEvent> | undefined)
    .filter((v) => !!v && typeof v === 'object' && typeof v.messageId === 'string')
    .map((v) => v!.messageId);

describe("each event's JSON is written once", () => {
  it('a track() event and one with a products list: through storage, a batch, a callback, a beacon and the last save', async () => {
    const kv = memoryKV();
    // The batch goes without keepalive and gets no answer; the beacon at pagehide is refused.
    const t = fakeEnv({
      kv,
      uuid: counter(),
      hold: () => true,
      keepalive: () => false,
      beaconOk: () => false,
    });
    const tracker = createCore(
      { endpoint: '/collect', consent: 'granted', webVitals: false, autoPage: false },
      t.env,
    );
    const got: TrackerEvent[] = [];
    tracker.register((events) => void got.push(...events));
    tracker.track('Newsletter Joined', { list: 'weekly' });
    tracker.track('Order Completed', {
      order_id: '9',
      total: 10,
      currency: 'SAR',
      products: [{ product_id: '1', price: 10, quantity: 1 }],
    } as never);
    expect(written()).toEqual([]); // built in the caller's task, finished in one of their own
    await vi.advanceTimersByTimeAsync(0);
    const ids = ['id-3', 'id-5']; // (id-1: the page's queue, id-2: the session, id-4: the anonymous id)
    expect(written()).toEqual(ids); // when finished (the products list is measured against 32 KB)

    await vi.advanceTimersByTimeAsync(1000); // the queue is stored (the save after a change)
    const storedIds = () =>
      (JSON.parse(kv.get('tt:q:id-1') as string).e as TrackerEvent[]).map((e) => e.messageId);
    expect(storedIds()).toEqual(ids);
    await vi.advanceTimersByTimeAsync(1000); // the batch is POSTed, the callback called
    expect(t.sent.map((s) => [s.via, s.body.batch.map((e) => e.messageId)])).toEqual([['fetch', ids]]);
    expect(got.map((e) => e.messageId)).toEqual(ids);
    t.hide(true); // the batch in flight is taken back, beaconed (refused), and stored, closed
    const beacons = (t.env.unload as ReturnType<typeof vi.fn>).mock.calls.map((c) =>
      (JSON.parse(c[1] as string).batch as TrackerEvent[]).map((e) => e.messageId),
    );
    expect(beacons).toEqual([ids]); // in the order they came
    expect(JSON.parse(kv.get('tt:q:id-1') as string).c).toBe(1);
    expect(storedIds()).toEqual(ids);

    expect(written()).toEqual(ids); // still once each
  });

  it('the context the events share is written once, and their JSON is theirs whole', async () => {
    const t = fakeEnv({ uuid: counter() });
    const tracker = createCore(
      { endpoint: '/collect', consent: 'granted', webVitals: false, autoPage: false },
      t.env,
    );
    for (let i = 0; i < 5; i++) tracker.track('Newsletter Joined', { list: 'weekly', i });
    tracker.page(); // a page view: a new context for it and what follows
    tracker.track('Newsletter Joined', { list: 'daily' });
    await vi.advanceTimersByTimeAsync(2000);
    const contexts = stringify.mock.calls.filter(([v]) => !!v && typeof v === 'object' && 'library' in v);
    expect(contexts).toHaveLength(2);
    const batch = t.sent.flatMap((s) => s.body.batch) as unknown as TrackerEvent[];
    expect(batch).toHaveLength(7);
    // Each event as sent is the event as built: its own properties and the context it was built with.
    expect(batch.map((e) => [e.type, e.properties, e.context.library.name, typeof e.context.page])).toEqual([
      ...[0, 1, 2, 3, 4].map((i) => ['track', { list: 'weekly', i }, 'twilight-tracker', 'object']),
      ['page', expect.any(Object), 'twilight-tracker', 'object'],
      ['track', { list: 'daily' }, 'twilight-tracker', 'object'],
    ]);
  });
});
