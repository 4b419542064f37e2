import { describe, expect, it } from 'vitest';
import { createTabStore, type Locks } from '../../src/delivery/tabStore';
import { memoryKV, safeKV, type KV } from '../../src/lib/kv';
import { fakeLocks } from './fakeLocks';
import { withThrowingToJSON } from '../helpers/throwingToJSON';

const settle = () => new Promise((r) => setTimeout(r, 0));

function tab(kv: KV, tabId: string, locks?: Locks, maxBytes = 100000, now = () => 1000) {
  const adopted: unknown[][] = [];
  const store = createTabStore({
    kv,
    prefix: 'tt',
    tabId,
    locks,
    now,
    maxBytes,
    adopt: (e) => void adopted.push(e),
  });
  return { store, adopted };
}

describe('createTabStore with Web Locks', () => {
  it('never adopts the queue of a live tab', async () => {
    const kv = memoryKV();
    const l = fakeLocks();
    const a = tab(kv, 'A', l.tab().locks);
    const b = tab(kv, 'B', l.tab().locks);
    a.store.claim();
    b.store.claim();
    await settle();
    a.store.save(['a1', 'a2']);
    b.store.save(['b1']);
    b.store.claim(); // e.g. again after a bfcache restore
    tab(kv, 'C', l.tab().locks).store.claim();
    await settle();
    expect(a.adopted).toEqual([]);
    expect(b.adopted).toEqual([]);
    expect(JSON.parse(kv.get('tt:q:A') as string).e).toEqual(['a1', 'a2']);
  });

  it('gives the queue of a closed tab to exactly one of two tabs starting at once', async () => {
    const kv = memoryKV();
    const l = fakeLocks();
    const a = tab(kv, 'A', l.tab().locks);
    a.store.claim();
    await settle();
    a.store.save(['a1', 'a2'], true);
    a.store.release();
    await settle(); // the lock manager frees it asynchronously
    const b = tab(kv, 'B', l.tab().locks);
    const c = tab(kv, 'C', l.tab().locks);
    b.store.claim();
    c.store.claim();
    await settle();
    expect(b.adopted.concat(c.adopted)).toEqual([['a1', 'a2']]);
    expect(kv.get('tt:q:A')).toBeNull();
    tab(kv, 'D', l.tab().locks).store.claim();
    await settle();
    expect(b.adopted.length + c.adopted.length).toBe(1);
  });

  it('adopts the queue of a crashed tab (its lock released without pagehide)', async () => {
    const kv = memoryKV();
    const l = fakeLocks();
    const ta = l.tab();
    const a = tab(kv, 'A', ta.locks);
    a.store.claim();
    await settle();
    a.store.save(['a1']);
    const b = tab(kv, 'B', l.tab().locks);
    b.store.claim();
    await settle();
    expect(b.adopted).toEqual([]);
    ta.crash();
    const c = tab(kv, 'C', l.tab().locks);
    c.store.claim();
    await settle();
    expect(c.adopted).toEqual([['a1']]);
  });

  it('a tab back from the bfcache gets its stored queue, unless another tab adopted it meanwhile', async () => {
    const kv = memoryKV();
    const l = fakeLocks();
    const a = tab(kv, 'A', l.tab().locks);
    a.store.claim();
    await settle();
    a.store.save(['a1'], true);
    a.store.release();
    const own: unknown[][] = [];
    a.store.claim((e) => own.push(e));
    await settle();
    expect(own).toEqual([['a1']]);
    tab(kv, 'B', l.tab().locks).store.claim();
    await settle(); // A holds its lock again: B leaves the queue alone
    expect(kv.get('tt:q:A')).not.toBeNull();

    a.store.release();
    await settle();
    const c = tab(kv, 'C', l.tab().locks);
    c.store.claim();
    await settle();
    a.store.claim((e) => own.push(e));
    await settle();
    expect(c.adopted).toEqual([['a1']]);
    expect(own[1]).toEqual([]);
  });
});

