import { createBudget } from '../delivery/budget';
import type { Flight } from '../delivery/queue';
import { retryAfterMs, type SendResult } from '../delivery/retryPolicy';
import { utf8Length } from '../lib/json';

/**
 * The built-ins delivery needs, taken when tracker.js loads: a theme that replaces or breaks them
 * later cannot stop delivery. One that broke them before is caught when they fail (below).
 */
type Later = (url: string, init: RequestInit) => unknown;
const g = globalThis as typeof globalThis & {
  fetch?: typeof fetch;
  XMLHttpRequest?: typeof XMLHttpRequest;
  fetchLater?: Later;
};
const nativeFetch = g.fetch;
/** Chromium's deferred fetch (135+): sent when the page is gone, from a 64 KiB quota of its own. */
const nativeLater = g.fetchLater;
const nav = g.navigator as Navigator | undefined;
const nativeBeacon = nav?.sendBeacon;
const XHR = g.XMLHttpRequest;

/**
 * The page's keepalive budget, shared by every tracker on the page. Chromium (156, measured): 65,536
 * bytes of request bodies (UTF-8; headers do not count) for keepalive `fetch` and `sendBeacon`
 * together, each held until its request completes; a refused beacon returns false, a refused
 * keepalive `fetch` rejects. At the `pagehide` of a page that is discarded the whole budget is there
 * again, whatever is in flight; not at one into the back/forward cache (e2e/bfcache.spec.ts).
 */
export const budget = createBudget(65536);
/** What `fetchLater` can still take (its quota throws when full; this is for planning). */
const later = createBudget(typeof nativeLater == 'function' ? 65536 : 0);
/** Bumped at a pagehide where the budget is whole again: bytes taken before are not given back after. */
let epoch = 0;
/** Give `n` bytes back later, unless the budget was made whole in between. */
const giver = (n: number) => {
  const e = epoch;
  return () => epoch == e && budget.give(n);
};
/** The browser knows it is offline (`onLine` true says nothing: it may be offline all the same). */
export const offline = (): boolean => nav?.onLine === false;
/** A beacon gives no answer: its bytes are given back after this long (a refusal shows if too soon). */
const BEACON_DONE = 5000;

let fetchBroken = typeof nativeFetch != 'function';
let beaconBroken = typeof nativeBeacon != 'function';
/** `fetch` has answered once on this page: a rejection after that is the network. */
let fetchAnswered = false;
/**
 * The browser's own `fetch` (not a page's replacement or wrapper): only its keepalive requests are
 * surely with the browser. Another one (it may never send, or never settle) has its batches taken
 * back at pagehide until it has answered once: a copy may arrive twice (same message ids), none is lost.
 */
let native = false;
try {
  native = /\{\s*\[native code\]\s*\}\s*$/.test(Function.prototype.toString.call(nativeFetch));
} catch {
  /* not a function, or a broken toString: not the browser's */
}
/**
 * The page is going (pagehide, until a pageshow). Registered when tracker.js loads, so before any
 * tracker's own pagehide work, which then finds the whole budget.
 */
let leaving = false;
// (Not in a browser, e.g. the ESM build imported for server-side rendering: nothing to listen to. A
// page's `addEventListener` that throws: this runs as tracker.js loads, outside its entry's guard.)
try {
  addEventListener('pagehide', (e) => {
    leaving = true;
    // Into the back/forward cache (`persisted`) the page lives on, and so does its quota: what is
    // in flight still counts (Chromium refuses more), before and after the page is back.
    if (!e.persisted) {
      epoch++;
      budget.give(65536);
    }
  });
  addEventListener('pageshow', () => (leaving = false));
} catch {
  /* the tracker cannot start either (E1); nothing is thrown into the page */
}
/**
 * Chromium rejects every `fetch` of a page that is going ("Failed to fetch") just before its
 * pagehide, in a microtask after the page's first pagehide listener (which may be the host page's):
 * one task later it is clear whether the page is going. Keepalive requests are delivered all the same.
 */
const nextTask = () => new Promise((r) => setTimeout(r));

/** A beacon of `n` bytes within the budget; false when refused or unavailable. */
const beacon = (url: string, body: string, n: number): boolean => {
  if (beaconBroken || !budget.take(n)) return false;
  try {
    if ((nativeBeacon as Navigator['sendBeacon']).call(nav, url, body)) {
      setTimeout(giver(n), BEACON_DONE);
      return true;
    }
  } catch {
    beaconBroken = true;
  }
  budget.give(n);
  return false;
};

/** `fetch` as captured; undefined (and never tried again) when it throws or gives no promise. */
const fetchNow = (url: string, body: string, keepalive: boolean): Promise<Response> | undefined => {
  if (fetchBroken) return;
  try {
    // The browser's own fetch gets options with no prototype: it reads each option through the
    // chain, so a page's `Object.prototype.mode` or `.integrity` would be this request's. A page's
    // wrapper gets a plain object, which it may treat as one (`init.hasOwnProperty(…)`): a
    // `__proto__` that is not an object or null is ignored.
    const p = (nativeFetch as typeof fetch).call(g, url, {
      __proto__: native && null,
      method: 'POST',
      body,
      credentials: 'omit',
      keepalive,
    } as RequestInit);
    if (typeof p?.then == 'function') return p;
  } catch {
    /* a "polyfill" that throws: broken */
  }
  fetchBroken = true;
};

