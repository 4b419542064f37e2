// post()'s answer to a `fetch` that rejects: a broken fetch (replaced by XMLHttpRequest), a collector
// without CORS headers (nothing lost), the network, and a page that is going.
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { Flight } from '../src/delivery/queue';

/** What reached the collector: one entry per request, with its body. */
type Hit = { via: 'fetch' | 'xhr' | 'beacon'; body: string };

/**
 * transport.ts with the built-ins it captures at load: `fetch` as given, an XMLHttpRequest that
 * answers `xhrStatus` (0: blocked, as without CORS headers, or no network), a beacon the browser
 * takes, and the window's pagehide listeners (so a test can make the page go).
 */
async function load(
  fetch: (hits: Hit[], body: string, init: RequestInit) => Promise<Response>,
  xhrStatus: number,
  native = true,
  /** The Retry-After header of XMLHttpRequest's answer, exposed to the page (null: none, or not exposed). */
  xhrRetryAfter: string | null = null,
  /** A page's XMLHttpRequest whose getAllResponseHeaders() throws. */
  headersThrow = false,
) {
  /** Headers the page asked for by name that the answer does not expose: Chromium logs an error for each. */
  const unsafe: string[] = [];
  const hits: Hit[] = [];
  const pagehide: Array<(e: { persisted: boolean }) => void> = [];
  const pageshow: Array<(e: { persisted: boolean }) => void> = [];
  let xhrs = 0;
  class FakeXHR {
    status = 0;
    onload?: () => void;
    onerror?: () => void;
    onabort?: () => void;
    open() {}
    // As a browser: a cross-origin answer shows only its exposed headers (lower case); asking for
    // another by name gives null and logs `Refused to get unsafe header` in the page's console.
    // An error or abort (status 0) has no headers: "".
    getAllResponseHeaders() {
      if (headersThrow) throw new Error('broken getAllResponseHeaders');
      if (!this.status) return '';
      return (
        'content-type: text/plain\r\n' + (xhrRetryAfter === null ? '' : `retry-after: ${xhrRetryAfter}\r\n`)
      );
    }
    getResponseHeader(name: string) {
      if (name.toLowerCase() === 'retry-after' && xhrRetryAfter !== null) return xhrRetryAfter;
      if (name.toLowerCase() !== 'content-type') unsafe.push(name);
      return null;
    }
    send(body: string) {
      xhrs++;
      hits.push({ via: 'xhr', body });
      setTimeout(() => {
        this.status = xhrStatus;
        if (xhrStatus) this.onload?.();
        else this.onerror?.();
      }, 1);
    }
  }
  vi.resetModules();
  const f = (_url: string, init: RequestInit) => fetch(hits, init.body as string, init);
  // (a bound function reads as `[native code]`, as the browser's own fetch does)
  vi.stubGlobal('fetch', native ? f.bind(null) : f);
  vi.stubGlobal('XMLHttpRequest', FakeXHR);
  vi.stubGlobal('navigator', {
    sendBeacon: (_url: string, body: string) => (hits.push({ via: 'beacon', body }), true),
  });
  vi.stubGlobal('addEventListener', (type: string, fn: (e: { persisted: boolean }) => void) => {
    if (type === 'pagehide') pagehide.push(fn);
    if (type === 'pageshow') pageshow.push(fn);
  });
  const t = await import('../src/browser/transport');
  return {
    t,
    hits,
    xhrs: () => xhrs,
    unsafe,
    /** pagehide; `persisted`: into the back/forward cache (the page lives on). */
    leave: (persisted = false) => pagehide.forEach((f) => f({ persisted })),
    back: () => pageshow.forEach((f) => f({ persisted: true })),
  };
}

const flight = (): Flight<unknown> => ({ items: [] });
const refused = () => Promise.reject(new TypeError('Failed to fetch'));
const ok = (): Promise<Response> =>
  Promise.resolve({ status: 200, headers: new Headers(), text: () => Promise.resolve('') } as Response);
/** The batches that reached the collector. */
const batches = (hits: Hit[]) => hits.map((h) => h.via + ' ' + h.body);

