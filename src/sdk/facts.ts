/**
 * The store, page and customer facts read from the Twilight SDK: the only writer of the SDK facts in
 * `HookState` (normalizers read them) and of the store's recorded consent.
 */
import type { ConsentState } from '../schema';
import type { TwilightSdk } from '../types';
import type { HookState, ListAttribution } from '../normalize/types';
import { at, currency, get, obj, qty, str, strAt } from '../lib/read';
import { INFERRED, SHOPPER } from '../lib/consentRank';

/** The list attribution Salla's components left in sessionStorage (read by `session`), if any. */
export function listAttribution(
  session?: (key: string) => string | null | undefined,
): ListAttribution | undefined {
  const a: ListAttribution = {
    position: qty(session?.('s-viewed-position')),
    source: str(session?.('s-viewed-source'), 64),
    request_id: str(session?.('s-request-id'), 64),
  };
  return a.position || a.source || a.request_id ? a : undefined;
}

/** `o[fn](...a)`, guarded. */
export function call(o: unknown, fn: string, ...a: unknown[]): unknown {
  try {
    const f = get(o, fn);
    return typeof f === 'function' ? f.apply(o, a) : undefined;
  } catch {
    /* a throwing getter or method: undefined */
  }
}

/** `Salla.config.get(key)`, guarded. */
export const cfg = (sdk: TwilightSdk, key: string): unknown => call(get(sdk, 'config'), 'get', key);

/** Refresh what normalizers know (store, currency, page, customer, stored UTM) from the SDK. */
export function readState(sdk: TwilightSdk, s: HookState): void {
  s.storeId = str(cfg(sdk, 'store.id')) || s.storeId;
  s.storeName = str(cfg(sdk, 'store.name')) || s.storeName;
  s.storeCurrency =
    currency(call(get(sdk, 'config'), 'currency')) || // (`{code}`: `currency` reads it)
    currency(cfg(sdk, 'user.currency_code')) ||
    currency(cfg(sdk, 'currency')) ||
    s.storeCurrency;
  const page = cfg(sdk, 'page');
  s.pageSlug = strAt(page, 'slug') || s.pageSlug;
  s.pageId = strAt(page, 'id') || s.pageId;
  s.pageTitle = strAt(page, 'title') || s.pageTitle;
  const user = obj(cfg(sdk, 'user'));
  // A guest in the config is still the customer of a profile fetched since (the SDK copies a profile
  // without `phone` to its config not at all); sign-out forgets that profile.
  s.customerId = (strAt(user, 'type') !== 'guest' && strAt(user, 'id')) || strAt(s.customer, 'id');
  if (s.customerId && !s.customer) s.customer = { ...user }; // (a user id: `user` is an object)
  // The SDK keeps the visit's UTM values 90 days under `s-utms_<storeId>` ({value, expiry}).
  s.utm =
    call(get(sdk, 'storage'), 'getWithTTL', 's-utms') ||
    call(get(sdk, 'storage'), 'get', 's-utms_' + s.storeId) ||
    s.utm;
}

/** Country calling codes of the Gulf markets Salla's stores sell in: ISO 3166 code, then its three digits. */
const CALLING = 'SA966AE971KW965BH973QA974OM968';

/**
 * The country calling code of a local phone number, read when an event with one is hashed: the
 * signed-in customer's (the profile's `phone.code`, else their country), else that of the store's
 * country; undefined when none is known (or the country is not in the table).
 */
export function callingCode(s: HookState, sdk?: TwilightSdk): string | undefined {
  const c = str(
    at(s.customer, 'phone', 'code') ||
      get(s.customer, 'country_code') ||
      cfg(sdk as TwilightSdk, 'store.country') ||
      cfg(sdk as TwilightSdk, 'store.store_country'),
  )?.toUpperCase();
  // A code (`+966`) as it is; a country (`SA`) by the table; none (undefined) matches neither.
  return /^\+?\d{1,4}$/.test(c!)
    ? c
    : /^[A-Z]{2}$/.test(c!)
      ? CALLING.split(c!)[1]?.slice(0, 3) // (undefined: not in the table)
      : undefined;
}

/**
 * The consent the store's page tells (`salla-cookies-bar`, shown when `store.features` has
 * `website-cookies`, stores `cookies-consent` = accepted/rejected/unknown), and its strength: `SHOPPER`
 * for a choice the shopper made, else `INFERRED` (`granted` for a store without the bar, also while
 * its config is not loaded yet, `pending` while the shopper has not chosen).
 */
export function storedConsent(sdk: TwilightSdk): [ConsentState, number] {
  const features = cfg(sdk, 'store.features');
  if (!Array.isArray(features) || features.indexOf('website-cookies') < 0) return ['granted', INFERRED];
  const v = call(get(sdk, 'storage'), 'get', 'cookies-consent');
  return v === 'accepted'
    ? [accepted(sdk), SHOPPER]
    : v === 'rejected'
      ? ['denied', SHOPPER]
      : ['pending', INFERRED];
}

/**
 * What the cookie bar's `accepted` means for analytics: its settings panel also ends in `accepted`,
 * after writing each category's cookie; Performance switched off (`performance_cookies=false`) is a no.
 */
export const accepted = (sdk: TwilightSdk): ConsentState =>
  call(get(sdk, 'cookie'), 'get', 'performance_cookies') === 'false' ? 'denied' : 'granted';

/**
 * The store's app settings for `keys` (read as `app.<prefix><snake_case key>`, the public settings
 * of the app that ships the tracker as an App Snippet); unset ones are left out.
 */
export function appSettings(
  sdk: TwilightSdk,
  prefix: string,
  keys: readonly string[],
): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const k of keys) {
    const v = cfg(sdk, 'app.' + prefix + k.replace(/[A-Z]/g, '_$&').toLowerCase());
    if ((v ?? '') !== '') out[k] = v;
  }
  return out;
}
