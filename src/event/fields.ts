/**
 * The value types of the schema's property names (Segment's reserved properties: ids are strings,
 * money a finite number, quantities positive integers, currency ISO 4217; and the catalog's other
 * typed properties), used to repair the properties given to `track()` on their way out. (The
 * `validateEvent` of collectors checks events against its own table, src/validateSchema.ts.)
 */
import type { EventName } from '../schema';
import { get, list, obj, qty, str, type Obj } from '../lib/read';
// Four kinds are readers as they are (each keeps a value of its kind as it is): MONEY, finite numbers;
// CURRENCY, ISO 4217 codes; RATING, 1 to 5 (as src/normalize/product.ts reads them); COUNT, integers
// ≥ 0 (a fraction dropped, no upper bound). Imported under the kind's name: a `const MONEY = num`
// here stays in tracker.js as one more name (terser keeps it).
import { currency as CURRENCY, num as MONEY, rating as RATING, whole as COUNT } from '../lib/read';

/**
 * The catalog: its event names, each with the properties that must be there (`0`: none). The string
 * properties below are typed in these events only. A null prototype: `constructor` or a polluted
 * prototype is no catalog event. It `satisfies` a record of every `EventName`: the compiler finds
 * one missing or one too many. (The order is the one that compressed best.)
 */
export const CATALOG = {
  __proto__: null,
  'Market Selected': 0,
  'Coupon Removed': 0,
  'Promotion Clicked': 0,
  'Product Removed': 0,
  'Promotion Viewed': 0,
  'Product Clicked': 0,
  'Product Viewed': 0,
  'Product Added': 0,
  'Product Removed from Wishlist': 0,
  'Coupon Denied': 0,
  'Coupon Applied': 0,
  'Recommendation List Viewed': ['products'],
  'Product Reviewed': ['product_id'],
  'Order Completed': ['order_id', 'products'],
  'Product List Viewed': ['products'],
  'Product Reordered': 0,
  'Product Added to Wishlist': 0,
  'Cart Viewed': ['products'],
  'Product Shared': 0,
  'Signed Up': 0,
  'Cart Updated': ['products'],
  'Wishlist Product Added to Cart': 0,
  'Signed Out': 0,
  'Signed In': 0,
  'User Profile Updated': ['updated_fields'],
  'Product List Filtered': ['products', 'filters'],
  'Web Vital Measured': ['metric', 'value', 'delta'],
  'Products Searched': ['query'],
} satisfies Record<EventName, string[] | 0> & { __proto__: null } as Record<EventName, string[] | 0>;

/** A kind of value: `v` as it is when it has the kind, else repaired to it; undefined when it cannot be (removed). */
type Kind = (v: unknown) => unknown;

const text = (v: unknown): v is string => typeof v === 'string';

/** The kind whose values pass `ok` (truthy), repaired by `fix` (which gives one that passes, or undefined). */
const kindOf =
  (ok: (v: unknown) => unknown, fix?: (v: unknown) => unknown): Kind =>
  (v) =>
    ok(v) ? v : fix?.(v);

/** Non-empty strings (ids). */
const ID = kindOf((v) => text(v) && v, str);
/** Strings. */
const TEXT = kindOf(text, str);
/** Positive integers (a whole number as `COUNT` reads it, but 0). */
const QUANTITY = kindOf((v) => v === COUNT(v) && v, qty);
/** Products: the objects of a list, each repaired. */
const PRODUCTS: Kind = (v) =>
  list(v)
    .filter(obj)
    .map((i) => repair(i as Obj, ''));
/** `{type, value}` facets (sorts, filters). */
const FACETS = kindOf(
  (v) => Array.isArray(v) && v.every((x) => text(get(x, 'type')) && text(get(x, 'value'))),
  (v) =>
    list(v)
      .map((f) => ({ type: str(get(f, 'type')), value: str(get(f, 'value')) }))
      .filter((f) => f.value && f.type),
);
/** SHA-256 hex digests (a wrong one cannot be repaired). */
const HEX = kindOf((v) => text(v) && /^[\da-f]{64}$/.test(v));
/** Web Vitals metric names (a wrong one cannot be repaired). */
const METRIC = kindOf((v) => text(v) && /^(LCP|INP|CLS|FCP|TTFB)$/.test(v));
/** Lists of strings. */
const STRINGS = kindOf(
  (v) => Array.isArray(v) && v.every(text),
  (v) =>
    list(v)
      .map((a) => str(a))
      .filter(Boolean),
);

/** A free-form property's kind: any value, as it is. */
const AS_IS: Kind = (v) => v;

/**
 * The kinds of Segment's reserved properties, in every event (a null prototype: `constructor` is
 * none). These tables are in the order that compressed best.
 */
const RESERVED: Record<string, Kind | undefined> = {
  __proto__: null as never,
  products: PRODUCTS,
  value: MONEY,
  currency: CURRENCY,
  price: MONEY,
  total_results: COUNT,
  revenue: MONEY,
  position: QUANTITY,
  delta: MONEY,
  quantity: QUANTITY,
  discount: MONEY,
  total: MONEY,
  subtotal: MONEY,
  shipping: MONEY,
  tax: MONEY,
  sku: ID, // skus are strings, like ids
};

/** The kinds of the catalog's other typed properties (its other properties are strings). */
const TYPED: Record<string, Kind | undefined> = {
  __proto__: null as never,
  filters: FACETS,
  updated_fields: STRINGS,
  sorts: FACETS,
  id: ID,
  metric: METRIC,
};

/**
 * The kind of property `k` of `event` (`''` inside a product): ids, money, quantities, counts,
 * currencies, products and SHA-256 hex in every event; in catalog events and their products also
 * ratings, metric names, facets, string lists, and a string for every other property (the catalog
 * has no other kind); any value for the free-form properties of a custom event.
 */
export const kind = (k: string, event: string): Kind => {
  // (Suffixes and prefixes by regex, as complete() reads them: track() relies on RegExp.prototype.test
  // already, and a page that replaces it, as XRegExp does, keeps its meaning.)
  return k === 'quantity' && event === 'Cart Updated' // an empty cart has 0 units
    ? COUNT
    : k === 'position' && /^Promotion/.test(event) // a promotion's position is a name
      ? TEXT
      : RESERVED[k] ||
        (/_id$/.test(k)
          ? ID
          : /_sha256$/.test(k)
            ? HEX
            : event && !(event in CATALOG)
              ? AS_IS // a custom event: the rest is free-form, as it is
              : event === 'Product Reviewed' && k === 'rating'
                ? RATING
                : TYPED[k] || TEXT); // every other property of the catalog is a string
};

/**
 * Give properties those types, in place: numbers from numeric strings, ids as strings, whole
 * quantities, products one by one; a value that cannot be repaired is removed. `p` is sanitized
 * (src/event/bounds.ts): it holds no undefined value.
 */
export const repair = (p: Obj, event: string): Obj => {
  for (const k of Object.keys(p)) {
    const x = kind(k, event)(p[k]);
    if (x !== undefined) p[k] = x;
    else delete p[k];
  }
  return p;
};

/** Repair `p` and check the catalog's required properties (a missing list is empty); false when one is missing. */
export function complete(p: Obj, event: string): boolean {
  repair(p, event);
  // A missing list is empty (of the required properties, only the lists end in `s`); any other
  // required property missing drops the event.
  return (CATALOG[event as EventName] || []).every(
    (k) => p[k] !== undefined || (/s$/.test(k) && (p[k] = [])),
  );
}
