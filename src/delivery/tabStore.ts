import { parseJson, stringify } from '../lib/json';
import type { KV } from '../lib/kv';

/** The subset of the Web Locks API the store uses (injected; absent in old browsers). */
/**
 * JSON characters the stored queue of a page may take: a save rewrites it whole, and writing more
 * than this takes a slow phone over the 50 ms of a long task. What does not fit stays in memory and
 * is stored by a later save; the last save, on pagehide, may take twice as much.
 */
export const MAX_STORED = 256 * 1024;

export interface Locks {
  request(
    name: string,
    options: { ifAvailable?: boolean },
    cb: (lock: unknown) => Promise<unknown> | unknown,
  ): Promise<unknown>;
}

export interface TabStoreOptions {
  /** Storage that never throws (`safeKV`). */
  kv: KV;
  /** Key prefix, e.g. `tt`. */
  prefix: string;
  /** This page's id (random per page load). */
  tabId: string;
  locks?: Locks;
  now(): number;
  /**
   * Characters the stored queue may take (JSON length); twice as many in the last save of a page
   * that is going (`closed`), which no interaction waits for. `MAX_STORED` by default.
   */
  maxBytes?: number;
  /**
   * Unsent items of a page that is gone, now this page's to send; the first `unsure` of them were
   * handed to the browser as that page went (sent, unless the endpoint was failing).
   */
  adopt(items: unknown[], unsure: number): void;
  /** An item's JSON (the core caches it per event); `stringify` by default. */
  json?(item: unknown): string;
}

export interface TabStore {
  /**
   * Store this page's unsent items, the first `unsure` of them handed to the browser already; keeps
   * the newest that fit the bound and the quota, returns how many were left out.
   */
  save(items: unknown[], closed?: boolean, unsure?: number): number;
  /** Hold this page's lock (on start, after a bfcache restore), adopt orphaned queues, then give `own` this page's stored items. */
  claim(own?: (items: unknown[], unsure: number) => void): void;
  /** Release this page's lock (on pagehide, so bfcache works and another page may adopt the queue). */
  release(): void;
  /** Delete every stored queue of the store, this page's and others' (consent denied). */
  purge(): void;
}

interface Rec {
  t: number;
  c?: 1;
  e: unknown[];
  /** How many of the first items were handed to the browser (none when absent). */
  u?: number;
}

/**
 * Each page keeps its unsent events under its own key, so no two tabs send the same event.
 * A page holds a Web Lock named after its key while alive; a queue whose lock is free belongs to a
 * page that is gone (or frozen in the bfcache) and is moved, under that lock, by exactly one live page.
 * Without Web Locks, queues marked closed on pagehide (or untouched for a day) are adopted.
 */
export function createTabStore(o: TabStoreOptions): TabStore {
  const { kv, locks } = o;
  const base = o.prefix + ':q:';
  const key = base + o.tabId;
  let held = false;
  let free: (() => void) | undefined;

  // (The helpers below are declared in the order that packs tracker.js smallest: none runs before
  // createTabStore returns.)
  /** The keys of the store's queues (this page's too). */
  const queues = () => kv.keys().filter((k) => !k.indexOf(base));
  /** A stored queue; a missing or corrupt one reads as none. */
  const read = (k: string): Rec | undefined => {
    const r = parseJson(kv.get(k)) as Rec | undefined;
    // One of ours: its own fields only (one it lacks is not the page's Object.prototype's).
    if (Array.isArray(r?.e)) return { __proto__: null, ...r } as Rec;
    // (else undefined: not one of our records)
  };
  /** Give a record to `cb` (its unsure count read as untrusted: another script may have written it). */
  const give = (cb: (items: unknown[], unsure: number) => void, r?: Rec) =>
    cb(r?.e || [], (r?.u as number) > 0 ? (r?.u as number) | 0 : 0);
  const adopt = (k: string) => {
    const r = read(k);
    kv.del(k);
    if (r?.e.length) give(o.adopt, r);
  };
  const own = (cb?: (items: unknown[], unsure: number) => void) => cb && give(cb, read(key));
  /** Ask for the lock of queue `k`; true, or undefined when the Locks API threw. */
  const lock = (k: string, ifAvailable: boolean, cb: (got: unknown) => unknown) => {
    try {
      (locks as Locks)
        .request('tt:' + k, { __proto__: null, ifAvailable } as { ifAvailable: boolean }, cb)
        .catch(() => 0);
      return true;
    } catch {
      /* not asked */
    }
  };

  return {
    save(items, closed, unsure = 0) {
      const json = o.json || (stringify as (e: unknown) => string);
      // The newest that fit the bound, written newest first (each put in front: 1,000 unshifts take
      // 0.06 ms): the oldest beyond it are never serialized.
      const s: string[] = [];
      let size = 40;
      let cut = items.length;
      for (
        let x: string;
        // (`cut` counts down from items.length while it is positive: never negative)
        cut &&
        (size += (x = json(items[cut - 1])).length + 1) <= (closed ? 2 : 1) * (o.maxBytes || MAX_STORED);
        cut--
      )
        s.unshift(x);
      // (from here: the unsure ones among those kept)
      unsure -= cut;
      // Over the quota: leave out the unsure ones, then a quarter more of the oldest until it fits.
      for (let k = 0; k < s.length; k = k < unsure ? unsure : k + ((s.length - k + 3) >> 2))
        if (
          kv.set(
            key,
            '{"t":' +
              o.now() +
              (closed ? ',"c":1' : '') +
              // (the oldest left out first: the unsure ones)
              (unsure > k ? ',"u":' + (unsure - k) : '') +
              ',"e":[' +
              s.slice(k).join() +
              ']}',
          )
        )
          return cut + k;
      kv.del(key);
      return items.length;
    },
    release() {
      held = false;
      free?.();
      free = undefined;
    },
    claim(cb) {
      if (!locks) own(cb);
      else if (!held) {
        held = true;
        if (!lock(key, false, () => new Promise<void>((r) => (held ? ((free = r), own(cb)) : r())))) own(cb);
      }
      for (const k of queues()) {
        if (k == key) continue;
        // Where the Locks API throws, the queue is left for a page that has it.
        if (locks) lock(k, true, (got) => got && adopt(k));
        else {
          const r = read(k);
          if (!r || r.c || o.now() - r.t > 864e5) adopt(k);
        }
      }
    },
    purge() {
      for (const k of queues()) kv.del(k);
    },
  };
}
