import type { KV } from './kv';

/** The subset of the Web Locks API the store uses (injected; absent in old browsers). */
export interface Locks {
  request(
    name: string,
    options: { ifAvailable?: boolean },
    cb: (lock: unknown) => Promise<unknown> | unknown,
  ): Promise<unknown>;
}

export interface TabStoreOptions {
  kv: KV;
  /** Key prefix, e.g. `tt`. */
  prefix: string;
  /** This page's id (random per page load). */
  tabId: string;
  locks?: Locks;
  now(): number;
  /** Bytes the stored queue may take (UTF-16 length of the JSON). */
  maxBytes: number;
  /** Items of a queue whose page is gone were adopted. */
  adopt(items: unknown[]): void;
  /** Items evicted to fit the byte bound or the quota. */
  evicted(items: unknown[]): void;
}

export interface TabStore {
  /** Store this page's unsent items (bounded; oldest evicted). */
  save(items: unknown[], closed?: boolean): void;
  /** Hold this page's lock (on start and after a bfcache restore) and adopt orphaned queues. */
  claim(): void;
  /** Release this page's lock (on pagehide, so bfcache works and another tab may adopt). */
  release(): void;
  /** Read back this page's stored items (after a bfcache restore another tab may have taken them). */
  own(): unknown[];
}

interface Record_ {
  t: number;
  c?: 1;
  e: unknown[];
}

/**
 * Each page keeps its unsent events under its own key, so that no two tabs send the same event.
 * A page holds a Web Lock named after its key while alive; a queue whose lock is free belongs to a
 * page that is gone and is adopted (moved) by exactly one live page, under that lock.
 * Without Web Locks, only queues marked closed on pagehide and older than 10 s are adopted.
 */
export function createTabStore(o: TabStoreOptions): TabStore {
  const base = o.prefix + ':q:';
  const key = base + o.tabId;
  let release: (() => void) | undefined;

  const read = (k: string): Record_ | undefined => {
    try {
      const r = JSON.parse(o.kv.get(k) || 'null') as Record_ | null;
      return r && Array.isArray(r.e) ? r : undefined;
    } catch {
      return undefined;
    }
  };

  const take = (k: string) => {
    const r = read(k);
    o.kv.del(k);
    if (r && r.e.length) o.adopt(r.e);
  };

  function adoptOrphans() {
    for (const k of o.kv.keys()) {
      if (k.indexOf(base) !== 0 || k === key) continue;
      if (o.locks) {
        void o.locks
          .request('tt:' + k, { ifAvailable: true }, (lock) => {
            if (lock) take(k);
          })
          .catch(() => undefined);
      } else {
        const r = read(k);
        if (!r || (r.c && o.now() - r.t > 10000)) take(k);
      }
    }
  }

  return {
    save(items, closed) {
      let e = items;
      if (!e.length) return o.kv.del(key);
      let body = JSON.stringify({ t: o.now(), c: closed ? 1 : undefined, e });
      while (body.length > o.maxBytes || !o.kv.set(key, body)) {
        const cut = Math.max(1, Math.ceil(e.length / 4));
        o.evicted(e.slice(0, cut));
        e = e.slice(cut);
        if (!e.length) return o.kv.del(key);
        body = JSON.stringify({ t: o.now(), c: closed ? 1 : undefined, e });
      }
    },
    claim() {
      if (o.locks && !release) {
        void o.locks
          .request('tt:' + key, {}, () => new Promise<void>((res) => (release = res)))
          .catch(() => undefined);
      }
      adoptOrphans();
    },
    release() {
      if (release) release();
      release = undefined;
    },
    own() {
      const r = read(key);
      return r ? r.e : [];
    },
  };
}
