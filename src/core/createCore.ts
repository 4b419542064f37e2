import type { ConsentState, EventContext, PageProperties, TrackerEvent } from '../schema';
import type {
  DeliveryReport,
  Destination,
  RegisterOptions,
  ReportKind,
  Tracker,
  TrackerOptions,
  TrackerStats,
  TwilightSdk,
} from '../types';
import { normalize } from '../normalize';
import { campaign } from '../normalize/campaign';
import type { Emitted, HookState } from '../normalize/types';
import { attachSdk } from './attachSdk';
import { createDestinationSender } from './createDestinationSender';
import { createEmitter } from './createEmitter';
import { createIdentity } from './createIdentity';
import { createLog } from './createLog';
import { createQueue, type Queue, type SendResult } from './createQueue';
import { createTabStore } from './createTabStore';
import type { Env } from './env';
import { safeKV } from './kv';
import { parseOptions } from './parseOptions';
import { hasPii, PII, protect, redactPage, scrub } from './protect';
import { MAX_EVENT_BYTES, sanitize } from './sanitize';
import { stringify } from './stringify';
import { complete } from './fields';
import { obj, str } from '../normalize/values';
import { uuid } from './uuid';
import { batchBody, utf8Length } from './wire';

export const VERSION = '0.1.0';

/** Unload order, lowest first: the events a merchant can least afford to lose go first. */
// prettier-ignore
const PRIORITY = ['Signed In', 'Signed Up', 'Product Removed', 'Coupon Applied', 'Cart Viewed', 'Product Added', 'Order Completed'];
/** The shared keepalive/beacon budget, minus a margin for headers; beacons carry at most CHUNK bytes each. */
const BEACON_BUDGET = 65536 - 1536;
const CHUNK = 16384;
const HISTORY = 100;
/**
 * JSON characters the stored queue of a page may take: a save rewrites it whole, and writing more
 * than this takes a slow phone over the 50 ms of a long task. What does not fit stays in memory and
 * is stored by a later save; the last save, on pagehide, may take twice as much.
 */
export const MAX_STORED = 256 * 1024;
const HELD = 200;

interface Dest {
  name: string;
  keep: boolean;
  q: Queue<TrackerEvent>;
}

interface Pair {
  safe: TrackerEvent;
  raw: TrackerEvent;
}

