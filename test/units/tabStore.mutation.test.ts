// The per-tab stored queues (src/delivery/tabStore.ts): keys, locks, adoption, bounds. Written to
// kill its mutants (`npm run mutation`, docs/mutation.md).
import { describe, expect, it } from 'vitest';
import { createTabStore, type Locks, type TabStoreOptions } from '../../src/delivery/tabStore';
import { memoryKV, type KV } from '../../src/lib/kv';
import { fakeLocks } from '../delivery/fakeLocks';

const settle = () => new Promise((r) => setTimeout(r, 0));
const DAY = 864e5;

function tab(kv: KV, tabId: string, over: Partial<TabStoreOptions> = {}) {
  const adopted: unknown[][] = [];
  const store = createTabStore({
    kv,
    prefix: 'tt',
    tabId,
    now: () => 5 * DAY,
    maxBytes: 100000,
    adopt: (e) => void adopted.push(e),
    ...over,
  });
  return { store, adopted };
}
const rec = (kv: KV, k: string) => JSON.parse(kv.get(k) as string) as unknown;

describe('createTabStore.save', () => {
  it('writes {t, e} under <prefix>:q:<tabId>, and c: 1 only for a closing page', () => {
    const kv = memoryKV();
    const { store } = tab(kv, 'A', { prefix: 'p' });
    expect(store.save(['a', { b: 1 }])).toBe(0);
    expect(kv.keys()).toEqual(['p:q:A']);
    expect(rec(kv, 'p:q:A')).toEqual({ t: 5 * DAY, e: ['a', { b: 1 }] });
    expect(kv.get('p:q:A')).toBe('{"t":432000000,"e":["a",{"b":1}]}');
    store.save(['a'], true);
    expect(kv.get('p:q:A')).toBe('{"t":432000000,"c":1,"e":["a"]}');
  });

  it('with a quota too small for any item, stores nothing (not an empty queue)', () => {
    const mem = memoryKV();
    // An empty record (22 characters) would fit, one item (34) does not.
    const kv: KV = { ...mem, set: (k, v) => v.length <= 30 && mem.set(k, v) };
    const { store } = tab(kv, 'A');
    expect(store.save(['0123456789', '0123456789'])).toBe(2);
    expect(mem.keys()).toEqual([]);
  });

  it('leaves out a quarter of the rest each time the quota refuses, rounded up', () => {
    const mem = memoryKV();
    const tries: number[] = [];
    const kv: KV = {
      ...mem,
      set: (k, v) => (tries.push((JSON.parse(v) as { e: unknown[] }).e.length), false),
    };
    const { store } = tab(kv, 'A');
    expect(store.save(Array.from({ length: 10 }, (_, i) => i))).toBe(10);
    expect(tries).toEqual([10, 7, 5, 3, 2, 1]);
  });

  it('says how many of the oldest were left out for the quota', () => {
    const mem = memoryKV();
    const kv: KV = {
      ...mem,
      set: (k, v) => (JSON.parse(v) as { e: unknown[] }).e.length <= 6 && mem.set(k, v),
    };
    const { store } = tab(kv, 'A');
    const items = Array.from({ length: 10 }, (_, i) => i);
    expect(store.save(items)).toBe(5); // 10 refused, 7 refused, 5 stored
    expect((rec(mem, 'tt:q:A') as { e: unknown[] }).e).toEqual([5, 6, 7, 8, 9]);
  });
});

describe('createTabStore.claim without Web Locks', () => {
  it("gives `own` this page's stored items, or [] when there are none or they are corrupt", () => {
    const kv = memoryKV();
    const got: unknown[][] = [];
    tab(kv, 'A').store.claim((e) => void got.push(e));
    kv.set('tt:q:A', '{"t":1,"e":"not a list"}');
    tab(kv, 'A').store.claim((e) => void got.push(e));
    kv.set('tt:q:A', '{');
    tab(kv, 'A').store.claim((e) => void got.push(e));
    tab(kv, 'A').store.save(['x']);
    tab(kv, 'A').store.claim((e) => void got.push(e));
    expect(got).toEqual([[], [], [], ['x']]);
  });

  it('adopts a queue untouched for more than a day, not one touched a day ago exactly', () => {
    const kv = memoryKV();
    kv.set('tt:q:old', JSON.stringify({ t: 5 * DAY - DAY - 1, e: ['old'] }));
    kv.set('tt:q:day', JSON.stringify({ t: 5 * DAY - DAY, e: ['day'] }));
    kv.set('tt:q:new', JSON.stringify({ t: 5 * DAY, e: ['new'] }));
    const b = tab(kv, 'B');
    b.store.claim();
    expect(b.adopted).toEqual([['old']]);
    expect(kv.keys().sort()).toEqual(['tt:q:day', 'tt:q:new']);
  });

  it('deletes a corrupt or empty orphan without adopting anything; leaves other keys alone', () => {
    const kv = memoryKV();
    kv.set('tt:q:bad', '{');
    kv.set('tt:q:list', '{"t":1,"e":"x"}');
    kv.set('tt:q:empty', JSON.stringify({ t: 1, c: 1, e: [] }));
    kv.set('tt:aid', 'a');
    kv.set('tt:sent', '["x"]');
    kv.set('other:q:Z', JSON.stringify({ t: 1, c: 1, e: ['z'] }));
    kv.set('x tt:q:Y', JSON.stringify({ t: 1, c: 1, e: ['y'] }));
    const b = tab(kv, 'B');
    b.store.claim();
    expect(b.adopted).toEqual([]);
    expect(kv.keys().sort()).toEqual(['other:q:Z', 'tt:aid', 'tt:sent', 'x tt:q:Y']);
  });

  it('never adopts its own queue', () => {
    const kv = memoryKV();
    const a = tab(kv, 'A');
    a.store.save(['a1'], true);
    const own: unknown[][] = [];
    a.store.claim((e) => void own.push(e));
    expect(a.adopted).toEqual([]);
    expect(own).toEqual([['a1']]);
    expect(kv.get('tt:q:A')).not.toBeNull();
  });
});

