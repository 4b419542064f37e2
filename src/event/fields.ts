/**
 * The value types of the schema's main property names (Segment's reserved properties: ids are
 * strings, money a finite number, quantities positive integers, currency ISO 4217), shared by every
 * track event on its way out (repair) and by `validateEvent` (report).
 */
import type { EventName } from '../schema';
import { clean, currency, list, num, obj, qty, str, type Obj } from '../lib/read';

/** Catalog properties that must be there. */
export const REQUIRED: Partial<Record<EventName, string[]>> = {
  'Cart Viewed': ['products'],
  'Cart Updated': ['products'],
  'Order Completed': ['order_id', 'products'],
  'Product List Viewed': ['products'],
  'Product List Filtered': ['products'],
  'Products Searched': ['query'],
  'Product Reviewed': ['product_id'],
  'User Profile Updated': ['updated_fields'],
  'Web Vital Measured': ['metric', 'value', 'delta'],
};

/**
 * The kind of property `k` of `event` (`''` inside a product): `i` non-empty string (ids), `n` finite
 * number (money), `q` positive integer, `z` integer ≥ 0, `c` ISO 4217 code, `p` products, `h` SHA-256 hex.
 */
export function kind(k: string, event: string): string | undefined {
  return k === 'quantity' && event === 'Cart Updated' // an empty cart has 0 units
    ? 'z'
    : k === 'position' && /^Promotion/.test(event) // a promotion's position is a name
      ? undefined
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
                    : undefined;
}

/** Does `v` have kind `t`? (the fields of each product are checked by the caller) */
export function valid(t: string, v: unknown): boolean {
  const n = typeof v === 'number' && isFinite(v);
  return t === 'i'
    ? typeof v === 'string' && v !== ''
    : t === 'n'
      ? n
      : t === 'c' || t === 'h'
        ? typeof v === 'string' && (t === 'c' ? /^[A-Z]{3}$/ : /^[0-9a-f]{64}$/).test(v)
        : t === 'p'
          ? Array.isArray(v) && v.every((x) => !!obj(x))
          : n && (v as number) % 1 === 0 && (v as number) >= (t === 'q' ? 1 : 0);
}

/**
 * Give properties those types, in place: numbers from numeric strings, ids as strings, whole
 * quantities, products one by one; a value that cannot be repaired is removed.
 */
export function repair(p: Obj, event: string): Obj {
  for (const k of Object.keys(p)) {
    const t = kind(k, event);
    const v = p[k];
    if (!t || (t !== 'p' && valid(t, v))) continue;
    let x: unknown;
    if (t === 'p') {
      x = valid(t, v) ? v : list(v).filter((i) => obj(i));
      for (const i of x as Obj[]) repair(i, '');
    } else
      x =
        t === 'i'
          ? str(v)
          : t === 'c'
            ? currency(v)
            : t === 'n'
              ? num(v)
              : t === 'q'
                ? qty(v)
                : Math.floor(num(v) as number);
    p[k] = valid(t, x) ? x : undefined;
  }
  return clean(p);
}

/** Repair `p` and check the catalog's required properties (a missing list is empty); false when one is missing. */
export function complete(p: Obj, event: string): boolean {
  repair(p, event);
  for (const k of (Object.prototype.hasOwnProperty.call(REQUIRED, event) && REQUIRED[event as EventName]) ||
    []) {
    if (p[k] !== undefined) continue;
    if (k !== 'products' && k !== 'updated_fields') return false;
    p[k] = [];
  }
  return true;
}
