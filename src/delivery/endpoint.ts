import type { TrackerEvent } from '../schema';
import { isoTime } from '../event/build';
import type { KV } from '../lib/kv';
import { stringify, utf8Length } from '../lib/json';
import type { Log } from '../lib/log';
import { BEACON_BYTES, planBeacons } from './beacon';
import type { QueueSettings } from './callback';
import { createQueue } from './queue';
import type { Reports } from './reports';
import type { Destination } from './router';
import { createTabStore, type Locks, type TabStoreOptions } from './tabStore';
import type { Transport } from './transport';
import { batchBody } from './wire';

/**
 * A batch carries at most this many bytes of events, so that it can go with keepalive (the page's
 * budget is 64 KiB) while another is in flight, and every engine takes it (Segment: 500 KB).
 */
export const MAX_BATCH_BYTES = 30000;

export interface EndpointDeps extends Transport {
  /** The endpoint URL, the write key (read at each send) and the storage key prefix. */
  options: { endpoint?: string; writeKey?: string; storagePrefix: string };
  /** Calls back when the browser comes back online; returns the unbind. */
  online(cb: () => void): () => void;
  /** Calls back once the page is idle after its load (work that can wait). */
  idle(cb: () => void): void;
  kv: KV;
  locks?: Locks;
  uuid(): string;
  queue: QueueSettings;
  reports: Reports;
  json(e: TrackerEvent): string;
  log: Log;
}

/**
 * The endpoint: batches by `fetch` (keepalive while the budget allows), on hide what is queued by
 * beacon, high-value events first, and (consent granted) the unsent queue stored per page for the
 * next page of the store. Without consent nothing is stored: what cannot leave at pagehide is lost,
 * and reported.
 */
