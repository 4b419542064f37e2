import type { ConsentState, PageProperties } from '../schema';
import type { TwilightSdk } from '../types';
import type { HookState } from '../normalize/types';
import type { Log } from './createLog';
import { at, currency, get, obj, str } from '../normalize/values';

export interface AttachHooks {
  log: Log;
  /** The SDK is ready: page facts from its config. */
  ready(page: PageProperties): void;
  /** The consent the store's cookie bar recorded (`granted` when the store has none); at attach and at ready. */
  stored(state: ConsentState): void;
  /** The shopper chose on the cookie bar. */
  consent(state: ConsentState): void;
  /** The shopper signed out (new session). */
  signedOut(): void;
}

/** `Salla.config.get(key)`, guarded. */
function cfg(sdk: TwilightSdk, key: string): unknown {
  try {
    const c = sdk.config;
    return c && typeof c.get === 'function' ? c.get(key) : undefined;
  } catch {
    return undefined;
  }
}

/** `o[fn](...a)`, guarded. */
function call(o: unknown, fn: string, ...a: unknown[]): unknown {
  try {
    const f = get(o, fn);
    return typeof f === 'function' ? f.apply(o, a) : undefined;
  } catch {
    return undefined;
  }
}

/** Refresh what normalizers know (store, currency, page, customer, stored UTM) from the SDK. */
export function readState(sdk: TwilightSdk, s: HookState): void {
  s.storeId = str(cfg(sdk, 'store.id')) || s.storeId;
  s.storeName = str(cfg(sdk, 'store.name')) || s.storeName;
  let cur: unknown;
  try {
    const c = get(sdk.config, 'currency');
    cur = typeof c === 'function' ? get(c.call(sdk.config), 'code') : undefined;
  } catch {
    cur = undefined;
  }
  s.currency =
    currency(cur) || currency(cfg(sdk, 'user.currency_code')) || currency(cfg(sdk, 'currency')) || s.currency;
  const page = cfg(sdk, 'page');
  s.slug = str(get(page, 'slug')) || s.slug;
  s.pageId = str(get(page, 'id')) || s.pageId;
  s.pageTitle = str(get(page, 'title')) || s.pageTitle;
  const user = obj(cfg(sdk, 'user'));
  const uid = str(get(user, 'id'));
  s.userId = uid && str(get(user, 'type')) !== 'guest' ? uid : undefined;
  if (user && s.userId && !s.user) s.user = { ...user };
  // The SDK keeps the visit's UTM values 90 days under `s-utms_<storeId>` ({value, expiry}).
  s.utm =
    call(sdk.storage, 'getWithTTL', 's-utms') || call(sdk.storage, 'get', 's-utms_' + s.storeId) || s.utm;
}

/**
 * The consent recorded by the store's cookie bar (`salla-cookies-bar`, shown when `store.features` has
 * `website-cookies`; it stores `cookies-consent` = accepted/rejected/unknown): `granted` for a store
 * without it, `undefined` while the store config is not loaded yet.
 */
export function storedConsent(sdk: TwilightSdk): ConsentState | undefined {
  const features = cfg(sdk, 'store.features');
  if (!Array.isArray(features)) return cfg(sdk, 'store.id') ? 'granted' : undefined;
  if (features.indexOf('website-cookies') < 0) return 'granted';
  let v: unknown;
  try {
    v = sdk.storage && typeof sdk.storage.get === 'function' ? sdk.storage.get('cookies-consent') : undefined;
  } catch {
    v = undefined;
  }
  return v === 'accepted' ? 'granted' : v === 'rejected' ? 'denied' : 'pending';
}

/**
 * Listen to every SDK hook with one `onAny` listener; recover the server-rendered events
 * (`config.events`) that the SDK dispatched before we attached; report readiness.
 * Returns the detach function. Never throws.
 */
export function attachSdk(
  sdk: TwilightSdk,
  s: HookState,
  onHook: (name: string, args: unknown[]) => void,
  h: AttachHooks,
): () => void {
  // The SDK object is untrusted too: even reading `event` may throw.
  const ev = get(sdk, 'event') as TwilightSdk['event'];
  const listener = (name: unknown, ...args: unknown[]) => {
    try {
      if (typeof name !== 'string') return;
      if (name === 'salla-cookies-bar::accepted') h.consent('granted');
      else if (name === 'salla-cookies-bar::rejected') h.consent('denied');
      // Who reports an add depends on its source (`cart.addItem({source})`, or set by a component).
      const src =
        name === 'Product Added' || name === 'cart::item.added' || name === 'cart::before.add.item'
          ? str(at(sdk, 'cart', 'api', 'addToCartSource'), 64)
          : undefined;
      if (src || name === 'cart::before.add.item') s.source = src;
      onHook(name, args);
      // After Signed Out, which belongs to the session it ends.
      if (name === 'auth::logged.out') h.signedOut();
      if (name.indexOf('auth::') === 0 || name.indexOf('profile::') === 0) readState(sdk, s);
    } catch (e) {
      h.log('hook "' + String(name) + '" failed', e);
    }
  };
  try {
    readState(sdk, s);
    // Decide consent before replaying the events the SDK already dispatched.
    h.stored(storedConsent(sdk) || 'pending');
    if (!ev || typeof ev.onAny !== 'function') {
      h.log('the SDK has no event.onAny; not attached');
      return () => undefined;
    }
    ev.onAny(listener);
    // Events the SDK already dispatched (server-rendered, during Salla.init) are in its config.
    const emitted = get(ev, 'emittedEvents');
    const events = obj(cfg(sdk, 'events'));
    if (events && emitted && typeof (emitted as Set<string>).has === 'function') {
      for (const name of Object.keys(events)) {
        if ((emitted as Set<string>).has(name)) listener(name, events[name]);
      }
    }
  } catch (e) {
    h.log('attaching to the SDK failed', e);
  }
  let done = false;
  const onReady = () => {
    if (done) return;
    done = true;
    try {
      readState(sdk, s);
      const page = cfg(sdk, 'page');
      h.stored(storedConsent(sdk) || 'granted');
      h.ready({
        slug: s.slug,
        page_id: s.pageId,
        title: str(get(page, 'title')),
      });
    } catch (e) {
      h.log('ready failed', e);
    }
  };
  try {
    if (at(sdk, 'status') === 'ready') onReady();
    else if (typeof sdk.onReady === 'function') {
      const p = sdk.onReady(onReady);
      if (p && typeof (p as Promise<unknown>).then === 'function')
        (p as Promise<unknown>).then(undefined, () => undefined);
    }
  } catch (e) {
    h.log('onReady failed', e);
  }
  return () => {
    try {
      if (ev && typeof ev.offAny === 'function') ev.offAny(listener);
    } catch {
      /* ignore */
    }
  };
}
