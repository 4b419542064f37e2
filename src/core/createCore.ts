/**
 * The composition root: builds the units and wires them, SDK → normalize → pipeline → router →
 * destinations, settles the configuration, fans out the page lifecycle, and puts the public facade
 * (where nothing throws) on top.
 */
import type { ConsentState, TrackerEvent } from '../schema';
import type { Tracker, TwilightSdk } from '../types';
// (value imports in the order that packs tracker.js smallest: it decides where each module lands in the bundle)
import { safeKV } from '../lib/kv';
import { createJsonCache } from '../lib/json';
import { createLog, logDep } from '../lib/log';
import { callingCode, listAttribution, storedConsent } from '../sdk/facts';
import { createContext } from '../pipeline/context';
import { createConsent, SHOPPER } from '../pipeline/consent';
import { createIdentity, DENIED, SIGNED_OUT } from '../pipeline/identity';
import { createLedger } from '../pipeline/ledger';
import { createOrderedProtect } from '../pipeline/orderedProtect';
import { createPipeline } from '../pipeline/createPipeline';
import type { QueueSettings } from '../delivery/callback';
import { connectSdk, type Facts } from './connectSdk';
import { createEndpoint } from '../delivery/endpoint';
import { createReports } from '../delivery/reports';
import { createRouter } from '../delivery/router';
import type { Env } from './env';
import { createConsentControl } from './consentControl';
import { createFacade } from './facade';
import { APP_SETTINGS, given, layersOf, parseOptions } from './options';

/**
 * Build a tracker on an injected environment (the browser one or a test double). `options` (one
 * object or layers of them) are explicit; `defaults` rank below the store's app settings.
 */
