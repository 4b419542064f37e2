import type { KV } from './kv';
import { stringify } from './stringify';

/** The subset of the Web Locks API the store uses (injected; absent in old browsers). */
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
  /** Characters the stored queue may take (JSON length). */
  maxBytes: number;
  /** Unsent items of a page that is gone, now this page's to send. */
  adopt(items: unknown[]): void;
}

export interface TabStore {
  /** Store this page's unsent items; keeps the newest that fit the bound and the quota, returns how many were left out. */
  save(items: unknown[], closed?: boolean): number;
  /** Hold this page's lock (on start, after a bfcache restore), adopt orphaned queues, then give `own` this page's stored items. */
  claim(own?: (items: unknown[]) => void): void;
  /** Release this page's lock (on pagehide, so bfcache works and another page may adopt the queue). */
  release(): void;
}

interface Rec {
  t: number;
  c?: 1;
  e: unknown[];
}

/**
 * Each page keeps its unsent events under its own key, so no two tabs send the same event.
 * A page holds a Web Lock named after its key while alive; a queue whose lock is free belongs to a
 * page that is gone (or frozen in the bfcache) and is moved, under that lock, by exactly one live page.
 * Without Web Locks, queues marked closed on pagehide (or untouched for a day) are adopted.
 */
export function createTabStore(o: TabStoreOptions): TabStore {
  const base = o.prefix + ':q:';
  const key = base + o.tabId;
  const lock = (k: string) => 'tt:' + k;
  let held = false;
  let free: (() => void) | undefined;

  const read = (k: string): Rec | undefined => {
    try {
      const r = JSON.parse(o.kv.get(k) || 'null') as Rec | null;
      return r && Array.isArray(r.e) ? r : undefined;
    } catch {
      return undefined;
    }
  };
  const own = (cb?: (items: unknown[]) => void) => cb && cb((read(key) || { e: [] }).e);

  function adopt(k: string) {
    const r = read(k);
    o.kv.del(k);
    if (r && r.e.length) o.adopt(r.e);
  }

  return {
    save(items, closed) {
      const s = items.map((e) => stringify(e) as string);
      let cut = 0;
      let size = 40 + s.reduce((n, x) => n + x.length + 1, 0);
      for (; cut < s.length && size > o.maxBytes; cut++) size -= (s[cut] as string).length + 1;
      // Over the quota: leave out a quarter more of the oldest until it fits.
      for (; cut < s.length; cut += Math.ceil((s.length - cut) / 4)) {
        const body = s.slice(cut).join(',');
        if (o.kv.set(key, '{"t":' + o.now() + (closed ? ',"c":1' : '') + ',"e":[' + body + ']}')) return cut;
      }
      o.kv.del(key);
      return cut;
    },
    claim(cb) {
      const l = o.locks;
      if (!l) own(cb);
      else if (!held) {
        held = true;
        try {
          void l
            .request(lock(key), {}, () => new Promise<void>((r) => (held ? ((free = r), own(cb)) : r())))
            .catch(() => undefined);
        } catch {
          own(cb);
        }
      }
      for (const k of o.kv.keys()) {
        if (k.indexOf(base) || k === key) continue;
        if (l) {
          try {
            void l.request(lock(k), { ifAvailable: true }, (got) => got && adopt(k)).catch(() => undefined);
          } catch {
            /* no locks after all: leave it for a page that has them */
          }
        } else {
          const r = read(k);
          if (!r || r.c || o.now() - r.t > 864e5) adopt(k);
        }
      }
    },
    release() {
      held = false;
      if (free) free();
      free = undefined;
    },
  };
}