describe('post() when fetch rejects', () => {
  afterEach(() => {
    vi.useRealTimers();
    vi.unstubAllGlobals();
  });

  it('a fetch that rejects where XMLHttpRequest is answered is broken: the batch goes once, by XHR, and fetch is not tried again', async () => {
    // (A broken fetch sends nothing.)
    const fetch = vi.fn(refused);
    const { t, hits } = await load(fetch, 200);
    expect(await t.post('/collect', () => '[1]', flight())).toMatchObject({ status: 200, via: 'xhr' });
    expect(await t.post('/collect', () => '[2]', flight())).toMatchObject({ status: 202, via: 'beacon' });
    expect(batches(hits)).toEqual(['xhr [1]', 'beacon [2]']);
    expect(fetch).toHaveBeenCalledTimes(1);
  });

  it('once fetch is broken, a batch that does not fit the keepalive budget goes by XHR at once, not after the beacons in flight', async () => {
    // (It waited for room: beacons hold theirs for 5 s, so a busy page sent 64 KiB per 5 s, and at
    // pagehide the rest was stored, or dropped without consent.)
    vi.useFakeTimers();
    const { t, hits } = await load(() => {
      throw new TypeError('blocked');
    }, 200);
    const a = 'a'.repeat(40000);
    const b = 'b'.repeat(40000);
    expect(await t.post('/collect', () => a, flight())).toMatchObject({ status: 202, via: 'beacon' });
    let second: unknown;
    void t.post('/collect', () => b, flight()).then((r) => (second = r));
    await vi.advanceTimersByTimeAsync(10);
    expect(second).toMatchObject({ status: 200, via: 'xhr' });
    expect(hits.map((h) => h.via + ' ' + h.body[0] + h.body.length)).toEqual(['beacon a40000', 'xhr b40000']);
  });

  it('a collector without CORS headers gets each attempt’s batch twice (fetch, and the XHR check carrying it): nothing is lost', async () => {
    // The request reaches the collector; the page cannot read the answer, so fetch rejects. The
    // check cannot tell this from a broken fetch, where only its copy arrives (the copies share
    // their message ids, which the collector drops).
    const { t, hits } = await load((hits, body) => (hits.push({ via: 'fetch', body }), refused()), 0);
    expect(await t.post('/collect', () => '[1]', flight())).toMatchObject({ status: 0 });
    expect(batches(hits)).toEqual(['fetch [1]', 'xhr [1]']);
  });

  it('a keepalive fetch that rejects while the page stays no longer counts as kept (pagehide takes the batch back)', async () => {
    let reject: (e: Error) => void = () => undefined;
    const { t } = await load(() => new Promise((_, r) => (reject = r)), 0);
    const f = flight();
    const sent = t.post('/collect', () => '[1]', f);
    await vi.waitFor(() => expect(f.kept).toBe(true)); // with the browser while the fetch is out
    reject(new TypeError('Failed to fetch'));
    await sent;
    expect(f.kept).toBe(false);
  });

  it('once fetch has answered on this page, a rejection is the network: no XMLHttpRequest', async () => {
    let n = 0;
    const { t, xhrs } = await load(() => (n++ ? refused() : ok()), 200);
    expect(await t.post('/collect', () => '[1]', flight())).toMatchObject({ status: 200 });
    expect(await t.post('/collect', () => '[2]', flight())).toEqual({ status: 0 });
    expect(xhrs()).toBe(0);
  });

  it('a keepalive fetch rejected because the page is going is with the browser: sent, no XMLHttpRequest', async () => {
    const { t, xhrs, leave } = await load(() => {
      // Chromium rejects the page's fetches just before its pagehide listeners run.
      queueMicrotask(leave);
      return refused();
    }, 200);
    const f = flight();
    expect(await t.post('/collect', () => '[1]', f)).toEqual({ status: 202, via: 'keepalive' });
    expect(f.kept).toBe(true);
    expect(xhrs()).toBe(0);
  });

  it('a fetch that is not the browser’s own and has not answered yet: its batch is not kept, so pagehide takes it back', async () => {
    // A page's replacement that never settles (or never sends): only the take-back at pagehide saves it.
    let answer: () => void = () => undefined;
    let n = 0;
    const { t } = await load(
      () => (n++ ? new Promise(() => undefined) : new Promise((r) => (answer = () => r(ok())))),
      200,
      false,
    );
    const first = flight();
    const sent = t.post('/collect', () => '[1]', first);
    await vi.waitFor(() => expect(n).toBe(1));
    expect(first.kept).toBe(false);
    // Once it has answered on this page, its keepalive requests are trusted like the browser's.
    answer();
    await sent;
    const second = flight();
    void t.post('/collect', () => '[2]', second);
    await vi.waitFor(() => expect(second.kept).toBe(true));
  });
});