describe('createTabStore without Web Locks', () => {
  it('adopts queues marked closed or untouched for a day, never a live one', () => {
    const kv = memoryKV();
    let now = 1000;
    tab(kv, 'A', undefined, 100000, () => now).store.save(['a1'], true);
    tab(kv, 'L', undefined, 100000, () => now).store.save(['live']);
    const b = tab(kv, 'B', undefined, 100000, () => now);
    b.store.claim();
    expect(b.adopted).toEqual([['a1']]);
    now += 864e5 + 1;
    const c = tab(kv, 'C', undefined, 100000, () => now);
    c.store.claim();
    expect(c.adopted).toEqual([['live']]);
  });

  it("reads only a record's own fields: a page's Object.prototype.c (closed) or .u (unsure) is not the record's", () => {
    const proto = Object.prototype as Record<string, unknown>;
    const kv = memoryKV();
    tab(kv, 'L', undefined).store.save(['live']);
    const b = tab(kv, 'B', undefined);
    let unsure = -1;
    try {
      proto.c = 1;
      proto.u = 1;
      b.store.claim();
      tab(kv, 'L', undefined).store.claim((_, u) => (unsure = u));
    } finally {
      delete proto.c;
      delete proto.u;
    }
    // The live tab's queue is not taken as closed, nor its first item as handed to the browser.
    expect(b.adopted).toEqual([]);
    expect(unsure).toBe(0);
  });
});

describe('createTabStore bounds and storage failures', () => {
  const ev = (i: number) => ({ id: i, pad: 'x'.repeat(80) });
  const size = (n: number) => JSON.stringify(ev(1)).length * n + n;

  it('keeps the newest items under the byte bound and says how many were left out', () => {
    const kv = memoryKV();
    const { store } = tab(kv, 'A', undefined, size(3) + 40);
    const items = [1, 2, 3, 4, 5].map(ev);
    expect(store.save(items)).toBe(2);
    expect(JSON.parse(kv.get('tt:q:A') as string).e).toEqual(items.slice(2));
    expect(store.save([])).toBe(0);
    expect(kv.get('tt:q:A')).toBeNull();
  });

  it('keeps what fits when the quota is full, and nothing (no stale copy) when set fails or throws', () => {
    const mem = memoryKV();
    let limit = size(4);
    let throws = false;
    const kv = safeKV({
      ...mem,
      set: (k, v) => {
        if (throws) throw new DOMException('quota', 'QuotaExceededError');
        return v.length <= limit && mem.set(k, v);
      },
    });
    const { store } = tab(kv, 'A');
    const items = [1, 2, 3, 4, 5, 6, 7, 8].map(ev);
    expect(store.save(items)).toBe(5); // cuts a quarter of the rest until it fits: 2, then 2, then 1
    expect(JSON.parse(mem.get('tt:q:A') as string).e).toEqual(items.slice(5));
    limit = 0;
    expect(store.save(items)).toBe(8);
    expect(mem.get('tt:q:A')).toBeNull();
    limit = 1e9;
    store.save(items);
    throws = true;
    expect(store.save(items)).toBe(8);
    expect(mem.get('tt:q:A')).toBeNull();
  });
});

describe('createTabStore.save', () => {
  it('keeps the newest that fit the bound and serializes none of the older ones', () => {
    const kv = memoryKV();
    const seen: unknown[] = [];
    const store = createTabStore({
      kv,
      prefix: 'tt',
      tabId: 'A',
      now: () => 1000,
      maxBytes: 40 + 5 * 11, // the record's frame and five items of 10 characters and a comma
      adopt: () => undefined,
      json: (item) => (seen.push(item), JSON.stringify(item)),
    });
    const items = Array.from({ length: 100 }, (_, i) => 'item-' + String(i).padStart(3, '0')); // "item-007" is 10 characters as JSON
    expect(store.save(items)).toBe(95);
    expect(JSON.parse(kv.get('tt:q:A') as string).e).toEqual(items.slice(95));
    expect(seen).toEqual(items.slice(94).reverse()); // the five kept, and the one that did not fit
  });

  it('the last save of a closing page may take twice maxBytes', () => {
    const kv = memoryKV();
    const store = createTabStore({
      kv,
      prefix: 'tt',
      tabId: 'A',
      now: () => 1000,
      maxBytes: 40 + 5 * 11, // the frame and 5 items; twice that holds 13 items
      adopt: () => undefined,
    });
    const items = Array.from({ length: 100 }, (_, i) => 'item-' + String(i).padStart(3, '0'));
    expect(store.save(items)).toBe(95);
    expect(store.save(items, true)).toBe(87);
    expect(JSON.parse(kv.get('tt:q:A') as string)).toEqual({ t: 1000, c: 1, e: items.slice(87) });
  });
});

