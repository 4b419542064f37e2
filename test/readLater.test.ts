import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { createCore } from '../src/core/createCore';
import type { TrackerEvent } from '../src/schema';
import type { TrackerOptions } from '../src/types';
import { fakeEnv } from './helpers/fakeEnv';
import { fakeSdk, storeConfig } from './helpers/fakeSdk';
import { args } from './normalize/fixture';

beforeEach(() => void vi.useFakeTimers());
afterEach(() => void vi.useRealTimers());

const base: TrackerOptions = { endpoint: '/collect', consent: 'granted', webVitals: false, autoPage: false };
const row = (e: Record<string, unknown>) => [
  e.type === 'track' ? e.event : 'page',
  e.userId,
  (e.context as { session_id?: string }).session_id,
];

/**
 * Hooks are read, and calls' events built, in the pipeline's own task, in the order they came, each as
 * at its own time: with the state every earlier hook and call left and none a later one's (found by
 * an independent review of the change that moved hook reading out of the SDK's `emit`).
 */
describe('read later, in order, as at their time', () => {
  it("track() and page() take the caller's properties as they are at the call, and its time", async () => {
    const t = fakeEnv();
    const tracker = createCore(base, t.env);
    const props = { plan: 'gold', list: ['a'] };
    const at = Date.now();
    tracker.track('Subscribed', props);
    tracker.page(props);
    props.plan = 'changed';
    props.list.push('b');
    vi.setSystemTime(at + 5000);
    await tracker.flush();
    expect(
      t
        .events()
        .map((e) => [
          e.type,
          e.timestamp,
          e.type === 'page' ? (e.context as { page?: unknown }).page : e.properties,
        ]),
    ).toEqual([
      ['track', new Date(at).toISOString(), { plan: 'gold', list: ['a'] }],
      ['page', new Date(at).toISOString(), expect.objectContaining({ plan: 'gold', list: ['a'] })],
    ]);
  });

  it('a track() in the same task after auth::logged.out belongs to the new session, without the userId', async () => {
    const s = fakeSdk(storeConfig({ user: { id: 501, type: 'user', currency_code: 'SAR' } }));
    const t = fakeEnv({ sdk: s.sdk });
    const tracker = createCore(base, t.env);
    s.init();
    tracker.track('Before');
    await vi.advanceTimersByTimeAsync(0);
    // A theme listener on the same bus, after the tracker's (or any code in the same task).
    s.sdk.event!.onAny!((n) => void (n === 'auth::logged.out' && tracker.track('Logout Clicked')));
    s.config.user = { type: 'guest' };
    s.emit('auth::logged.out');
    await tracker.flush();
    const [before, out, after] = t.events().map(row) as [unknown[], unknown[], unknown[]];
    expect(before[0]).toBe('Before');
    expect(out).toEqual(['Signed Out', '501', before[2]]);
    expect(after[0]).toBe('Logout Clicked');
    expect(after[1]).toBeUndefined();
    expect(after[2]).not.toBe(before[2]);
  });

  it("another tab's sign-out (the storage event of tt:sid removed) ends this tab's session and customer, after the events before it; another key or another store's prefix does not", async () => {
    const s = fakeSdk(storeConfig({ user: { id: 501, type: 'user', currency_code: 'SAR' } }));
    const t = fakeEnv({ sdk: s.sdk });
    const tracker = createCore(base, t.env);
    s.init();
    tracker.track('First');
    await vi.advanceTimersByTimeAsync(0);
    t.storage('tt:sent', null);
    t.storage('shop2:sid', null); // another tracker's storagePrefix on the same origin
    tracker.track('Before'); // tracked before the storage event, built after it came
    t.storage('tt:sid', null);
    tracker.track('After');
    await tracker.flush();
    const [first, before, after] = t.events().map(row) as [unknown[], unknown[], unknown[]];
    expect(first[1]).toBe('501');
    expect(before).toEqual(['Before', '501', first[2]]);
    expect(after[0]).toBe('After');
    expect(after[1]).toBeUndefined();
    expect(after[2]).not.toBe(first[2]);
  });

  it('a report handler that counts mid-run: a later hook is built before the sign-out resets the session', async () => {
    const s = fakeSdk(storeConfig({ user: { id: 501, type: 'user', currency_code: 'SAR' } }));
    const t = fakeEnv({ sdk: s.sdk, hold: () => true }); // the endpoint never answers
    const tracker = createCore({ ...base, batchSize: 500, flushInterval: 60000 }, t.env);
    s.init();
    // A callback that never settles: its queue fills to the 1000 bound, then each event evicts one.
    tracker.register(() => new Promise(() => undefined), { replay: false });
    for (let i = 0; i < 1000; i++) tracker.track('Fill' + i);
    await vi.advanceTimersByTimeAsync(0);
    let counting = false;
    tracker.on('dropped', () => void (counting && tracker.stats())); // monitoring: count on each drop
    counting = true;
    const got: TrackerEvent[] = [];
    tracker.register((e) => void got.push(...e), { replay: false });
    s.config.user = { type: 'guest' };
    s.emit('auth::logged.out');
    s.emit('scope::changed', { data: { id: 1, name: 'KSA' } }); // after the sign-out
    await vi.advanceTimersByTimeAsync(0);
    await vi.advanceTimersByTimeAsync(60000);
    const rows = got.map((e) => row(e as unknown as Record<string, unknown>));
    expect(rows.map((r) => r[0])).toEqual(['Signed Out', 'Market Selected']);
    expect(rows[1]![1]).toBeUndefined(); // signed out
    expect(rows[1]![2]).not.toBe(rows[0]![2]); // the new session
  });

  it('a hook keeps the page context it came in, not that of a page() called after it', async () => {
    const s = fakeSdk(storeConfig());
    const t = fakeEnv({ sdk: s.sdk });
    const tracker = createCore(base, t.env);
    s.init();
    s.emit('scope::changed', { data: { id: 1, name: 'KSA' } });
    tracker.page({ section: 'next' });
    await tracker.flush();
    const [hook, page] = t.events() as [Record<string, unknown>, Record<string, unknown>];
    expect([hook.event, page.type]).toEqual(['Market Selected', 'page']);
    expect((hook.context as { page: { section?: string } }).page.section).toBeUndefined();
  });

  it("Salla's double report of one add is suppressed by the hooks' times, not by when they are read", async () => {
    const s = fakeSdk(storeConfig());
    const t = fakeEnv({ sdk: s.sdk });
    const tracker = createCore(base, t.env);
    s.init();
    const at = Date.now();
    s.emit('cart::updated', ...args('cart::updated', 0));
    s.emit('Product Added', ...args('Product Added', 0)); // the server's report
    await vi.advanceTimersByTimeAsync(0); // read at once
    s.emit('cart::updated', ...args('cart::updated', 1));
    s.emit('cart::item.added', ...args('cart::item.added', 0)); // the hook of the same add, 0 ms later
    vi.setSystemTime(at + 5000); // the page is busy: the pipeline's task comes 5 s later
    await vi.advanceTimersByTimeAsync(0);
    await tracker.flush();
    expect(t.events().filter((e) => e.event === 'Product Added')).toHaveLength(1);
  });
});