describe('post() when fetch never settles', () => {
  afterEach(() => {
    vi.useRealTimers();
    vi.unstubAllGlobals();
  });

  it('a fetch that is not the browser’s own and never settles counts as failed after 10 s: XMLHttpRequest carries the batch, fetch is not tried again, its bytes come back', async () => {
    // (A page's replacement that returns a promise it never settles: without this, each batch held
    // its bytes of the keepalive budget for ever, and nothing was sent while the page lived.)
    vi.useFakeTimers();
    const fetch = vi.fn(() => new Promise<Response>(() => undefined));
    const { t, hits } = await load(fetch, 200, false);
    let first: unknown;
    void t.post('/collect', () => '[1]', flight()).then((r) => (first = r));
    await vi.advanceTimersByTimeAsync(9999);
    expect([first, t.room()]).toEqual([undefined, 65536 - 3]);
    await vi.advanceTimersByTimeAsync(10); // (then the XHR check)
    expect(first).toMatchObject({ status: 200, via: 'xhr' });
    expect(t.room()).toBe(65536);
    expect(await t.post('/collect', () => '[2]', flight())).toMatchObject({ status: 202, via: 'beacon' });
    expect(batches(hits)).toEqual(['xhr [1]', 'beacon [2]']);
    expect(fetch).toHaveBeenCalledTimes(1);
  });

  it('a batch taken back before its 10 s are up (pagehide into the bfcache, then back) is not sent again by the XMLHttpRequest check', async () => {
    // (Pagehide beacons or stores a batch that is not with the browser: a copy by XMLHttpRequest
    // once the page is back would send its events twice.)
    vi.useFakeTimers();
    const fetch = vi.fn(() => new Promise<Response>(() => undefined));
    const { t, hits, leave, back, xhrs } = await load(fetch, 200, false);
    const f = flight();
    let first: unknown;
    void t.post('/collect', () => '[1]', f).then((r) => (first = r));
    await vi.advanceTimersByTimeAsync(3000);
    leave(true);
    f.taken = f.over = true; // as the queue's take('unkept') at pagehide
    back();
    await vi.advanceTimersByTimeAsync(8000);
    expect([first, xhrs(), batches(hits)]).toEqual([{ status: 0 }, 0, []]);
    // fetch was not found broken: the next batch tries it again
    void t.post('/collect', () => '[2]', flight());
    await vi.advanceTimersByTimeAsync(0);
    expect(fetch).toHaveBeenCalledTimes(2);
  });

  it('with the tracker: an event whose fetch never settles, the page into the bfcache and back within 10 s, arrives once (by the beacon of pagehide)', async () => {
    vi.useFakeTimers();
    const { t, hits, leave, back } = await load(() => new Promise<Response>(() => undefined), 200, false);
    const { createCore } = await import('../src/core/createCore');
    const { fakeEnv } = await import('./helpers/fakeEnv');
    const env = fakeEnv();
    Object.assign(env.env, { post: t.post, unload: t.unload, room: t.room });
    const o = {
      endpoint: 'https://c.example/collect',
      consent: 'granted',
      webVitals: false,
      autoPage: false,
    } as const;
    createCore(o, env.env).track('A');
    await vi.advanceTimersByTimeAsync(3000); // A goes by fetch, which never settles
    leave(true);
    env.hide(true); // pagehide, into the bfcache: A is not with the browser, it is beaconed
    back();
    env.show(true);
    await vi.advanceTimersByTimeAsync(20000);
    const events = (h: Hit) =>
      (JSON.parse(h.body) as { batch: Array<{ event: string }> }).batch.map((e) => e.event);
    expect(hits.map((h) => h.via + ' ' + events(h).join())).toEqual(['beacon A']);
  });

  it('the browser’s own fetch is waited for (a collector that does not answer: the queue’s timeout decides)', async () => {
    vi.useFakeTimers();
    const { t, hits, xhrs } = await load(() => new Promise<Response>(() => undefined), 200);
    let first: unknown;
    void t.post('/collect', () => '[1]', flight()).then((r) => (first = r));
    await vi.advanceTimersByTimeAsync(60000);
    expect([first, xhrs(), hits.length, t.room()]).toEqual([undefined, 0, 0, 65536 - 3]);
  });
});

