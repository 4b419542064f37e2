import type { ConsentState, PageProperties } from '../schema';
import type { TwilightSdk } from '../types';
import type { HookState } from '../normalize/types';
import type { Log } from '../lib/log';
import { at, get, obj, str, strAt } from '../lib/read';
import { accepted, call, cfg, listAttribution, readState, storedConsent } from './facts';

export interface AttachHooks {
  log: Log;
  /** The SDK is ready: page facts from its config. */
  ready(page: PageProperties): void;
  /**
   * A consent signal: the shopper chose on the cookie bar (explicit, no `rank`); or, at ready, the
   * consent the store's page tells (`granted` when the store has no cookie bar) with its strength
   * `rank` (src/pipeline/consent.ts): `SHOPPER` when it is the shopper's recorded choice, else
   * `INFERRED`.
   */
  consent(state: ConsentState, rank?: number): void;
  /** The shopper signed out (new session). */
  signedOut(): void;
  /** Reads the page's sessionStorage (the components' list attribution). */
  session?(key: string): string | null | undefined;
  /** Runs `read` (the hook's normalizing) later, in order with every other event: the SDK's `emit` waits for none of it. */
  later(read: () => void): void;
}

/**
 * Listen to every SDK hook with one `onAny` listener; recover the server-rendered events
 * (`config.events`) that the SDK dispatched before we attached; report readiness.
 * Returns the detach function. Never throws.
 */
export function attachSdk(
  sdk: TwilightSdk,
  s: HookState,
  h: AttachHooks,
  onHook: (name: string, args: unknown[]) => void,
): () => void {
  // The SDK object is untrusted too: even reading `event` may throw.
  const ev = get(sdk, 'event') as TwilightSdk['event'];
  let done: boolean | undefined;
  /**
   * The store's config is loaded (`Salla.init` sets it before it dispatches the server-rendered
   * events, and before the SDK is ready): everything ready reads is known, so it is ready for us.
   */
  const early = () => done || !cfg(sdk, 'store.id') || onReady();
  const onReady = () => {
    if (!done)
      try {
        done = true;
        readState(sdk, s);
        h.consent(...storedConsent(sdk));
        h.ready({
          slug: s.pageSlug,
          page_id: s.pageId,
          title: strAt(cfg(sdk, 'page'), 'title'),
        });
      } catch (e) {
        if (DEBUG) h.log('ready failed', e);
      }
  };
  const listener = (name: unknown, ...args: unknown[]) => {
    try {
      if (typeof name !== 'string') return;
      early();
      // (two names: at most one of these two runs)
      if (name === 'salla-cookies-bar::accepted') h.consent(accepted(sdk));
      if (name === 'salla-cookies-bar::rejected') h.consent('denied');
      // Now, what the SDK and the page tell of this hook only until the next one (the rest is read
      // later, in order): who reports an add depends on its source (`cart.addItem({source})`, or set
      // by a component), and a list card's add button records where the product was listed, just
      // before the add.
      const before = name === 'cart::before.add.item';
      const src =
        (before || name === 'Product Added' || name === 'cart::item.added') &&
        str(at(sdk, 'cart', 'api', 'addToCartSource'), 64);
      const adding = before ? listAttribution(h.session) : undefined;
      h.later(() => {
        if (src || before) s.addSource = src as string | undefined; // (false only when neither)
        // An add that failed leaves no attribution for a later add (a quantity raised in the cart).
        if (before || name === 'cart::item.added.failed') s.adding = adding;
        onHook(name, args);
        // After Signed Out, which belongs to the session it ends.
        if (name === 'auth::logged.out') h.signedOut();
        if (/^(auth|profile)::/.test(name)) readState(sdk, s);
      });
    } catch (e) {
      if (DEBUG) h.log('hook "' + String(name) + '" failed', e);
    }
  };
  try {
    readState(sdk, s);
    // Decide consent before replaying the events the SDK already dispatched: with the store config
    // loaded, `early` reads the recorded choice. Before that the page tells nothing, not even a guess
    // (a baked-in consent would take it for one, over a rejection the store has not told yet).
    early();
    // Without a bus there are no hooks, but its readiness still brings the store's settings.
    if (typeof ev?.onAny === 'function') {
      ev.onAny(listener);
      // Events the SDK already dispatched (server-rendered, during Salla.init) are in its config;
      // `emittedEvents` is a Set of their names (`call`: none, or no `has`, is none dispatched).
      const emitted = get(ev, 'emittedEvents');
      const events = obj(cfg(sdk, 'events'));
      for (const name of Object.keys(events || {})) {
        if (call(emitted, 'has', name)) listener(name, events![name]);
      }
    } else if (DEBUG) h.log('the SDK has no event.onAny; no hooks');
  } catch (e) {
    if (DEBUG) h.log('attaching to the SDK failed', e);
  }
  // (neither throws: `get` and `call` are guarded, `onReady` catches)
  if (get(sdk, 'status') === 'ready') onReady();
  // A rejected promise from onReady is not an unhandled rejection.
  else call(call(sdk, 'onReady', onReady), 'catch', () => undefined);
  return () => call(ev, 'offAny', listener);
}