describe('createTabStore.claim with Web Locks', () => {
  it('holds a lock named tt:<key> and gives `own` its items once, when it is granted', async () => {
    const kv = memoryKV();
    const l = fakeLocks();
    const a = tab(kv, 'A', { prefix: 'p', locks: l.tab().locks });
    a.store.save(['a1']);
    const own: unknown[][] = [];
    a.store.claim((e) => void own.push(e));
    expect(own).toEqual([]); // the lock is granted asynchronously
    await settle();
    expect(l.held()).toEqual(['tt:p:q:A']);
    expect(own).toEqual([['a1']]);
    a.store.claim((e) => void own.push(e)); // held already: no second request
    await settle();
    expect(own).toEqual([['a1']]);
    a.store.release();
    await settle();
    expect(l.held()).toEqual([]);
  });

  it('released before the lock was granted: lets it go at once and gives nothing', async () => {
    const kv = memoryKV();
    const l = fakeLocks();
    const a = tab(kv, 'A', { locks: l.tab().locks });
    a.store.save(['a1'], true);
    const own: unknown[][] = [];
    a.store.claim((e) => void own.push(e));
    a.store.release();
    await settle();
    expect(own).toEqual([]);
    expect(l.held()).toEqual([]);
    const b = tab(kv, 'B', { locks: l.tab().locks });
    b.store.claim();
    await settle();
    expect(b.adopted).toEqual([['a1']]);
  });

  it('release() without a claim does nothing', () => {
    expect(() => tab(memoryKV(), 'A', { locks: fakeLocks().tab().locks }).store.release()).not.toThrow();
    expect(() => tab(memoryKV(), 'A').store.release()).not.toThrow();
  });

  it('adopts an orphan only when its lock is free, under that lock, and asks without waiting', async () => {
    const kv = memoryKV();
    const l = fakeLocks();
    const a = tab(kv, 'A', { locks: l.tab().locks });
    a.store.claim();
    await settle();
    a.store.save(['a1']);
    const requests: Array<[string, boolean | undefined]> = [];
    const bl = l.tab().locks;
    const spy: Locks = {
      request: (name, options, cb) => (
        requests.push([name, options.ifAvailable]),
        bl.request(name, options, cb)
      ),
    };
    const b = tab(kv, 'B', { locks: spy });
    b.store.claim();
    await settle();
    expect(requests).toEqual([
      ['tt:tt:q:B', false],
      ['tt:tt:q:A', true],
    ]);
    expect(b.adopted).toEqual([]);
    a.store.release(); // A goes: its queue stays where it is until a page claims again
    await settle();
    expect(b.adopted).toEqual([]);
    expect(kv.get('tt:q:A')).not.toBeNull();
  });

  it('where the Locks API throws: owns its queue at once and leaves orphans for a page that has it', () => {
    const kv = memoryKV();
    kv.set('tt:q:Z', JSON.stringify({ t: 1, c: 1, e: ['z'] }));
    tab(kv, 'A').store.save(['a1']);
    const throwing: Locks = {
      request: () => {
        throw new Error('SecurityError');
      },
    };
    const a = tab(kv, 'A', { locks: throwing });
    const own: unknown[][] = [];
    expect(() => a.store.claim((e) => void own.push(e))).not.toThrow();
    expect(own).toEqual([['a1']]);
    expect(a.adopted).toEqual([]);
    expect(kv.get('tt:q:Z')).not.toBeNull();
  });

  it('a rejected lock request is swallowed', async () => {
    const kv = memoryKV();
    kv.set('tt:q:Z', JSON.stringify({ t: 1, c: 1, e: ['z'] }));
    const rejecting: Locks = { request: () => Promise.reject(new Error('AbortError')) };
    const a = tab(kv, 'A', { locks: rejecting });
    const own: unknown[][] = [];
    a.store.claim((e) => void own.push(e));
    await settle();
    expect(own).toEqual([]);
    expect(a.adopted).toEqual([]);
  });
});

describe('createTabStore.purge', () => {
  it("deletes every page's stored queue of this prefix, and nothing else", () => {
    const kv = memoryKV();
    for (const k of ['tt:q:A', 'tt:q:B', 'tt:aid', 'tt:sent', 'other:q:A', 'x tt:q:A']) kv.set(k, '1');
    tab(kv, 'A').store.purge();
    expect(kv.keys().sort()).toEqual(['other:q:A', 'tt:aid', 'tt:sent', 'x tt:q:A']);
  });
});