describe('post() around pagehide', () => {
  afterEach(() => vi.unstubAllGlobals());

  it('a send that waited for room in the keepalive budget is not started when pagehide frees it: it stays unkept, for pagehide to take back', async () => {
    // (As a tab closes, Chromium's quota still counts the requests in flight: a keepalive fetch
    // started then is refused, a beacon too, and an XMLHttpRequest may arrive and still be taken back.)
    const { t, hits, leave, xhrs } = await load((hits, body) => {
      hits.push({ via: 'fetch', body });
      return new Promise(() => undefined); // in flight until the page goes
    }, 200);
    void t.post('/collect', () => 'x'.repeat(60000), flight());
    void t.post('/collect', () => '[2]', flight()); // 60,000 + 3 bytes fit
    const waiting = flight();
    let settled = false;
    void t.post('/collect', () => 'y'.repeat(6000), waiting).then(() => (settled = true)); // waits for room
    await new Promise((r) => setTimeout(r, 5));
    leave(); // pagehide: the budget is whole again
    await new Promise((r) => setTimeout(r, 20));
    expect(hits.map((h) => h.via + ' ' + h.body.length)).toEqual(['fetch 60000', 'fetch 3']);
    expect([waiting.kept, settled, xhrs()]).toEqual([undefined, false, 0]);
    // The budget is left whole for pagehide's own beacons.
    expect(t.room()).toBeGreaterThanOrEqual(65536);
  });
});

describe('the keepalive budget around the back/forward cache', () => {
  afterEach(() => vi.unstubAllGlobals());

  it('a pagehide into the bfcache does not make the budget whole: the requests in flight still count, before and after the page is back', async () => {
    // Chromium (e2e/bfcache.spec.ts, a slow collector): a page that went into the bfcache with 58 KB of
    // keepalive batches in flight had a 29 KB batch refused when back (the rejection read as "the page
    // is going, the browser has it": 15 events reported delivered, never sent), and its next pagehide's
    // beacon refused too. Only a page that is discarded finds the whole budget at its pagehide.
    let answer = () => {};
    const { t, hits, leave, back } = await load((hits, body) => {
      hits.push({ via: 'fetch', body });
      return hits.length > 1 ? ok() : new Promise<Response>((r) => (answer = () => void ok().then(r)));
    }, 200);
    void t.post('/collect', () => 'x'.repeat(60000), flight());
    await new Promise((r) => setTimeout(r, 5));
    leave(true); // into the bfcache: the 60,000 bytes are still in flight
    expect(t.room()).toBe(65536 - 60000);
    // (no fetchLater here) a beacon that the browser would refuse is not tried: stored or reported instead
    expect(t.unload('/collect', 'b'.repeat(10000))).toBe(false);
    expect(hits.map((h) => h.via + ' ' + h.body.length)).toEqual(['fetch 60000']);
    back();
    const second = t.post('/collect', () => 'y'.repeat(20000), flight()); // waits for the first
    await new Promise((r) => setTimeout(r, 5));
    expect(hits).toHaveLength(1);
    answer();
    expect(await second).toMatchObject({ status: 200 });
    expect(hits.map((h) => h.via + ' ' + h.body.length)).toEqual(['fetch 60000', 'fetch 20000']);
  });
});

describe('post() after a wait for room', () => {
  afterEach(() => vi.unstubAllGlobals());

  it('writes the body when the request goes: a batch that waited for room in the budget has the sentAt of then', async () => {
    // (Segment corrects each event's time by `sentAt`: a body written before the wait would shift
    // the batch's events later by as long as it waited.)
    let answer = () => {};
    const { t, hits } = await load((hits, body) => {
      hits.push({ via: 'fetch', body });
      return hits.length > 1 ? ok() : new Promise<Response>((r) => (answer = () => void ok().then(r)));
    }, 200);
    let sentAt = '10:00:00';
    const body = (pad: string) => () => '{"sentAt":"' + sentAt + '"}' + pad;
    void t.post('/collect', body('x'.repeat(60000)), flight());
    const second = t.post('/collect', body('y'.repeat(6000)), flight()); // waits for room
    await new Promise((r) => setTimeout(r, 5));
    sentAt = '10:00:05';
    answer(); // the first answers: its bytes are given back, the second goes
    expect(await second).toMatchObject({ status: 200 });
    expect(hits.map((h) => h.via + ' ' + h.body.slice(0, 21) + ' ' + h.body.length)).toEqual([
      'fetch {"sentAt":"10:00:00"} 60021',
      'fetch {"sentAt":"10:00:05"} 6021',
    ]);
  });
});