export function createCore(options: unknown, env: Env, defaults?: unknown): Tracker {
  const high = layersOf(options);
  const o = parseOptions(...layersOf(defaults), ...high);
  const log = createLog(o.debug);
  const kv = safeKV(env.kv);
  const json = createJsonCache() as (e: TrackerEvent, again?: boolean) => string;
  const reports = createReports(log, o.debug);
  const identity = createIdentity(kv, env.clock, o.storagePrefix, env.uuid);
  // The consent option is explicit when given in code, data-* or init; a snippet's, the merchant's default.
  const consent = createConsent(given(high, 'consent') && o.consent);
  /**
   * What normalizers know; the SDK adapter writes its facts, the SDK link the SDK once found. No
   * prototype: a fact not known yet is absent, not a page's Object.prototype value of that name. The
   * list the page's product was reached from is read now, before the SDK dispatches the page's server
   * events: Salla's own engine, which handles them first, removes the position and source it reads.
   * (Its clock, `now`, is the pipeline's: set below, before any hook is read.)
   */
  const facts = {
    __proto__: null,
    recent: new Map(),
    ...logDep(log),
    landing: listAttribution(env.session),
  } as Omit<Facts, 'now'> as Facts;
  const router = createRouter();
  const ledger = createLedger(kv, o.storagePrefix);
  /**
   * Every queue's settings: the batching options, the bound, one batch in flight (in order), nothing
   * to save, and the env spread in for its clock and jitter source (no env field shares a name with
   * another queue setting: keep it so). Each is its own property, as is every optional one the units
   * read: a page's `Object.prototype` must not stand in for one (test/pollutedNames.test.ts).
   */
  const queue: QueueSettings = { ...env, limits: o, maxItems: 1000, concurrency: 1, changed() {} };
  let n = 0;
  let stopped: boolean | undefined;
  /**
   * What the units share: the endpoint and each registered callback, the pipeline, the SDK link, the
   * facade. `consent` is the state; the facade and the SDK link get the consent control's instead.
   * (After the env, whose `kv` is replaced; the rest in the order that packs tracker.js smallest.)
   */
  const shared = {
    ...env,
    router,
    fallbackName: () => 'callback#' + ++n,
    options: o,
    kv,
    queue,
    reports,
    json,
    ...logDep(log),
    identity,
    ledger,
    facts,
    consent,
    stopped: () => stopped,
  };
  // (Its fallback, the consent option, never applies over an explicit consent: it comes at a lower rank.)
  const control = createConsentControl(shared);
  const context = createContext(shared);
  const pipeline = createPipeline({
    ...shared,
    context,
    protect: createOrderedProtect(
      () => o.pii,
      env.sha256,
      log,
      () => callingCode(facts, facts.sdk),
    ),
  });
  // Normalizers read a hook at the time it came (Salla's two reports of one add are 3 s apart at most).
  facts.now = pipeline.now;
  const unbind: Array<() => void> = [];
  let endpoint: boolean | undefined;
  let fromSdk: boolean | undefined;
  let vitals: boolean | undefined;

  /** The endpoint, once its URL is known: it gets the events so far (the history) first. */
  const addEndpoint = () => {
    if (endpoint || !o.endpoint) return;
    endpoint = true;
    router.add(createEndpoint(shared));
  };

  /**
   * The configuration is known: the store's app settings (`app`, from the SDK) fill what no explicit
   * option set. Without an SDK a second after load it settles on what it has, and an SDK that comes
   * later still brings its settings (the endpoint reads its URL at each send).
   */
  function settle(app?: Record<string, unknown>) {
    if (fromSdk || stopped) return;
    if (app) {
      fromSdk = true;
      const fromApp = parseOptions(app);
      for (const k of APP_SETTINGS)
        if (given([app], k) && !given(high, k)) (o as unknown as Record<string, unknown>)[k] = fromApp[k];
      // The merchant's default (an explicit consent, the shopper's choice stored or made on this page,
      // is stronger and stays).
      control.configure(fromApp.consent);
    }
    addEndpoint();
    if (vitals || !o.webVitals || !env.vitals) return;
    vitals = true;
    env.vitals((m) => api.track('Web Vital Measured', m), o.vitalsUrl);
  }

  /**
   * A consent choice applies to the events built before it as to every queued event (anonymized or
   * dropped when denied), not as the state they are finished in.
   */
  const choose = (next: ConsentState, rank?: number) => (pipeline.drain(), control.set(next, rank));
  /** Signed out on another page: this one's next events are not the customer's (in order, after those before). */
  const signedOut = () => (facts.customerId = facts.customer = facts.auth = undefined);
  const api = createFacade({
    ...shared,
    pipeline,
    consent: choose,
    destroy() {
      if (stopped) return;
      pipeline.drain();
      stopped = true;
      unbind.map((u) => u());
      router.stop();
    },
  });
  // Half a tracker is never left behind: if wiring throws, what was attached is detached again.
  try {
    if (given(high, 'endpoint')) addEndpoint();
    unbind.push(
      connectSdk({
        ...shared,
        context,
        pipeline,
        settle,
        consent: choose,
        signedOut: identity.resetSession,
      }),
    );
    unbind.push(
      env.lifecycle(
        (final) => {
          pipeline.hidden(true);
          identity.persist();
          router.hidden(final);
        },
        (restored) => {
          // Back from the bfcache: a new page view.
          pipeline.hidden(false);
          if (restored) {
            // The shopper may have chosen, or signed out, on another page of the store meanwhile (the
            // storage events this page missed come only after pageshow, in Chromium: after the
            // restore's page event; none tells of the cookie bar's choice): a denial there deleted
            // this tracker's stored id, or the cookie bar's recorded choice changed (either is as
            // fresh as a choice made here); a sign-out there ended this tracker's session.
            const gone = identity.newPage();
            if (gone == DENIED) choose('denied');
            if (gone == SIGNED_OUT) pipeline.later(signedOut);
            // (No SDK yet: no recorded choice.)
            const [state, rank] = storedConsent(facts.sdk as TwilightSdk);
            // (None told yet, while the SDK was not ready: it tells at ready, at its own rank.)
            if (rank == SHOPPER && facts.choice && state != facts.choice) choose((facts.choice = state));
          }
          router.shown(restored);
          if (restored && o.autoPage) api.page();
        },
        // Consent denied in another tab (its anonymous id removed) is the shopper's choice here too, as
        // fresh as one made here (over an Accept on this page's own cookie bar). A
        // sign-out there (its session removed) ends this tab's session and customer too: on a shared
        // computer its next events are not the signed-out customer's (in order, after those before).
        (c) =>
          c.key == o.storagePrefix + ':aid' && !c.newValue
            ? identity.ours(c.oldValue) && choose('denied')
            : pipeline.later(() => identity.changed(c) && signedOut()),
        // The page starts a navigation: build what is waiting now, so full batches leave by keepalive
        // fetch before pagehide, whose beacons have 64 KiB in all (a busy page may not run the
        // pipeline's task before it).
        pipeline.drain,
      ),
    );
  } catch (e) {
    api.destroy();
    throw e;
  }
  return api;
}