export function createEndpoint(d: EndpointDeps): Destination & Pick<Required<Destination>, 'shown'> {
  const { log } = d;
  /** The URL is read at each send too: app settings that arrive late may still set it. */
  const url = () => d.options.endpoint as string;
  const { clock } = d.queue;
  /** Consent is granted: the queue may be stored. (Declared first: that order packs tracker.js smallest.) */
  let stores: boolean | undefined;
  let saveTimer: unknown;
  /** After pagehide, until the lock is held again: storage, not memory, holds this page's queue. */
  let gone: boolean | undefined;
  let stopped: boolean | undefined;
  /**
   * Events a gone page handed to the browser as it went (a keepalive batch in flight, a beacon),
   * adopted with its queue: sent, unless the endpoint failed them unseen. The endpoint's first answer
   * on this page tells: they are dropped when it succeeds, sent again (the same message ids) when it
   * fails, as an endpoint failing now most likely failed them too.
   */
  let maybe: TrackerEvent[] = [];
  const reporter = d.reports.reporter('endpoint');
  const report: typeof reporter = (kind, events, reason, attempt, delay) => {
    // (a beacon is no answer: at pagehide it is reported by `reporter` itself; a batch the transport
    // beaconed, or left to the browser as the page went, is `delivered` by it without one)
    if (kind != 'dropped' && reason != 'beacon' && reason != 'keepalive') {
      if (kind == 'retry') q.putBack(maybe);
      maybe = [];
    }
    reporter(kind, events, reason, attempt, delay);
    // (a batch in flight at stop that then failed: back in the stopped queue, which sends nothing more)
    if (kind == 'retry' && stopped) last();
  };
  /** Each event's bytes in a batch (its JSON and a comma). */
  const sizes = new WeakMap<TrackerEvent, number>();
  /** A batch's body (each event's JSON asked again: the core caches it per event). */
  const body = (events: TrackerEvent[]) =>
    batchBody(
      events.map((e) => d.json(e)),
      isoTime(clock.now()),
      d.options.writeKey,
    );
  const q = createQueue<TrackerEvent>({
    ...d.queue,
    timeout: 30000,
    report,
    // Several batches at once, as far as the keepalive budget lets them go (it is the limit).
    concurrency: 4,
    maxBytes: MAX_BATCH_BYTES,
    // Counted once per event: the queue asks again at each add.
    bytes: (e) => sizes.get(e) || (sizes.set(e, utf8Length(d.json(e)) + 1).get(e) as number),
    send(events, flight) {
      const p = d.post(url(), () => body(events), flight);
      if (DEBUG)
        void p.then((r) =>
          log('POST ' + events.length + ' events: ' + r.status + ' via ' + (r.via || 'fetch')),
        );
      return p;
    },
    changed: () => (saveTimer ??= clock.set(save, 1000)),
  });
  // The endpoint's storage and locks (from `d` too: kv, locks and the events' json). No prototype:
  // an option left out (`maxBytes`) is not the page's `Object.prototype.maxBytes`.
  const store = createTabStore({
    __proto__: null,
    ...d,
    // (takeBack itself without the debug line)
    adopt: DEBUG
      ? (items, unsure) => {
          takeBack(items, unsure);
          log('adopted a stored queue: ' + items.length + ' items, ' + unsure + ' unsure');
        }
      : takeBack,
    prefix: d.options.storagePrefix,
    tabId: d.uuid(),
    now: clock.now,
  } as TabStoreOptions);

  // (save, beacon, takeBack, failing and late in the order that packs tracker.js smallest: none runs
  // before createEndpoint returns, and the store's adopt is takeBack, a hoisted function.)
  /**
   * Persist `items` (default: the queue) for the next page; on unload (`final`), what cannot be stored
   * (no room, no consent to store, or storage only in memory) is lost and reported.
   */
  function save(items?: TrackerEvent[], final?: boolean, handed: TrackerEvent[] = []) {
    // Hold the lock first: the queues it adopts are saved now (not again by the timer their adoption set).
    if (!gone) claim();
    clock.clear(saveTimer);
    saveTimer = undefined;
    const all = items || q.items();
    // Stored first (the oldest, left out first when there is no room), for the next page to judge.
    const unsure = maybe.concat(handed);
    // Memory (storage missing or blocked) does not outlive the page: on unload it keeps nothing, not
    // even an earlier save (a page back from the bfcache would send it again). After pagehide the
    // stored queue is not this page's to write: what `last()` could not beacon then is dropped.
    const lost = gone
      ? 'destroyed'
      : stores
        ? final && d.kv.mem?.() && 'storage unavailable'
        : 'not stored without consent';
    if (stores && !gone) {
      const cut = store.save(lost ? [] : unsure.concat(all), final, unsure.length) - unsure.length;
      if (final && cut > 0) report('dropped', all.slice(0, cut), 'evicted');
      else if (DEBUG && cut > 0) log(cut + ' events kept in memory only (storage full)');
    }
    if (final && all.length && lost) {
      report('dropped', all, lost);
      if (DEBUG && stores) log(all.length + ' events lost at pagehide (storage unavailable)');
    }
  }

  /**
   * Beacon what fits the shared budget, high-value events first, in chunks (`planBeacons` within what
   * is left of it, each body around the events costing about 60 bytes and the write key's JSON);
   * returns the rest, in order; `sent` gets what went.
   */
  const beacon = (items: TrackerEvent[], sent = new Set<TrackerEvent>()) => {
    const head = 60 + utf8Length(stringify(d.options.writeKey || '') as string);
    for (const c of planBeacons(items, d.json, d.room(), head, BEACON_BYTES)) {
      if (!d.unload(url(), body(c))) break;
      for (const e of c) sent.add(e);
      reporter('delivered', c, 'beacon');
    }
    return items.filter((e) => !sent.has(e));
  };

  /**
   * A stored queue taken back: its first `unsure` events into `maybe`, the rest into the queue. What
   * is no event of ours (e.g. null in a queue a theme wrote) or is queued here already is left out.
   */
  function takeBack(items: unknown[], unsure: number) {
    const here = new Set(q.items().map((e) => e.messageId));
    const ours = (from: unknown[]) =>
      (from as TrackerEvent[]).filter((e) => typeof e?.messageId == 'string' && !here.has(e.messageId));
    // (failing here already: they most likely failed too)
    if (q.failing()) unsure = 0;
    maybe = maybe.concat(ours(items.slice(0, unsure)));
    q.putBack(ours(items.slice(unsure)));
  }

  /** What is queued can be stored for the next page: consent, before a pagehide, storage that outlives the page. */
  const keeps = () => stores && !gone && !d.kv.mem?.();
  /**
   * At stop (destroy()), and for what comes back to the endpoint after it (an event hashed after the
   * stop, a batch in flight then that fails): with consent stored (in storage, before a pagehide);
   * else beaconed as at pagehide, and what no beacon carries reported dropped. The page lives on: a
   * batch in flight gets its own answer.
   */
  const last = () => (keeps() ? save() : save(beacon(q.take()), true));
  /** Failing, or offline (the browser knows it): what is queued is stored, not beaconed into nothing. */
  const failing = () => q.failing() || d.offline();
  /**
   * Beacon what is queued now, unless failing; what a beacon cannot carry stays queued. When the tab
   * is hidden, and after pagehide, where the page may still report (web-vitals' final CLS and INP come
   * on the visibilitychange that follows): the stored queue is not touched again then (its lock is
   * released and another page may already have taken it), what is left stays in memory (sent if the
   * page comes back from the bfcache).
   */
  const late = () => failing() || q.putBack(beacon(q.take()));

  let claimed: boolean | undefined;
  /**
   * With consent granted: hold this page's lock and adopt the queues of pages that are gone, when
   * idle or before the first save.
   */
  const claim = () => stopped || !stores || claimed || ((claimed = true), store.claim());
  d.idle(claim);
  /** Adopt the queues of pages gone since (with consent, while this page lives). */
  const look = () => stopped || !stores || gone || store.claim();
  // Look again later: a page that just navigated away may not have released its queue's lock yet.
  const reclaim = clock.set(look, 3000);
  const offline = d.online(q.flush);

  // The queue's flush and count; the rest is the endpoint's own (after the spread, in the order that
  // packs tracker.js smallest: the router reads a destination by name).
  return {
    ...q,
    name: 'endpoint',
    keep: false,
    add(e) {
      q.add(e);
      // (After the stop, also after a pagehide: what no beacon carries is reported, not kept unsent.)
      if (stopped) last();
      else if (gone) late();
    },
    consent(state) {
      // Granted now and not before (the old value is read first): the queue is stored.
      // (Not after pagehide: the lock stays free until the page is back; `shown` takes it then.)
      if (stores != (stores = state == 'granted') && stores) save();
      // Denied: nothing may stay on the device, this page's queue or another's.
      if (state == 'denied') store.purge();
    },
    drop(reason) {
      q.drop(reason);
      maybe = [];
      save();
    },
    map(fn) {
      q.map(fn);
      maybe = maybe.map(fn);
      save();
    },
    /**
     * Hidden (tab switch, `final` = false) or pagehide (`final`): beacon what is queued unless the
     * endpoint is failing. On pagehide, what is left goes to storage (the truth while the page is gone
     * or frozen) and the lock is released; a batch in flight that outlives the page is left to the browser.
     */
    hidden(final) {
      // Chrome fires visibilitychange→hidden after pagehide on navigation: act once.
      if (gone) return;
      if (!final) {
        // Tab hidden: what a beacon cannot carry stays queued, and is stored.
        late();
        return save();
      }
      // A batch in flight that will not outlive the page is sent again (the next page has no answer for it).
      // (Failing or offline: also a keepalive batch in flight, which the browser would fail, is taken back.)
      const items = q.take(failing() ? 'all' : 'unkept');
      // What the browser takes now (the keepalive batches left in flight, beacons) is stored too, as
      // unsure: the next page sends it again only if the endpoint fails there (see `maybe`).
      // A failing endpoint gets nothing more until it is back: what is stored waits for the next page
      // (with storage only in memory, nothing is: a beacon is the last chance).
      const sent = new Set<TrackerEvent>();
      // (`gone` is false here: `keeps()` is consent and storage that outlives the page)
      const rest = failing() && keeps() ? items : beacon(items, sent);
      save(rest, true, q.items().concat(items.filter((e) => sent.has(e))));
      gone = true;
      store.release();
    },
    stop() {
      if (stopped) return;
      stopped = true;
      clock.clear(reclaim);
      offline();
      last();
      store.release();
      q.stop();
    },
    /**
     * Back from the bfcache: the page lives again. With consent, take the lock again, then this
     * page's stored queue (unless another page adopted it); without, nothing was stored. A tab shown
     * again (`restored` false) adopts the queues of pages gone since.
     */
    shown(restored) {
      // (a tab closed and this one came to the front: the closed tab's queue is this one's)
      if (!restored) return void look();
      if (!stores) return void (gone = false);
      // (Claimed now, with the queues of pages gone: a later save must not adopt any after it read its own.)
      claimed = true;
      store.claim((own, unsure) => {
        gone = false;
        // What it handed to the browser as it went stays the browser's: the answers may have come
        // while it was in the cache, and its next failure would send them twice.
        // (What it adopted as unsure is still its own to judge, unless another page took its queue.)
        if (!own.length) maybe = [];
        takeBack(own.slice(unsure), 0);
      });
    },
  };
}
