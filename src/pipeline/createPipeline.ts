import type { TrackerEvent } from '../schema';
import { isoTime } from '../event/build';
import { fit, sanitize } from '../event/bounds';
import { complete } from '../event/fields';
import { anonymize } from '../event/privacy';
import type { Clock } from '../lib/clock';
import { utf8Cut } from '../lib/json';
import type { Log } from '../lib/log';
import { obj, str, type Obj } from '../lib/read';
import type { Emitted } from '../normalize/types';
import type { Reports } from '../delivery/reports';
import type { Router } from '../delivery/router';
import type { Consent } from './consent';
import type { Context } from './context';
import type { Identity } from './identity';
import type { Ledger } from './ledger';
import type { OrderedProtect } from './orderedProtect';

/** Which events go out: an allow list or a deny list of names (the parsed `events` option). */
export type EventGate = { allow: string[]; deny?: undefined } | { deny: string[]; allow?: undefined };

export interface PipelineDeps {
  /** The options the pipeline follows (read at each event: the store's settings may change them). */
  options: { events?: EventGate; deniedMode: 'anonymous' | 'none' };
  consent: Consent;
  identity: Identity;
  ledger: Ledger;
  context: Context;
  protect: OrderedProtect;
  /** What the SDK adapter knows: the signed-in customer's id, if any. */
  facts: { customerId?: string };
  clock: Clock;
  uuid(): string;
  /** An event's JSON, written once and cached (`again`: after it changed). */
  json(e: TrackerEvent, again?: boolean): string;
  log: Log;
  /** Where finished events go. */
  router: Pick<Router, 'deliver'>;
  /** Where an event that cannot be sent at all (a required property missing, over 32 KB) is reported, and why. */
  reports: Reports;
}

export interface Pipeline {
  /**
   * An SDK hook, read later: `run` (which reads it into `hook()` events) runs in the pipeline's own
   * task, in order with every other hook and call, and its events carry the time of this call. The
   * SDK's `emit` pays for nothing but this call.
   */
  later(run: () => void): void;
  /** An event a normalizer made from an SDK hook, in a `later()` run: built and finished at once. */
  hook(ev: Emitted): void;
  /** The time of the hook or call being read (in the pipeline's task), else now. */
  now(): number;
  /** A `track()` call with the caller's (untrusted) properties. */
  track(name: unknown, properties: unknown): void;
  /** A `page()` call, or the page view when the SDK is ready. */
  page(properties?: unknown): void;
  /**
   * Finish every event built so far now (they are otherwise finished in a task of their own): before
   * a consent choice (the SDK's, read with the store's settings, too), a new callback, destroy(),
   * flush() or counting them.
   */
  drain(): void;
  /**
   * While the page is hidden (`true`, until shown again), each event is finished in the caller's
   * task: a hidden page's timers may never run (the last Web Vitals come at pagehide). Drains first.
   */
  hidden(on: boolean): void;
  /** Resolves when every event so far has left the pipeline. */
  idle(): Promise<void>;
  /** Finishes every event built so far; then, when some wait for their hashing, resolves once they have left. */
  busy(): Promise<void> | undefined;
}

/**
 * One event path: build → filter → complete (custom properties get the schema's types) → protect
 * (identity fields hashed, order kept) → consent (identified, or anonymous with the page's own id)
 * → fit (32 KB) → the router. The caller's task (the SDK's `emit`, a `track()` in the host's
 * handler) only notes the call, its time and a copy of what it gave (`later()`); the rest, from the
 * order-id check and the build on, runs in a task of its own, for every call noted until then, in
 * order (`drain()`).
 */