/** Build a tracker on an injected environment (the browser one or a test double). */
export function createCore(options: TrackerOptions | undefined, env: Env): Tracker {
  const o = parseOptions(options);
  const log = createLog(o.debug);
  const clock = env.clock;
  const reports = createEmitter<Record<ReportKind, DeliveryReport>>();
  const counts: TrackerStats = { queued: 0, delivered: 0, dropped: 0, retried: 0, evicted: 0 };
  const kv = safeKV(env.kv);
  const ids = createIdentity(kv, clock, o.prefix);
  const dests: Dest[] = [];
  const history: Pair[] = [];
  let held: Pair[] = [];
  /** Without a `consent` option the store's cookie bar decides (read from the SDK); until then events wait in memory. */
  let consent: ConsentState = o.consent || 'pending';
  let implicit = !o.consent;
  let chain: Promise<void> | undefined;
  let chained = 0;
  let stopped = false;
  const unbind: Array<() => void> = [];
  /** Deterministic message ids (Order Completed) already queued here or by an earlier page or another tab. */
  const ledgerKey = o.prefix + ':sent';
  const seenIds: string[] = [];
  function fresh(id: string, peek?: boolean): boolean {
    let l: unknown;
    try {
      l = JSON.parse(kv.get(ledgerKey) || '[]');
    } catch {
      /* a corrupt ledger counts as empty */
    }
    const list = Array.isArray(l) ? l : [];
    if (seenIds.indexOf(id) >= 0 || list.indexOf(id) >= 0) return false;
    if (peek) return true;
    seenIds.push(id);
    kv.set(ledgerKey, stringify(list.concat(id).slice(-100)) as string);
    return true;
  }

  /** Properties given to `track()` (bounded only as a whole, so their events are measured). */
  const custom = new WeakSet<object>();
  const state: HookState = { recent: new Map(), now: clock.now, log };
  let context: EventContext = {
    library: { name: 'twilight-tracker', version: VERSION },
    page: redactPage(env.page()),
    locale: env.locale,
    userAgent: env.userAgent,
    // From the URL now; at ready also from the SDK's stored UTM.
    campaign: campaign(env.page().search, undefined, clock.now()),
  };
  let sdk: TwilightSdk | undefined;

  function report(
    kind: ReportKind | 'evicted',
    destination: string,
    events: TrackerEvent[],
    reason?: string,
    attempt?: number,
    delay?: number,
  ) {
    if (kind === 'evicted') {
      counts.evicted += events.length;
      kind = 'dropped';
    }
    counts[kind === 'retry' ? 'retried' : kind] += events.length;
    if (o.debug)
      log(kind + ' ' + events.length + ' → ' + destination + (reason ? ' (' + reason + ')' : ''), counts);
    reports.emit(kind, { destination, events, reason, attempt, delay });
  }

  function queueFor(
    name: string,
    send: (events: TrackerEvent[]) => Promise<SendResult>,
    timeout: number,
    changed?: () => void,
  ) {
    return createQueue<TrackerEvent>({
      send,
      clock,
      random: env.random,
      batchSize: o.batchSize,
      flushInterval: o.flushInterval,
      timeout,
      maxItems: 1000,
      report: (k, items, reason, attempt, delay) =>
        report(reason === 'evicted' ? 'evicted' : k, name, items, reason, attempt, delay),
      changed,
    });
  }

  /** Each queued event's JSON, written once (events are not changed once queued): batches, beacons and saves reuse it. */
  const jsonOf = new WeakMap<object, string>();
  const json = (e: unknown): string => {
    let s = jsonOf.get(e as object);
    if (s === undefined) jsonOf.set(e as object, (s = stringify(e) as string));
    return s;
  };

  // ---- endpoint destination: persisted per tab, flushed by beacon on hide ----
  const url = o.endpoint;
  let saveTimer: unknown;
  let reclaim: unknown;
  /** Whether the batch in flight went with keepalive (it then outlives the page). */
  let keepalive = false;
  /** After pagehide, until the lock is held again: storage, not memory, holds this page's queue. */
  let gone = false;
  const store = createTabStore({
    kv,
    prefix: o.prefix,
    tabId: uuid(),
    locks: env.locks,
    now: clock.now,
    maxBytes: MAX_STORED,
    json,
    adopt: (items) => {
      const ok = items.filter(
        (e): e is TrackerEvent => !!e && typeof (e as TrackerEvent).messageId === 'string',
      );
      log('adopted ' + ok.length + ' unsent events');
      // Events of a page that had consent; stripped or dropped if it is denied here.
      if (endpointQ)
        endpointQ.putBack(consent !== 'denied' ? ok : o.deniedMode === 'none' ? [] : ok.map(strip));
    },
  });
  /** Persist `items` (default: the queue) for the next page; on unload, what does not fit is lost and reported. */
  const save = (items?: TrackerEvent[], final?: boolean) => {
    clock.clear(saveTimer);
    saveTimer = undefined;
    if (!endpointQ || gone) return;
    const all = items || endpointQ.items();
    const cut = store.save(all, final);
    if (cut && final) report('evicted', 'endpoint', all.slice(0, cut), 'evicted');
    else if (cut) log(cut + ' events kept in memory only (storage full)');
  };
  const endpointQ = url
    ? queueFor(
        'endpoint',
        (events) => {
          const before = env.inflight();
          const p = env.post(url, body(events));
          keepalive = env.inflight() > before;
          return p;
        },
        30000,
        () => {
          if (saveTimer === undefined) saveTimer = clock.set(() => save(), 1000);
        },
      )
    : undefined;
  if (endpointQ) {
    store.claim();
    // Look again later: a page that just navigated away may not have released its queue's lock yet.
    reclaim = clock.set(() => stopped || gone || store.claim(), 3000);
    unbind.push(env.online(() => void endpointQ.flush()));
  }

  function body(events: TrackerEvent[]): string {
    return batchBody(events.map(json), new Date(clock.now()).toISOString(), o.writeKey);
  }

  /** Beacon what fits the shared budget, high-value events first, in chunks; returns the rest, in order. */
  function beacon(items: TrackerEvent[], to: string): TrackerEvent[] {
    const sent = new Set<TrackerEvent>();
    const head = 60 + utf8Length(stringify(o.writeKey || '') as string); // the body around the events
    let budget = BEACON_BUDGET - env.inflight() - head;
    let chunk: TrackerEvent[] = [];
    let parts: string[] = [];
    let size = 0;
    const send = () => {
      const ok =
        !chunk.length || env.beacon(to, batchBody(parts, new Date(clock.now()).toISOString(), o.writeKey));
      if (ok && chunk.length) {
        for (const e of chunk) sent.add(e);
        budget -= size + head;
        report('delivered', 'endpoint', chunk, 'beacon');
      }
      chunk = [];
      parts = [];
      size = 0;
      return ok;
    };
    const rank = (e: TrackerEvent) => (e.type === 'track' ? PRIORITY.indexOf(e.event) : -1);
    for (const e of items.slice().sort((a, b) => rank(b) - rank(a))) {
      const s = json(e);
      const n = utf8Length(s) + 1;
      if (chunk.length && size + n > CHUNK && !send()) break;
      if (size + n > budget) continue; // does not fit what is left: kept for later
      chunk.push(e);
      parts.push(s);
      size += n;
    }
    send();
    return items.filter((e) => !sent.has(e));
  }

  /**
   * Hidden (tab switch, `final` = false) or pagehide (`final`): beacon what is queued unless the
   * endpoint is failing. On pagehide, what is left goes to storage (the truth while the page is gone or
   * frozen) and the lock is released; a keepalive batch in flight is left to the browser.
   */
  function onHidden(final: boolean) {
    ids.persist();
    for (const d of dests) void d.q.flush();
    // Chrome fires visibilitychange→hidden after pagehide on navigation: act once.
    if (!endpointQ || !url || gone) return;
    const failing = endpointQ.failing();
    if (!final && failing) return save();
    const items = endpointQ.take(final && (failing || !keepalive));
    const rest = failing ? items : beacon(items, url);
    if (final) {
      save(rest, true);
      gone = true;
      store.release();
    } else {
      endpointQ.putBack(rest);
      save();
    }
  }

  /**
   * After pagehide the page may still report (web-vitals' final CLS and INP come on the
   * visibilitychange that follows): beacon at once. The stored queue is not touched again: its lock is
   * released and another page may already have taken it. What a beacon cannot carry stays in memory
   * (sent if the page comes back from the bfcache).
   */
  function late() {
    if (endpointQ && url && !endpointQ.failing()) endpointQ.putBack(beacon(endpointQ.take(), url));
  }

  /** Back from the bfcache: take the lock again, then this page's stored queue (unless another page adopted it). */
  function onShown(restored: boolean) {
    if (!restored) return;
    if (endpointQ)
      store.claim((own) => {
        gone = false;
        const inFlight = endpointQ.items().map((e) => e.messageId);
        endpointQ.putBack((own as TrackerEvent[]).filter((e) => inFlight.indexOf(e.messageId) < 0));
      });
    if (o.autoPage) page();
  }

  // ---- building events ----
  /** The shared context; the session id exists (and is stored) only while consent is granted. */
  function ctx(): EventContext {
    const sid = consent === 'granted' ? ids.sessionId() : undefined;
    if (context.session_id !== sid || context.consent !== consent)
      context = { ...context, session_id: sid, consent };
    return context;
  }

  /** Granted: stamp the anonymous id and the session (created and stored only now). */
  function identify(e: TrackerEvent) {
    e.anonymousId = ids.anonymousId();
    if (!e.context.session_id) e.context = ctx();
  }

  /** Denied: a copy without anonymousId, userId and session id. */
  function strip(e: TrackerEvent): TrackerEvent {
    const c = {
      ...e,
      properties: scrub(e.properties),
      context: { ...e.context, session_id: undefined, consent: 'denied' },
    } as TrackerEvent;
    delete c.anonymousId;
    delete c.userId;
    return c;
  }

  function allowed(name: string): boolean {
    const f = o.events;
    return !f || (f.allow ? f.allow.indexOf(name) >= 0 : f.deny.indexOf(name) < 0);
  }

  /** ISO time of `ms`, the last one reused (a burst shares its milliseconds). */
  let lastMs = NaN;
  let lastIso = '';
  const iso = (ms: number) => (ms === lastMs ? lastIso : (lastIso = new Date((lastMs = ms)).toISOString()));

  function build(type: 'track' | 'page', name: string, properties: object, id?: string): TrackerEvent {
    const context = ctx();
    const userId = state.userId;
    const messageId = id || uuid();
    const timestamp = iso(clock.now());
    // Two literal shapes (not a computed key): the hot path stays monomorphic.
    // `anonymousId` is set when consent allows (undefined is not serialized).
    const anonymousId = undefined;
    return (
      type === 'track'
        ? { type, event: name, properties, context, anonymousId, userId, messageId, timestamp }
        : { type, name, properties, context, anonymousId, userId, messageId, timestamp }
    ) as TrackerEvent;
  }

  /** Bound the event's JSON: halve a long `products` list until it fits, else drop the event. */
  function fits(e: TrackerEvent, measure: boolean): boolean {
    const p = e.properties as { products?: unknown[] };
    // Normalized events are bounded field by field; only product lists and custom properties can grow.
    if (!measure && !Array.isArray(p.products)) return true;
    const name = e.type === 'track' ? e.event : 'page';
    let n: number;
    while (
      (n = utf8Length(stringify(e) as string)) > MAX_EVENT_BYTES &&
      Array.isArray(p.products) &&
      p.products.length > 1
    )
      p.products = p.products.slice(0, p.products.length >> 1);
    if (n > MAX_EVENT_BYTES) log('dropped "' + name + '": ' + n + ' bytes');
    return n <= MAX_EVENT_BYTES;
  }

  function emit(e: TrackerEvent) {
    try {
      if (stopped) return;
      const name = e.type === 'track' ? e.event : 'page';
      if (!allowed(name)) return log('filtered out "' + name + '"');
      // Custom properties get the schema's types (ids as strings, money as numbers…) and required
      // properties; normalized ones were built with them.
      if (
        e.type === 'track' &&
        custom.has(e.properties) &&
        !complete(e.properties as Record<string, unknown>, name)
      )
        return log('dropped "' + name + '": a required property is missing');
      // Hashing is async: events after a hashed one wait for it, so that order is kept.
      if (chain || hasPii(e)) {
        const n = ++chained;
        chain = (chain || Promise.resolve())
          .then(() => protect(e, o.pii, env.sha256))
          .then(route)
          // A failure drops this event only; the chain never stays rejected (that would stop every later event).
          .then(undefined, (err) => log('dropped "' + name + '"', err))
          .then(() => {
            if (n === chained) chain = undefined;
          });
      } else route({ safe: e, raw: e });
    } catch (err) {
      log('dropped an event', err);
    }
  }

  /** Pending: hold in memory (bounded). Denied: strip identifiers, or drop. Granted: identify. */
  function route(p: Pair) {
    // Before any copy (hashing, stripping): was it built from `track()` properties?
    const measure = custom.has(p.raw.properties);
    if (consent === 'pending') {
      if (held.push(p) > HELD) log('consent pending: dropped the oldest held event', held.shift());
      return;
    }
    if (consent === 'denied') {
      if (o.deniedMode === 'none') return;
      p = { safe: strip(p.safe), raw: strip(p.raw) };
    } else {
      identify(p.safe);
      if (p.raw !== p.safe) identify(p.raw);
    }
    // Measured as sent (identified, with the context of now).
    if (!fits(p.safe, measure) || (p.raw !== p.safe && !fits(p.raw, measure))) return;
    history.push(p);
    if (history.length > HISTORY) history.shift();
    deliver(p);
  }

  function deliver(p: Pair, only?: Dest) {
    if (!only && endpointQ) {
      endpointQ.add(p.safe);
      if (gone) late();
    }
    for (const d of only ? [only] : dests) d.q.add(d.keep ? p.raw : p.safe);
  }

  /**
   * Change the consent. `stored` (the cookie bar's recorded choice, or the default) applies only while
   * no explicit choice was made (option, `tracker.consent()`, a cookie bar hook).
   */
  function setConsent(next: ConsentState, stored?: boolean) {
    if (next !== 'pending' && next !== 'granted' && next !== 'denied') return;
    if (stored && !implicit) return;
    if (!stored) implicit = false;
    if (next === consent) return;
    log('consent ' + consent + ' → ' + next);
    consent = next;
    if (next === 'denied') {
      ids.purge();
      // Queued events were identified under the old state: strip them (stored copy too), or drop them.
      const none = o.deniedMode === 'none';
      for (const d of endpointQ ? dests.concat({ name: 'endpoint', keep: false, q: endpointQ }) : dests) {
        if (!none) d.q.map(strip);
        else if (d.q.items().length) report('dropped', d.name, d.q.take(), 'consent denied');
      }
      if (none) history.length = 0;
      for (const p of history) {
        p.safe = strip(p.safe);
        p.raw = strip(p.raw);
      }
      save();
    }
    if (next !== 'pending') {
      const h = held;
      held = [];
      for (const p of h) if (p.safe.messageId.indexOf('tt-') !== 0 || fresh(p.safe.messageId)) route(p);
    }
  }

  // ---- SDK ----
  function onHook(name: string, args: unknown[]) {
    for (const ev of normalize(name, args, state, log)) emitNormalized(ev);
  }

  function emitNormalized(ev: Emitted) {
    // While consent is pending the event waits in memory only: it is recorded as sent when it goes out.
    if (ev.id && !fresh(ev.id, consent === 'pending'))
      return log('dropped repeated "' + ev.name + '" (' + ev.id + ')');
    emit(build('track', ev.name, ev.properties, ev.id));
  }

  /** The SDK's page facts (slug, id, title) from ready. */
  let sdkPage: PageProperties = {};
  function page(properties?: PageProperties) {
    // Not merged over the previous page's: custom properties of earlier calls must not pile up.
    let custom = obj(sanitize(properties));
    // The page facts travel in every event's context: custom ones over 4 KB are left out.
    if (custom && utf8Length(stringify(custom) as string) > 4096) {
      log('page properties over 4 KB left out');
      custom = undefined;
    }
    if (custom) for (const k of PII) delete custom[k];
    const props: PageProperties = redactPage({ ...sdkPage, ...env.page(), ...(custom as PageProperties) });
    context = { ...context, page: props };
    emit(build('page', str(props.slug) || 'page', props));
  }

  const cancelWait = env.waitSdk((found) => {
    if (stopped) return;
    sdk = found;
    log('attached to the Twilight SDK');
    unbind.push(
      attachSdk(found, state, onHook, {
        log,
        ready: (pageProps) => {
          sdkPage = pageProps;
          context = {
            ...context,
            store:
              state.storeId || state.currency ? { id: state.storeId, currency: state.currency } : undefined,
            page: { ...context.page, ...pageProps },
            campaign: campaign(env.page().search, state.utm, clock.now()),
          };
          if (o.autoPage) page();
        },
        stored: (c) => setConsent(c, true),
        consent: (c) => setConsent(c),
        signedOut: () => ids.resetSession(),
      }),
    );
  });

  // No SDK on the page yet: nothing tells of a cookie bar, so the default applies until one does.
  if (!sdk) setConsent('granted', true);
  if (o.webVitals && env.vitals) {
    env.vitals((m) => emit(build('track', 'Web Vital Measured', m)));
  }
  unbind.push(env.lifecycle(onHidden, onShown));

  let n = 0;
  const tracker: Tracker = {
    version: VERSION,
    register(destination: Destination, opts?: RegisterOptions) {
      try {
        const sender = createDestinationSender(destination, log, json);
        if (!sender) return () => undefined;
        const name = (opts && opts.name) || sender.name || 'callback#' + ++n;
        const d: Dest = {
          name,
          keep: !!opts && opts.pii === 'keep',
          q: queueFor(name, sender.send, o.callbackTimeout),
        };
        dests.push(d);
        log('registered destination "' + name + '"');
        if (!opts || opts.replay !== false) for (const p of history) deliver(p, d);
        return () => {
          const i = dests.indexOf(d);
          if (i >= 0) dests.splice(i, 1);
          d.q.stop();
        };
      } catch (e) {
        log('register failed', e);
        return () => undefined;
      }
    },
    track(name: string, properties?: object) {
      try {
        const n = typeof name === 'string' ? name.trim().slice(0, 200) : '';
        if (!n) return log('track() needs an event name; dropped');
        const props = obj(sanitize(properties)) || {};
        custom.add(props);
        emit(build('track', n, props));
      } catch (e) {
        log('track failed', e);
      }
    },
    page(properties?: PageProperties) {
      try {
        page(properties);
      } catch (e) {
        log('page failed', e);
      }
    },
    flush() {
      return (chain || Promise.resolve())
        .then(() => Promise.all(dests.map((d) => d.q.flush()).concat(endpointQ ? [endpointQ.flush()] : [])))
        .then(
          () => undefined,
          () => undefined,
        );
    },
    consent(next: ConsentState) {
      try {
        setConsent(next);
      } catch (e) {
        log('consent failed', e);
      }
    },
    on(kind: ReportKind, handler: (r: DeliveryReport) => void) {
      return typeof handler === 'function' && ['delivered', 'dropped', 'retry'].indexOf(kind) >= 0
        ? reports.on(kind, handler)
        : () => undefined;
    },
    stats: () => ({
      ...counts,
      queued: dests.reduce((n, d) => n + d.q.items().length, endpointQ ? endpointQ.items().length : 0),
    }),
    destroy() {
      if (stopped) return;
      stopped = true;
      cancelWait();
      clock.clear(reclaim);
      for (const u of unbind) u();
      save();
      store.release();
      if (endpointQ) endpointQ.stop();
      for (const d of dests) d.q.stop();
    },
  };
  return tracker;
}