describe('createTabStore: items handed to the browser already (unsure)', () => {
  /** A tab without Web Locks that records what it adopts with each queue's unsure count. */
  function judged(kv: KV, tabId: string, maxBytes = 100000) {
    const adopted: Array<[unknown[], number]> = [];
    const store = createTabStore({
      kv,
      prefix: 'tt',
      tabId,
      now: () => 1000,
      maxBytes,
      adopt: (e, u) => void adopted.push([e, u]),
    });
    return { store, adopted };
  }

  it('stores how many of the first items are unsure, and gives that count with the queue', () => {
    const kv = memoryKV();
    const a = judged(kv, 'A');
    expect(a.store.save(['s1', 's2', 'q1'], true, 2)).toBe(0);
    expect(kv.get('tt:q:A')).toBe('{"t":1000,"c":1,"u":2,"e":["s1","s2","q1"]}');
    const b = judged(kv, 'B');
    b.store.claim();
    expect(b.adopted).toEqual([[['s1', 's2', 'q1'], 2]]);
    // A bfcache restore reads its own record the same way.
    const c = judged(kv, 'C');
    c.store.save(['s1', 'q1'], false, 1);
    let own: [unknown[], number] | undefined;
    c.store.claim((e, u) => (own = [e, u]));
    expect(own).toEqual([['s1', 'q1'], 1]);
  });

  it('leaves out the oldest first: the unsure ones, and counts only those kept', () => {
    const kv = memoryKV();
    // Room for two items (40 characters for the record, 5 for each item's JSON and its comma).
    const a = judged(kv, 'A', 54);
    expect(a.store.save(['s1', 's2', 'q1'], false, 2)).toBe(1);
    expect(JSON.parse(kv.get('tt:q:A') as string)).toEqual({ t: 1000, u: 1, e: ['s2', 'q1'] });
    expect(a.store.save(['s1', 's2', 'q1', 'q2'], false, 2)).toBe(2);
    expect(JSON.parse(kv.get('tt:q:A') as string)).toEqual({ t: 1000, e: ['q1', 'q2'] });
  });

  it('reads a count written by someone else as a whole number from 0 (none when absent)', () => {
    for (const [u, want] of [
      [undefined, 0],
      ['2', 2],
      [-3, 0],
      [1.7, 1],
      ['x', 0],
      [null, 0],
    ] as const) {
      const kv = memoryKV();
      kv.set('tt:q:old', JSON.stringify({ t: 1000, c: 1, u, e: ['a', 'b'] }));
      const b = judged(kv, 'B');
      b.store.claim();
      expect(b.adopted).toEqual([[['a', 'b'], want]]);
    }
  });
});

describe('a page that defines a throwing Object.prototype.toJSON after the events were written', () => {
  it('still stores the queue', () => {
    const kv = memoryKV();
    const item = { a: 1 };
    const written = JSON.stringify(item); // (the event's JSON, written before)
    const store = createTabStore({
      kv,
      prefix: 'tt',
      tabId: 'A',
      now: () => 5,
      maxBytes: 1e5,
      json: () => written,
      adopt: () => {},
    });
    expect(withThrowingToJSON(() => store.save([item], true))).toBe(0);
    expect(kv.get('tt:q:A')).toBe('{"t":5,"c":1,"e":[{"a":1}]}');
  });
});