describe('post() by fetch', () => {
  afterEach(() => vi.unstubAllGlobals());

  it('a CORS-simple POST without credentials (no cookies go to the collector), keepalive when the body fits the budget', async () => {
    const inits: RequestInit[] = [];
    const { t } = await load((_hits, _body, init) => (inits.push(init), ok()), 200);
    expect(await t.post('/collect', () => '[1]', flight())).toEqual({ status: 200, retryAfter: undefined });
    // More than the whole budget: sent all the same, without keepalive.
    const big = 'x'.repeat(65537);
    expect(await t.post('/collect', () => big, flight())).toEqual({ status: 200, retryAfter: undefined });
    expect(inits).toEqual([
      { method: 'POST', body: '[1]', keepalive: true, credentials: 'omit' },
      { method: 'POST', body: big, keepalive: false, credentials: 'omit' },
    ]);
  });

  it("the browser's own fetch gets options with no prototype (it reads each through the chain); a page's wrapper gets a plain object", async () => {
    for (const native of [true, false]) {
      const inits: RequestInit[] = [];
      // (a wrapper that treats its init as an object: it would throw on one without a prototype)
      const { t } = await load(
        // eslint-disable-next-line no-prototype-builtins -- what such a wrapper does
        (_hits, _body, init) => (native || init.hasOwnProperty('headers'), inits.push(init), ok()),
        200,
        native,
      );
      await t.post('/collect', () => '[1]', flight());
      expect(inits.map((i) => Object.getPrototypeOf(i))).toEqual([native ? null : Object.prototype]);
      vi.unstubAllGlobals();
    }
  });
});

describe('post(): the answer', () => {
  afterEach(() => {
    vi.useRealTimers();
    vi.unstubAllGlobals();
  });
  const answer = (status: number, retryAfter?: string) =>
    Promise.resolve({
      status,
      headers: new Headers(retryAfter ? { 'Retry-After': retryAfter } : {}),
      text: () => Promise.resolve(''),
    } as Response);

  it('Retry-After (seconds or an HTTP date) comes back in ms, from fetch and from XMLHttpRequest', async () => {
    vi.useFakeTimers({ toFake: ['Date'] });
    vi.setSystemTime(Date.parse('2026-11-22T10:00:00Z'));
    let n = 0;
    const { t } = await load(
      () => (n++ ? answer(503, 'Sun, 22 Nov 2026 10:02:00 GMT') : answer(429, '120')),
      200,
    );
    expect(await t.post('/collect', () => '[1]', flight())).toEqual({ status: 429, retryAfter: 120000 });
    expect(await t.post('/collect', () => '[2]', flight())).toEqual({ status: 503, retryAfter: 120000 });
    // A broken fetch: XMLHttpRequest's answer is read the same way.
    const x = await load(refused, 503, true, '30');
    expect(await x.t.post('/collect', () => '[3]', flight())).toEqual({
      status: 503,
      retryAfter: 30000,
      via: 'xhr',
    });
    expect(x.unsafe).toEqual([]);
  });

  it('XMLHttpRequest: a collector that does not expose Retry-After is not asked for it (Chromium logs an error in the page for each such read)', async () => {
    const x = await load(refused, 503, true);
    expect(await x.t.post('/collect', () => '[1]', flight())).toEqual({
      status: 503,
      retryAfter: undefined,
      via: 'xhr',
    });
    expect(await x.t.post('/collect', () => '[2]', flight())).toMatchObject({ via: 'beacon' });
    expect(x.unsafe).toEqual([]);
  });

  it("a page's XMLHttpRequest whose getAllResponseHeaders() throws: its answer is taken all the same (not left to the queue's 30 s timeout), and nothing is thrown into the page", async () => {
    const x = await load(refused, 503, true, '30', true);
    const thrown: unknown[] = [];
    const onError = (e: unknown) => thrown.push(e);
    process.on('uncaughtException', onError);
    try {
      expect(await x.t.post('/collect', () => '[1]', flight())).toEqual({
        status: 503,
        retryAfter: undefined,
        via: 'xhr',
      });
    } finally {
      process.off('uncaughtException', onError);
    }
    expect(thrown).toEqual([]);
  });

  it('a keepalive fetch holds its bytes of the budget until its response body is read', async () => {
    let read: () => void = () => undefined;
    const { t } = await load(
      () =>
        Promise.resolve({
          status: 200,
          headers: new Headers(),
          text: () => new Promise<string>((r) => (read = () => r(''))),
        } as Response),
      200,
    );
    expect(await t.post('/collect', () => 'x'.repeat(1000), flight())).toEqual({
      status: 200,
      retryAfter: undefined,
    });
    await new Promise((r) => setTimeout(r, 5));
    expect(t.room()).toBe(64536);
    read();
    await new Promise((r) => setTimeout(r, 5));
    expect(t.room()).toBe(65536);
  });

  it('a fetch that throws (a broken polyfill) gives back what it reserved: every batch goes by beacon, the budget whole 5 s after each', async () => {
    vi.useFakeTimers();
    const fetch = vi.fn(() => {
      throw new TypeError('not implemented');
    });
    const { t, hits } = await load(fetch, 200);
    const got: unknown[] = [];
    for (const body of ['a', 'b', 'c'].map((c) => c.repeat(30000))) {
      void t.post('/collect', () => body, flight()).then((r) => got.push(r));
      await vi.advanceTimersByTimeAsync(5000);
      expect(t.room()).toBe(65536);
    }
    expect(got).toEqual([0, 1, 2].map(() => ({ status: 202, via: 'beacon' })));
    expect(hits.map((h) => h.via + ' ' + h.body[0])).toEqual(['beacon a', 'beacon b', 'beacon c']);
    expect(fetch).toHaveBeenCalledTimes(1);
  });
});

