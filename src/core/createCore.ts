/**
 * The composition root: builds the units and wires them, SDK → normalize → pipeline → router →
 * destinations, fans out the page lifecycle, and puts the public facade (where nothing throws) on top.
 */
import type { ConsentState, TrackerEvent } from '../schema';
import type { Destination as Callback, RegisterOptions, Tracker, TrackerOptions } from '../types';
import { VERSION } from '../version';
import { strip } from '../event/privacy';
import { createJsonCache } from '../lib/json';
import { safeKV } from '../lib/kv';
import { createLog } from '../lib/log';
import { normalize } from '../normalize';
import type { HookState } from '../normalize/types';
import { attachSdk } from '../sdk/attach';
import { createConsent } from '../pipeline/consent';
import { createContext } from '../pipeline/context';
import { createIdentity } from '../pipeline/identity';
import { createLedger } from '../pipeline/ledger';
import { createOrderedProtect } from '../pipeline/orderedProtect';
import { createPipeline } from '../pipeline/createPipeline';
import { createCallbackDestination, type QueueSettings } from '../delivery/callback';
import { createEndpoint } from '../delivery/endpoint';
import { createReports } from '../delivery/reports';
import { createRouter } from '../delivery/router';
import type { Env } from './env';
import { parseOptions } from './options';

/** Build a tracker on an injected environment (the browser one or a test double). */
export function createCore(options: TrackerOptions | undefined, env: Env): Tracker {
  const o = parseOptions(options);
  const log = createLog(o.debug);
  const { clock } = env;
  const kv = safeKV(env.kv);
  const json = createJsonCache() as (e: TrackerEvent, again?: boolean) => string;
  const reports = createReports(log, o.debug);
  const identity = createIdentity(kv, clock, o.prefix, env.uuid);
  const consent = createConsent(o.consent);
  /** What normalizers know; the SDK adapter writes its facts. */
  const facts: HookState = { recent: new Map(), now: clock.now, log };
  const context = createContext({ ...env, version: VERSION, now: clock.now, log });
  const router = createRouter();
  const pipeline = createPipeline({
    ...o,
    consent,
    identity,
    ledger: createLedger(kv, o.prefix),
    context,
    protect: createOrderedProtect(o.pii, env.sha256, log),
    userId: () => facts.userId,
    clock,
    uuid: env.uuid,
    json,
    log,
    out: router.deliver,
  });
  const queue: QueueSettings = { ...o, clock, random: env.random, maxItems: 1000 };
  if (o.endpoint)
    router.add(
      createEndpoint({
        url: o.endpoint,
        writeKey: o.writeKey,
        transport: env,
        online: env.online,
        kv,
        prefix: o.prefix,
        locks: env.locks,
        tabId: env.uuid(),
        queue,
        reports,
        json,
        log,
        // Events of a page that had consent: stripped or dropped if it is denied here.
        adopt: (events) =>
          consent.state() !== 'denied' ? events : o.deniedMode === 'none' ? [] : events.map(strip),
      }),
    );
  let stopped = false;
  let found = false;
  const unbind: Array<() => void> = [];

  function setConsent(next: ConsentState, stored?: boolean) {
    if (!consent.set(next, stored)) return;
    log('consent → ' + next);
    if (next === 'denied') {
      identity.purge();
      // Queued events were identified under the old state: strip them (stored copy too), or drop them.
      router.deny(strip, o.deniedMode === 'none');
    }
    if (next !== 'pending') pipeline.released();
  }

  const cancelWait = env.waitSdk((sdk) => {
    if (stopped) return;
    found = true;
    log('attached to the Twilight SDK');
    const onHook = (name: string, args: unknown[]) => {
      for (const ev of normalize(name, args, facts, log)) pipeline.hook(ev);
    };
    unbind.push(
      attachSdk(sdk, facts, onHook, {
        log,
        ready(page) {
          const store =
            facts.storeId || facts.currency ? { id: facts.storeId, currency: facts.currency } : undefined;
          context.ready(store, page, facts.utm);
          if (o.autoPage) pipeline.page();
        },
        stored: (c) => setConsent(c, true),
        consent: (c) => setConsent(c),
        signedOut: identity.resetSession,
      }),
    );
  });
  // No SDK on the page yet: nothing tells of a cookie bar, so the default applies until one does.
  if (!found) setConsent('granted', true);
  if (o.webVitals && env.vitals) env.vitals((m) => stopped || pipeline.measured('Web Vital Measured', m));
  unbind.push(
    env.lifecycle(
      (final) => {
        identity.persist();
        router.hidden(final);
      },
      (restored) => {
        router.shown(restored);
        if (restored && o.autoPage) pipeline.page();
      },
    ),
  );

  /** `fn`, never throwing into the page: an error is a debug line and `fallback`. */
  const safe =
    <A extends unknown[], R>(what: string, fn: (...a: A) => R, fallback: R) =>
    (...a: A): R => {
      try {
        return fn(...a);
      } catch (e) {
        log(what + ' failed', e);
        return fallback;
      }
    };
  const noop = () => undefined;
  let n = 0;
  return {
    version: VERSION,
    register: safe(
      'register',
      (destination: Callback, opts?: RegisterOptions) => {
        const d = createCallbackDestination(destination, {
          name: opts && opts.name,
          keep: !!opts && opts.pii === 'keep',
          fallbackName: () => 'callback#' + ++n,
          queue,
          timeout: o.callbackTimeout,
          reports,
          json,
          log,
        });
        if (!d) return noop;
        log('registered destination "' + d.name + '"');
        return router.add(d, !opts || opts.replay !== false);
      },
      noop,
    ),
    track: safe(
      'track',
      (name: string, properties?: object) => stopped || pipeline.track(name, properties),
      true,
    ),
    page: safe('page', (properties?: object) => stopped || pipeline.page(properties), true),
    flush: () => pipeline.idle().then(router.flush).then(noop, noop),
    consent: safe('consent', (next: ConsentState) => setConsent(next), undefined),
    on: reports.on,
    stats: () => ({ ...reports.counts(), queued: router.queued() }),
    destroy() {
      if (stopped) return;
      stopped = true;
      cancelWait();
      for (const u of unbind) u();
      router.stop();
    },
  };
}
