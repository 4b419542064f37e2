import type {
  ConsentState,
  EventContext,
  PageEvent,
  PageProperties,
  TrackerEvent,
} from '../schema';
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
import type { Emitted, HookState } from '../normalize/types';
import { attachSdk } from './attachSdk';
import { createDestinationSender } from './createDestinationSender';
import { createEmitter } from './createEmitter';
import { createIdentity } from './createIdentity';
import { createLog } from './createLog';
import { createQueue, type Queue } from './createQueue';
import { createTabStore } from './createTabStore';
import type { Env } from './env';
import { parseOptions } from './parseOptions';
import { protect, hasPii } from './protect';
import { sanitize } from './sanitize';
import { uuid } from './uuid';
import { batchBody, utf8Length } from './wire';

export const VERSION = '0.1.0';

/** Unload order: the events a merchant can least afford to lose go first. */
const PRIORITY: Record<string, number> = {
  'Order Completed': 9,
  'Product Added': 8,
  'Cart Viewed': 7,
  'Coupon Applied': 6,
  'Product Removed': 6,
  'Signed Up': 5,
  'Signed In': 5,
};
/** The shared keepalive/beacon budget, minus a margin for headers. */
const BEACON_BUDGET = 65536 - 1536;
const HISTORY = 100;
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
  const ids = createIdentity(env.kv, clock, o.prefix);
  const dests: Dest[] = [];
  const history: Pair[] = [];
  let held: Pair[] = [];
  let consent: ConsentState = o.consent || 'granted';
  let chain: Promise<void> | undefined;
  let chained = 0;
  let stopped = false;
  const unbind: Array<() => void> = [];
  /** Deterministic message ids already delivered or queued (Order Completed on a reloaded page). */
  const ledgerKey = o.prefix + ':sent';
  let ledger: string[] = [];
  try {
    const l: unknown = JSON.parse(env.kv.get(ledgerKey) || '[]');
    if (Array.isArray(l)) ledger = l.filter((x): x is string => typeof x === 'string');
  } catch {
    /* corrupt ledger: start empty */
  }

  /** False for a deterministic id already delivered or queued on this page; records it otherwise. */
  function fresh(id: string): boolean {
    if (id.indexOf('tt-') !== 0) return true;
    if (ledger.indexOf(id) >= 0) return false;
    ledger.push(id);
    return true;
  }

  const state: HookState = { recent: new Map(), now: clock.now, log };
  let context: EventContext = {
    library: { name: 'twilight-tracker', version: VERSION },
    page: env.page(),
    locale: env.locale,
    userAgent: env.userAgent,
  };
  let sdk: TwilightSdk | undefined;

  function report(kind: ReportKind | 'evicted', destination: string, events: TrackerEvent[], reason?: string, attempt?: number, delay?: number) {
    if (kind === 'evicted') {
      counts.evicted += events.length;
      kind = 'dropped';
    }
    counts[kind === 'retry' ? 'retried' : kind] += events.length;
    if (kind !== 'retry') counts.queued -= events.length;
    log(kind + ' ' + events.length + ' → ' + destination + (reason ? ' (' + reason + ')' : ''), counts);
    reports.emit(kind, { destination, events, reason, attempt, delay });
  }

  function queueFor(name: string, send: (events: TrackerEvent[]) => Promise<{ status: number; retryAfter?: number }>, extra?: Partial<Parameters<typeof createQueue<TrackerEvent>>[0]>) {
    return createQueue<TrackerEvent>({
      send,
      clock,
      random: env.random,
      batchSize: o.batchSize,
      flushInterval: o.flushInterval,
      maxItems: 1000,
      report: (k, items, reason, attempt, delay) => report(reason === 'evicted' ? 'evicted' : k, name, items, reason, attempt, delay),
      ...extra,
    });
  }

  // ---- endpoint destination: persisted per tab, flushed by beacon on hide ----
  let endpointQ: Queue<TrackerEvent> | undefined;
  let saveTimer: unknown;
  const store = createTabStore({
    kv: env.kv,
    prefix: o.prefix,
    tabId: uuid(),
    locks: env.locks,
    now: clock.now,
    maxBytes: 512 * 1024,
    adopt: (items) => {
      const mine = items.filter(
        (e): e is TrackerEvent =>
          !!e && typeof e === 'object' && typeof (e as TrackerEvent).messageId === 'string' && fresh((e as TrackerEvent).messageId),
      );
      log('adopted ' + mine.length + ' unsent events of a closed page');
      counts.queued += mine.length;
      if (endpointQ) endpointQ.putBack(mine);
    },
    evicted: (items) => report('evicted', 'endpoint', items as TrackerEvent[], 'evicted'),
  });
  const save = (closed?: boolean) => {
    if (saveTimer !== undefined) clock.clear(saveTimer);
    saveTimer = undefined;
    if (endpointQ) store.save(endpointQ.items(), closed);
  };
  const url = o.endpoint;
  if (url) {
    endpointQ = queueFor(
      'endpoint',
      (events) => env.post(url, body(events)),
      {
        changed: () => {
          if (saveTimer === undefined) saveTimer = clock.set(() => save(), 1000);
        },
        priority: (e) => (e.type === 'track' && PRIORITY[e.event]) || 0,
      },
    );
    const stored = store.own();
    store.claim();
    if (stored.length) endpointQ.replace(stored as TrackerEvent[]);
    unbind.push(reports.on('delivered', (r) => {
      if (r.destination !== 'endpoint') return;
      const fixed = r.events.map((e) => e.messageId).filter((id) => id.indexOf('tt-') === 0);
      if (fixed.length) {
        ledger = ledger.concat(fixed).slice(-200);
        env.kv.set(ledgerKey, JSON.stringify(ledger));
      }
    }));
  }

  function body(events: TrackerEvent[]): string {
    return batchBody(
      events.map((e) => JSON.stringify(e)),
      new Date(clock.now()).toISOString(),
      o.writeKey,
    );
  }

  /** On hide: send what is queued by beacon, in chunks that fit the shared budget; keep the rest. */
  function onHidden(final: boolean) {
    ids.persist();
    for (const d of dests) void d.q.flush();
    if (!endpointQ || !url) return;
    const items = endpointQ.take();
    let budget = BEACON_BUDGET - env.inflight();
    let chunk: string[] = [];
    let size = 80;
    let i = 0;
    const send = () => {
      if (!chunk.length) return true;
      const b = batchBody(chunk, new Date(clock.now()).toISOString(), o.writeKey);
      const ok = env.beacon(url, b);
      if (ok) {
        report('delivered', 'endpoint', items.slice(i - chunk.length, i), 'beacon');
        budget -= size;
      }
      chunk = [];
      size = 80;
      return ok;
    };
    for (; i < items.length; i++) {
      const s = JSON.stringify(items[i]);
      const n = utf8Length(s) + 1;
      if (size + n > budget - (o.writeKey ? o.writeKey.length + 16 : 0)) {
        if (!send() || 80 + n > budget) break;
      }
      chunk.push(s);
      size += n;
    }
    if (i === items.length && !send()) i -= chunk.length;
    const rest = items.slice(i);
    if (rest.length) log('kept ' + rest.length + ' events for the next page');
    endpointQ.putBack(rest);
    save(final);
    if (final) store.release();
  }

  function onShown(restored: boolean) {
    if (!restored) return;
    store.claim();
    if (endpointQ) endpointQ.replace(store.own() as TrackerEvent[]);
    if (o.autoPage) page();
  }

  // ---- building events ----
  function ctx(): EventContext {
    if (consent === 'denied') return context.session_id ? (context = { ...context, session_id: undefined }) : context;
    const sid = consent === 'granted' ? ids.sessionId() : undefined;
    if (context.session_id !== sid || context.consent !== consent) context = { ...context, session_id: sid, consent };
    return context;
  }

  function identify(e: TrackerEvent): TrackerEvent {
    if (consent !== 'granted') return e;
    e.anonymousId = ids.anonymousId();
    if (state.userId) e.userId = state.userId;
    if (!e.context.session_id) e.context = ctx();
    return e;
  }

  function strip(e: TrackerEvent): TrackerEvent {
    if (!e.anonymousId && !e.userId && !e.context.session_id) return e;
    const c: TrackerEvent = { ...e, context: { ...e.context, session_id: undefined, consent: 'denied' } };
    delete c.anonymousId;
    delete c.userId;
    return c;
  }

  function allowed(name: string): boolean {
    const f = o.events;
    return !f || (f.allow ? f.allow.indexOf(name) >= 0 : f.deny.indexOf(name) < 0);
  }

  function build(type: 'track' | 'page', name: string, properties: object, id?: string): TrackerEvent {
    const e = {
      type,
      [type === 'track' ? 'event' : 'name']: name,
      properties,
      context: ctx(),
      messageId: id || uuid(),
      timestamp: new Date(clock.now()).toISOString(),
    } as unknown as TrackerEvent;
    return identify(e);
  }

  function emit(e: TrackerEvent) {
    if (stopped) return;
    const name = e.type === 'track' ? e.event : 'page';
    if (!allowed(name)) return log('filtered out "' + name + '"');
    if (!fresh(e.messageId)) return log('dropped repeated "' + name + '" (' + e.messageId + ')');
    if (chain || hasPii(e)) {
      const n = ++chained;
      chain = (chain || Promise.resolve())
        .then(() => protect(e, o.pii, env.sha256))
        .then(route, () => undefined)
        .then(() => {
          if (n === chained) chain = undefined;
        });
    } else route({ safe: e, raw: e });
  }

  function route(p: Pair) {
    if (consent === 'pending') {
      held.push(p);
      if (held.length > HELD) held.shift();
      return;
    }
    if (consent === 'denied') {
      if (o.deniedMode === 'none') return;
      p = { safe: strip(p.safe), raw: strip(p.raw) };
    }
    history.push(p);
    if (history.length > HISTORY) history.shift();
    deliver(p);
  }

  function deliver(p: Pair, only?: Dest) {
    if (!only && endpointQ) {
      counts.queued++;
      endpointQ.add(p.safe);
    }
    for (const d of only ? [only] : dests) {
      counts.queued++;
      d.q.add(d.keep ? p.raw : p.safe);
    }
  }

  function setConsent(next: ConsentState) {
    if (next !== 'pending' && next !== 'granted' && next !== 'denied') return;
    if (next === consent) return;
    log('consent ' + consent + ' → ' + next);
    consent = next;
    if (next === 'denied') {
      ids.purge();
      const s = (e: TrackerEvent) => strip(e);
      if (endpointQ) endpointQ.map(s);
      for (const d of dests) d.q.map(s);
      for (const p of history) (p.safe = strip(p.safe)), (p.raw = strip(p.raw));
    }
    if (next !== 'pending') {
      const h = held;
      held = [];
      for (const p of h) {
        identify(p.safe);
        if (p.raw !== p.safe) identify(p.raw);
        route(p);
      }
    }
  }

  // ---- SDK ----
  function onHook(name: string, args: unknown[]) {
    for (const ev of normalize(name, args, state, log)) emitNormalized(ev);
  }

  function emitNormalized(ev: Emitted) {
    emit(build('track', ev.name, ev.properties, ev.id));
  }

  function page(properties?: PageProperties) {
    const base = env.page();
    const props: PageProperties = { ...context.page, ...base, ...(sanitize(properties) as PageProperties | undefined) };
    context = { ...context, page: props };
    emit(build('page', props.slug || 'page', props));
  }

  const cancelWait = env.waitSdk((found) => {
    if (stopped) return;
    sdk = found;
    log('attached to the Twilight SDK');
    unbind.push(
      attachSdk(found, state, onHook, {
        log,
        ready: (pageProps, consentFromSdk) => {
          context = {
            ...context,
            store: state.storeId || state.currency ? { id: state.storeId, currency: state.currency } : undefined,
            page: { ...context.page, ...pageProps },
          };
          if (consentFromSdk && !o.consent) setConsent(consentFromSdk);
          if (o.autoPage) page();
        },
        consent: setConsent,
        signedOut: () => ids.resetSession(),
      }),
    );
  });

  if (endpointQ) unbind.push(env.online(() => endpointQ && void endpointQ.flush()));
  unbind.push(env.lifecycle(onHidden, onShown));
  if (o.webVitals && env.vitals) {
    env.vitals((m) => emit(build('track', 'Web Vital Measured', m)));
  }

  let n = 0;
  const tracker: Tracker = {
    version: VERSION,
    register(destination: Destination, opts?: RegisterOptions) {
      try {
        const sender = createDestinationSender(destination, clock, o.callbackTimeout, log);
        if (!sender) return () => undefined;
        const name = (opts && opts.name) || sender.name || 'callback#' + ++n;
        const d: Dest = { name, keep: !!opts && opts.pii === 'keep', q: queueFor(name, sender.send) };
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
        emit(build('track', n, (sanitize(properties) as object | undefined) || {}));
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
      return typeof handler === 'function' ? reports.on(kind, handler) : () => undefined;
    },
    stats: () => ({ ...counts }),
    destroy() {
      if (stopped) return;
      stopped = true;
      cancelWait();
      for (const u of unbind) u();
      save();
      store.release();
      if (endpointQ) endpointQ.stop();
      for (const d of dests) d.q.stop();
      void sdk;
    },
  };
  return tracker;
}

export type { PageEvent };