export function createPipeline(d: PipelineDeps): Pipeline {
  const { consent, identity, context, protect, log, clock } = d;
  const report = d.reports.reporter('tracker');
  const dropped = (e: TrackerEvent, reason: string) => report('dropped', [e], reason);
  /** The time of the hook or call being read (in its `later()` run), else undefined. */
  let at: number | undefined;
  const now = () => at ?? clock.now();

  /** What is left to do, in order, each with its time: read a hook, or build a call's event, and finish it. */
  const staged: Array<[number, () => void]> = [];
  let timer: unknown;
  let hidden: boolean | undefined;
  /**
   * `run` later, in order, as at this time: a hook is read, or a call's event built, with the state
   * every earlier hook and call left (a sign-out's new session, a page's context) and none later's.
   */
  const later = (run: () => void) => {
    // Hidden: at once (timers may never run); a long burst: at most 1000 wait (the queues' bound).
    if (staged.push([clock.now(), run]) > 999 || hidden) drain();
    // One task finishes every event built before it runs.
    else timer ??= clock.set(drain, 0);
  };
  /**
   * One list, taken from the front, one loop: a drain asked for inside a run (a report handler's
   * `stats()`, a hidden page's next hook) leaves the rest to the loop running it, so a later hook is
   * never read before an earlier one's effects (a sign-out's new session); what runs add is done by
   * the same loop, in order.
   */
  const drain = () => {
    // (`at`: the time of the one running, none after it)
    if (at === undefined)
      for (let x; (x = staged.shift()); at = undefined)
        try {
          at = x[0];
          x[1]();
        } catch (err) {
          // One event's (or hook's) failure costs that event only.
          if (DEBUG) log('dropped an event', err);
        }
    // (After: an event built while draining, finished by the same loop, may have set one.)
    clock.clear(timer);
    timer = undefined;
  };

  /**
   * Build an event, with the context and time of the hook or call being read, and finish it. `custom`:
   * its properties came from `track()` (they are repaired, and the event is always measured). `id`: an
   * order's own message id (none when it was sent before), else a random one.
   */
  const finish = (
    type: 'track' | 'page',
    name: string,
    properties: object,
    custom?: boolean,
    id?: string,
  ) => {
    const state = consent.state();
    // Recorded as sent in storage only with consent, else in this page's memory.
    if (id && !d.ledger.fresh(id, state === 'granted')) {
      if (DEBUG) log('dropped repeated "' + name + '" (' + id + ')');
      return;
    }
    // A `track` (named `name`) or `page` event (of page slug `name`), in one literal: the name's key
    // (`event` or `name`) is computed, second as in both shapes of the schema. Its `anonymousId` is
    // set on its way out, by consent: the stored one, or the page's own.
    // (The members' order is the order they are made in, and the wire's key order: the session id,
    // drawn from the same uuid source as the message id, is drawn first.)
    const e = {
      type,
      [type === 'track' ? 'event' : 'name']: name,
      properties,
      context: context.get(state, state === 'granted' ? identity.sessionId() : undefined),
      anonymousId: '',
      userId: d.facts.customerId,
      messageId: id || d.uuid(),
      timestamp: isoTime(now()),
    } as TrackerEvent;
    // (its name as `eventName` gives it: a page event's is `page`)
    if (type === 'page') name = type;
    // The `events` option, an allow list or a deny list of names: out when the name is not on an
    // allow list (unlisted, and the list allows), or is on a deny list (listed, and the list denies).
    const gate = d.options.events;
    if (gate && (gate.allow || gate.deny)!.indexOf(name) < 0 == !!gate.allow) {
      if (DEBUG) log('filtered out "' + name + '"');
      return;
    }
    if (custom && !complete(e.properties as Obj, name)) return dropped(e, 'a required property is missing');
    // Then, under the consent state of that time (it may change while identity fields are hashed):
    // granted, the stored ids; pending (no choice yet) or denied, the page's own id and nothing that
    // identifies the shopper; nothing at all when denied with `deniedMode: 'none'`.
    protect.run(e, (p) => {
      const current = consent.state();
      if (current === 'granted')
        for (const x of [p.safe, p.raw]) {
          // The stored anonymous id and the session (created and stored only now); once more for one event.
          x.anonymousId = identity.anonymousId();
          if (x.context.consent_state !== 'granted') x.context = context.get('granted', identity.sessionId());
        }
      else {
        if (current === 'denied' && d.options.deniedMode === 'none') return;
        const page = identity.pageId();
        const safe = anonymize(p.safe, page, current);
        p = { safe, raw: p.raw === p.safe ? safe : anonymize(p.raw, page, current) };
      }
      // Normalized events are bounded field by field: only product lists and custom properties can
      // grow. (Once more for one event: it fits by then, its JSON written.)
      const fits = (x: TrackerEvent) =>
        (!custom && !Array.isArray((x.properties as { products?: unknown }).products)) ||
        fit(x, d.json) ||
        dropped(x, 'over 32 KB'); // (undefined: false)
      if ([p.safe, p.raw].every(fits)) d.router.deliver(p);
    });
  };

  // (in the order that packs tracker.js smallest)
  return {
    now,
    hidden(on) {
      hidden = on;
      drain();
    },
    hook(ev) {
      try {
        finish('track', ev.name, ev.properties, false, ev.id);
      } catch (err) {
        // One event's failure costs that event only.
        if (DEBUG) log('dropped "' + ev.name + '"', err);
      }
    },
    page(properties) {
      const p = obj(sanitize(properties));
      later(() => {
        const props = context.page(p);
        finish('page', str(props.slug) || 'page', props);
      });
    },
    idle: () => (drain(), protect.idle()),
    later,
    track(name, properties) {
      // At most 128 bytes (Jitsu refuses longer names).
      const n = typeof name === 'string' && utf8Cut(name.trim(), 128);
      if (n) {
        // (the caller's properties copied now: it may change them after the call)
        const p = obj(sanitize(properties)) || {};
        later(() => finish('track', n, p, true));
      } else if (DEBUG) log('track() needs an event name; dropped');
    },
    drain,
    busy: () => (drain(), protect.busy()),
  };
}
