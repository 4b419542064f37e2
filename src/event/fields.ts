/**
 * The value types of the schema's property names (Segment's reserved properties: ids are strings,
 * money a finite number, quantities positive integers, currency ISO 4217; and the catalog's other
 * typed properties), used to repair the properties given to `track()` on their way out. (The
 * `validateEvent` of collectors checks events against its own table, src/validateSchema.ts.)
 */
import type { EventName } from '../schema';
import { currency, get, list, num, obj, qty, str, type Obj } from '../lib/read';

/** Catalog properties that must be there (a null prototype: `constructor` or a polluted prototype requires nothing). */
export const REQUIRED = {
  __proto__: null,
  'Cart Viewed': ['products'],
  'Cart Updated': ['products'],
  'Order Completed': ['order_id', 'products'],
  'Product List Viewed': ['products'],
  'Product List Filtered': ['products', 'filters'],
  'Recommendation List Viewed': ['products'],
  'Products Searched': ['query'],
  'Product Reviewed': ['product_id'],
  'User Profile Updated': ['updated_fields'],
  'Web Vital Measured': ['metric', 'value', 'delta'],
} as Partial<Record<EventName, string[]>>;

/**
 * With REQUIRED's, the catalog's event names (the string properties below are typed in these only):
 * the others. An array literal beginning like the beacon's PRIORITY list (src/delivery/beacon.ts),
 * two of REQUIRED's included: it compresses better.
 */
const CATALOG = [
  'Signed In',
  'Signed Up',
  'Product Removed',
  'Coupon Applied',
  'Cart Viewed',
  'Product Added',
  'Order Completed',
  'Signed Out',
  'Coupon Removed',
  'Coupon Denied',
  'Product Reordered',
  'Wishlist Product Added to Cart',
  'Product Viewed',
  'Product Clicked',
  'Product Shared',
  'Product Added to Wishlist',
  'Product Removed from Wishlist',
  'Promotion Viewed',
  'Promotion Clicked',
  'Market Selected',
];
/** The pattern of the string kinds `c`, `h` and `m` (metric names). */
const PATTERN = {
  // No prototype: a page's `Object.prototype.s = …` is not a pattern.
  __proto__: null,
  c: /^[A-Z]{3}$/,
  h: /^[0-9a-f]{64}$/,
  m: /^(LCP|INP|CLS|FCP|TTFB)$/,
};

/**
 * The kind of property `k` of `event` (`''` inside a product): `i` non-empty string (ids), `n` finite
 * number (money), `q` positive integer, `z` integer ≥ 0, `c` ISO 4217 code, `p` products, `h` SHA-256
 * hex; in catalog events and their products also `r` rating 1–5, `m` metric name, `f` `{type, value}`
 * facets, `a` strings, and `s` string for every other property (the catalog has no other kind).
 */
export function kind(k: string, event: string): string | undefined {
  return k === 'quantity' && event === 'Cart Updated' // an empty cart has 0 units
    ? 'z'
    : k === 'position' && /^Promotion/.test(event) // a promotion's position is a name
      ? 's'
      : /^(quantity|position)$/.test(k)
        ? 'q'
        : k === 'total_results'
          ? 'z'
          : k === 'currency'
            ? 'c'
            : k === 'products'
              ? 'p'
              : /^(price|value|total|subtotal|revenue|tax|discount|shipping|delta)$/.test(k)
                ? 'n'
                : /_id$/.test(k) || k === 'sku' // skus are strings, like ids
                  ? 'i'
                  : /_sha256$/.test(k)
                    ? 'h'
                    : event && !(event in REQUIRED) && CATALOG.indexOf(event) < 0 // (REQUIRED: a null prototype)
                      ? undefined // a custom event: the rest is free-form
                      : k === 'rating' && event === 'Product Reviewed'
                        ? 'r'
                        : k === 'metric'
                          ? 'm'
                          : k === 'sorts' || k === 'filters'
                            ? 'f'
                            : k === 'updated_fields'
                              ? 'a'
                              : k === 'id'
                                ? 'i'
                                : 's'; // every other property of the catalog is a string
}

/** Does `v` have kind `t`? (the fields of each product are checked by the caller) */
export function valid(t: string, v: unknown): boolean {
  const n = typeof v === 'number' && isFinite(v);
  const text = (x: unknown) => typeof x === 'string';
  const re = (PATTERN as unknown as Record<string, RegExp | undefined>)[t];
  return re
    ? text(v) && re.test(v as string)
    : t === 'i'
      ? text(v) && v !== ''
      : t === 's'
        ? text(v)
        : t === 'n'
          ? n
          : t === 'r'
            ? n && (v as number) >= 1 && (v as number) <= 5
            : t === 'p'
              ? Array.isArray(v) && v.every(obj)
              : t === 'f'
                ? Array.isArray(v) && v.every((x) => text(get(x, 'type')) && text(get(x, 'value')))
                : t === 'a'
                  ? Array.isArray(v) && v.every(text)
                  : n && (v as number) % 1 === 0 && (v as number) >= (t === 'q' ? 1 : 0);
}

/**
 * Give properties those types, in place: numbers from numeric strings, ids as strings, whole
 * quantities, products one by one; a value that cannot be repaired is removed. `p` is sanitized
 * (src/event/bounds.ts): it holds no undefined value.
 */
export function repair(p: Obj, event: string): Obj {
  for (const k of Object.keys(p)) {
    const t = kind(k, event);
    const v = p[k];
    if (!t || (t !== 'p' && valid(t, v))) continue;
    let x: unknown;
    if (t === 'p') {
      x = valid(t, v) ? v : list(v).filter(obj);
      for (const i of x as Obj[]) repair(i, '');
    } else
      x =
        t === 'i' || t === 's'
          ? str(v)
          : t === 'c'
            ? currency(v)
            : t === 'n' || t === 'r'
              ? num(v)
              : t === 'q'
                ? qty(v)
                : t === 'f'
                  ? list(v)
                      .map((f) => ({ type: str(get(f, 'type')), value: str(get(f, 'value')) }))
                      .filter((f) => f.type && f.value)
                  : t === 'a'
                    ? list(v)
                        .map((a) => str(a))
                        .filter(Boolean)
                    : Math.floor(num(v) as number); // `z`; a wrong `m` or `h` gives a number, which is not one (removed)
    if (valid(t, x)) p[k] = x;
    else delete p[k];
  }
  return p;
}

/** Repair `p` and check the catalog's required properties (a missing list is empty); false when one is missing. */
export function complete(p: Obj, event: string): boolean {
  repair(p, event);
  for (const k of REQUIRED[event as EventName] || []) {
    if (p[k] !== undefined) continue;
    // A missing list is empty; any other required property missing drops the event.
    if (!/s$/.test(k)) return false; // of REQUIRED's, only the lists end in `s`
    p[k] = [];
  }
  return true;
}
