import { createBudget } from '../delivery/budget';
import type { Flight } from '../delivery/queue';
import { retryAfterMs, type SendResult } from '../delivery/retryPolicy';
import { utf8Length } from '../lib/json';

/**
 * The built-ins delivery needs, taken when tracker.js loads: a theme that replaces or breaks them
 * later cannot stop delivery. One that broke them before is caught when they fail (below).
 */
const g = globalThis as typeof globalThis & { fetch?: typeof fetch; XMLHttpRequest?: typeof XMLHttpRequest };
const nativeFetch = g.fetch;
const nav = g.navigator as Navigator | undefined;
const nativeBeacon = nav && nav.sendBeacon;
const XHR = g.XMLHttpRequest;

/**
 * The page's keepalive budget (Chromium: 64 KiB of `fetch` keepalive bodies and beacons together,
 * until each response is read), shared by every tracker on the page.
 */
export const budget = createBudget(65536);
/** A beacon gives no answer: its bytes are given back after this long (a refusal shows if too soon). */
const BEACON_DONE = 5000;

let fetchBroken = typeof nativeFetch != 'function';
let beaconBroken = typeof nativeBeacon != 'function';
/** `fetch` has answered once on this page: a rejection after that is the network. */
let fetchAnswered = false;

/** A beacon of `n` bytes within the budget; false when refused or unavailable. */
function beacon(url: string, body: string, n: number): boolean {
  if (beaconBroken || !budget.take(n)) return false;
  try {
    if ((nativeBeacon as Navigator['sendBeacon']).call(nav, url, body)) {
      setTimeout(() => budget.give(n), BEACON_DONE);
      return true;
    }
  } catch {
    beaconBroken = true;
  }
  budget.give(n);
  return false;
}

/** `fetch` as captured; undefined (and never tried again) when it throws or gives no promise. */
function fetchNow(url: string, body: string, keepalive: boolean): Promise<Response> | undefined {
  if (fetchBroken) return;
  try {
    const p = (nativeFetch as typeof fetch).call(g, url, {
      method: 'POST',
      body,
      keepalive,
      credentials: 'omit',
    });
    if (p && typeof p.then == 'function') return p;
  } catch {
    /* a "polyfill" that throws: broken */
  }
  fetchBroken = true;
}

/** POST by XMLHttpRequest (the last resort: it does not outlive the page). */
function xhr(url: string, body: string): Promise<SendResult> {
  return new Promise<SendResult>((r) => {
    const x = new (XHR as typeof XMLHttpRequest)();
    x.open('POST', url);
    x.onload = () =>
      r({
        status: x.status,
        retryAfter: retryAfterMs(x.getResponseHeader('Retry-After'), Date.now()),
        via: 'xhr',
      });
    x.onerror = x.ontimeout = x.onabort = () => r({ status: 0, via: 'xhr' });
    x.send(body);
  }).catch((): SendResult => ({ status: 0 }));
}

/**
 * POST a batch while the page lives (a string body is sent as `text/plain`, a CORS-simple request:
 * no preflight). Keepalive `fetch` when it fits the budget, waiting for room while other keepalive
 * bodies are in flight; `flight.kept` is set when the batch is with the browser in a way that
 * outlives the page. When `fetch` is missing, throws, or fails where XMLHttpRequest gets an answer,
 * it is not used again: a beacon, else XMLHttpRequest. Never rejects; Retry-After comes back in ms.
 */
export async function post(url: string, body: string, flight: Flight<unknown>): Promise<SendResult> {
  const n = utf8Length(body);
  const fits = await budget.when(n, () => flight.over);
  if (flight.over) return { status: 0 };
  const kept = fits && !fetchBroken && budget.take(n);
  const p = fetchNow(url, body, kept);
  if (p) {
    flight.kept = kept;
    const done = () => kept && budget.give(n);
    return p.then(
      (r) => {
        fetchAnswered = true;
        // Chromium counts a keepalive request against the budget until its body is read.
        r.text().then(done, done);
        return { status: r.status, retryAfter: retryAfterMs(r.headers.get('Retry-After'), Date.now()) };
      },
      async () => {
        done();
        if (fetchAnswered) return { status: 0 };
        // A fetch that never answered on this page: the network, or a broken fetch? XMLHttpRequest tells.
        const x = await xhr(url, body);
        if (x.status) fetchBroken = true;
        return x;
      },
    );
  }
  if (kept) budget.give(n);
  if (beacon(url, body, n)) {
    flight.kept = true;
    return { status: 202, via: 'beacon' };
  }
  return xhr(url, body);
}

/**
 * Hand a body to the browser so that it outlives the page (a beacon, else a keepalive `fetch`),
 * within the budget; false when neither can take it.
 */
export function unload(url: string, body: string): boolean {
  const n = utf8Length(body);
  if (beacon(url, body, n)) return true;
  if (!budget.take(n)) return false;
  const done = () => budget.give(n);
  const p = fetchNow(url, body, true);
  if (p) p.then((r) => r.text()).then(done, done);
  else done();
  return !!p;
}

/** Bytes that can still be handed over to outlive the page. */
export const room = (): number => budget.room();