/** POST by XMLHttpRequest (the last resort: it does not outlive the page). */
const xhr = (url: string, body: string): Promise<SendResult> =>
  new Promise<SendResult>((r) => {
    const x = new (XHR as typeof XMLHttpRequest)();
    x.open('POST', url);
    // (An error or abort has status 0 and no headers, so no Retry-After.)
    x.onload =
      x.onerror =
      x.onabort =
        () => {
          // (From the headers the answer exposes: asking for one it does not expose by name, as most
          // collectors do not expose Retry-After, logs an error in the page's console. A page's
          // XMLHttpRequest whose getAllResponseHeaders() throws: the answer all the same, without it.)
          let h = '';
          try {
            h = x.getAllResponseHeaders();
          } catch {
            /* no Retry-After */
          }
          r({
            status: x.status,
            retryAfter: retryAfterMs(/^retry-after:(.*)/im.exec(h)?.[1], Date.now()),
            via: 'xhr',
          });
        };
    // (No timeout set, so no `timeout` event: a hang is the queue's timeout.)
    x.send(body);
  }).catch((): SendResult => ({ status: 0 }));

/**
 * POST a batch while the page lives (a string body is sent as `text/plain`, a CORS-simple request:
 * no preflight). Keepalive `fetch` when it fits the budget, waiting for room while other keepalive
 * bodies are in flight; `flight.kept` is set when the batch is with the browser in a way that
 * outlives the page. When `fetch` is missing, throws, or fails where XMLHttpRequest gets an answer,
 * it is not used again: a beacon, else XMLHttpRequest. Never rejects; Retry-After comes back in ms.
 * `body` writes the body, at each request (its `sentAt` is when the request goes, after a wait for
 * room); its length stays the same.
 */
export const post = async (url: string, body: () => string, flight: Flight<unknown>): Promise<SendResult> => {
  const n = utf8Length(body());
  // Keepalive needs room in the budget: wait for it while keepalive bodies are in flight (not with
  // fetch broken: a beacon within the budget, else XMLHttpRequest at once).
  const reserved = !fetchBroken && (await budget.reserve(n, () => flight.over || leaving));
  // Gives the reserved bytes back (none when not reserved).
  const done = reserved ? giver(n) : () => {};
  if (flight.over || leaving) {
    done();
    // After pagehide a new request may be refused (as a tab closes, the browser's quota still counts
    // what is in flight; an XMLHttpRequest may go and still be taken back): the batch stays unkept,
    // for pagehide to take back, beacon or store. (Sends that waited for room wake here when bytes
    // come back: at the pagehide of a discarded page, or, into the bfcache, as requests in flight settle.)
    return flight.over ? { status: 0 } : new Promise(() => undefined);
  }
  // Keepalive when reserved (a broken fetch is not tried: no request, nothing to keep).
  const p = fetchNow(url, body(), reserved);
  if (p) {
    flight.kept = reserved && (native || fetchAnswered);
    // Another `fetch` that has never answered may never settle (its bytes held, and the check
    // below never made): after 10 s it counts as failed.
    return (
      native || fetchAnswered ? p : Promise.race([p, new Promise<never>((_, no) => setTimeout(no, 1e4))])
    ).then(
      (r) => {
        fetchAnswered = true;
        // Chromium counts a keepalive request against the budget until its body is read.
        r.text().then(done, done);
        return { status: r.status, retryAfter: retryAfterMs(r.headers.get('Retry-After'), Date.now()) };
      },
      async (): Promise<SendResult> => {
        done();
        await nextTask();
        // The page is going, not the request: a keepalive one is with the browser, which delivers it.
        // (Taken back meanwhile, as at a pagehide into the bfcache: the batch is no longer this send's.)
        if (flight.over || leaving) return flight.kept ? { status: 202, via: 'keepalive' } : { status: 0 };
        // Not with the browser after all: if the page goes now, the batch is taken back.
        flight.kept = false;
        if (fetchAnswered) return { status: 0 };
        // A fetch that never answered on this page: the network, or a broken fetch? XMLHttpRequest
        // tells, with the batch itself: a collector without CORS headers gets it twice (the same
        // message ids), but one behind a broken fetch gets it at all.
        const x = await xhr(url, body());
        if (x.status) fetchBroken = true;
        return x;
      },
    );
  }
  // Not sent by fetch (broken, or it threw): the bytes it reserved are given back.
  done();
  // (A beaconed batch is answered at once: no pagehide comes before, to ask whether it is kept.)
  if (beacon(url, body(), n)) return { status: 202, via: 'beacon' };
  return xhr(url, body());
};

/**
 * Hand a body to the browser so that it outlives the page: a beacon; when the beacon quota is full,
 * Chromium's `fetchLater` (a quota of its own, sent as the page goes); without `sendBeacon`, a
 * keepalive `fetch`. False when none can take it.
 */
export const unload = (url: string, body: string): boolean => {
  // (offline, a beacon is taken and then lost: what cannot go is stored, or reported dropped)
  if (offline()) return false;
  const n = utf8Length(body);
  if (beacon(url, body, n)) return true;
  if (later.take(n))
    try {
      (nativeLater as Later).call(g, url, {
        __proto__: null,
        method: 'POST',
        body,
        credentials: 'omit',
      } as RequestInit);
      return true;
    } catch {
      later.take(later.room()); // full (QuotaExceededError) or unusable: not tried again
    }
  // A beacon refused means the keepalive quota is spent: a keepalive fetch would be refused too.
  if (!beaconBroken || !budget.take(n)) return false;
  const done = giver(n);
  const p = fetchNow(url, body, true);
  if (p) p.then((r) => r.text()).then(done, done);
  else done();
  return !!p;
};

/** Bytes that can still be handed over to outlive the page (the keepalive budget, and `fetchLater`'s). */
export const room = (): number => budget.room() + later.room();