describe('the keepalive budget after a beacon', () => {
  afterEach(() => {
    vi.useRealTimers();
    vi.unstubAllGlobals();
  });

  it('a beacon holds its bytes for 5 s: a batch waiting for room then goes by keepalive fetch', async () => {
    vi.useFakeTimers();
    const { t, hits } = await load((hits, body) => (hits.push({ via: 'fetch', body }), ok()), 200);
    // A tab switch beacons 60,000 bytes: 5,536 of the 65,536 are left.
    expect(t.unload('/collect', 'x'.repeat(60000))).toBe(true);
    expect(t.room()).toBe(5536);
    const f = flight();
    let answer: unknown;
    void t.post('/collect', () => 'y'.repeat(10000), f).then((r) => (answer = r));
    await vi.advanceTimersByTimeAsync(4999);
    expect(t.room()).toBe(5536);
    expect(hits.map((h) => h.via + ' ' + h.body.length)).toEqual(['beacon 60000']);
    expect(answer).toBeUndefined();
    await vi.advanceTimersByTimeAsync(1);
    expect(hits.map((h) => h.via + ' ' + h.body.length)).toEqual(['beacon 60000', 'fetch 10000']);
    expect(f.kept).toBe(true);
    expect(answer).toEqual({ status: 200, retryAfter: undefined });
    // Its response read, the keepalive fetch gives its bytes back too.
    expect(t.room()).toBe(65536);
  });
});

describe('transport.ts as tracker.js loads', () => {
  afterEach(() => vi.unstubAllGlobals());

  it("a page's addEventListener that throws is not thrown into the page, and posts still go", async () => {
    vi.stubGlobal('addEventListener', () => {
      throw new Error('hostile');
    });
    vi.resetModules();
    vi.stubGlobal('fetch', ok.bind(null)); // (bound: reads as the browser's own)
    const t = await import('../src/browser/transport');
    expect(await t.post('/collect', () => '[1]', flight())).toMatchObject({ status: 200 });
  });
});

describe('unload() offline', () => {
  afterEach(() => vi.unstubAllGlobals());

  it('hands nothing to the browser while it knows it is offline (a beacon would be taken, then lost)', async () => {
    const { t, hits } = await load(ok, 200);
    expect(t.unload('/collect', '[1]')).toBe(true);
    (navigator as { onLine?: boolean }).onLine = false; // (the navigator transport.ts took at load)
    expect(t.unload('/collect', '[2]')).toBe(false);
    expect(batches(hits)).toEqual(['beacon [1]']);
  });
});
