import type { Log } from '../lib/log';
import type { EventName, EventProperties } from '../schema';
import type { Obj } from '../lib/read';

/** What normalizers know about the store, page, cart and customer (refreshed from the SDK and from hooks). */
export interface HookState {
  /** Store currency (ISO 4217). */
  storeCurrency?: string;
  storeId?: string;
  storeName?: string;
  /** Signed-in customer id. */
  customerId?: string;
  /** Salla page slug (`product.single`, `cart`…) and id. */
  pageSlug?: string;
  pageId?: string;
  pageTitle?: string;
  /** The last known customer (config `user` or profile `data`), for Signed In traits and profile diffs. */
  customer?: Obj;
  /** This page's sign-in: [Signed In or Up, method]; [] once sent (until sign-out). */
  auth?: [('Signed In' | 'Signed Up')?, (string | undefined)?];
  /** The last Product Viewed (for Product Shared). */
  viewed?: EventProperties['Product Viewed'];
  /** The cart of the last `cart::updated`, and the one before it (quantity deltas, removed coupon). */
  cart?: unknown;
  prev?: unknown;
  /** Signature of the last cart reported as Cart Updated. */
  sig?: string;
  /** The SDK's `cart.api.addToCartSource` of the add in progress (`pdp_fbt`, `basket_gap`…). */
  addSource?: string;
  /** The SDK's stored UTM values (`s-utms`). */
  utm?: unknown;
  /** The list this page's product was reached from (when the page loaded), and the one of the add in progress. */
  landing?: ListAttribution;
  adding?: ListAttribution;
  /** Products already listed per list (by list_id, undefined when unnamed), for the positions of a list's next page. */
  listed?: Map<string | undefined, number>;
  /** Recent reports by action key, for suppressing the same action reported twice (`seen`). */
  recent: Map<string, [number, true?]>;
  now(): number;
  log: Log;
}

/**
 * Where a product was reached from, as Salla's list, slider and search components record it in
 * sessionStorage (`s-viewed-position`, `s-viewed-source`, `s-request-id`).
 */
export interface ListAttribution {
  position?: number;
  source?: string;
  request_id?: string;
}

/** One normalized event; `id` (optional) makes its messageId deterministic. */
export type Emitted = {
  [N in EventName]: { name: N; properties: EventProperties[N]; id?: string };
}[EventName];

/** Turns one hook's arguments into zero or more events (none: `undefined`/void, or false). May throw: the caller catches. */
export type Normalizer = (args: unknown[], s: HookState) => Emitted | Emitted[] | false | undefined | void;

/** Hook name → normalizer. */
export type HookTable = Record<string, Normalizer>;

/** One event, typed by its name. */
export const ev = <N extends EventName>(name: N, properties: EventProperties[N], id?: string) =>
  ({ name, properties, id }) as Emitted;

/**
 * Salla reports some actions twice: a server event in the API response, then the SDK hook. Each
 * side (`late`: the hook) records the action `key`; true when the other side reported it within
 * 3 s (else nothing), which consumes that report, so a second click is a new action. One entry per
 * key: [its time, `late`] (a report of the same side replaces it). `late` is `true` or absent, never
 * `false` (the type says so), so the sides compare as they are.
 */
export function seen(s: HookState, key: string, late?: true): boolean | void {
  const now = s.now();
  const r = s.recent;
  const [t, side] = r.get(key) || []; // (none: NaN is not within 3 s)
  if (side != late && now - t! < 3000) return r.delete(key);
  if (r.size > 200) r.clear();
  r.set(key, [now, late]);
}
