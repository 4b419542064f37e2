/**
 * Readers for untrusted SDK payloads. Each returns a clean value or `undefined`; none throws
 * (throwing getters, cyclic objects and prototype keys are all survived).
 */
import type { CartProduct } from '../schema';

/** Longest string value kept (longer ones are cut). */
export const MAX_STRING = 500;
/** Longest array kept (products, filters…). */
export const MAX_ARRAY = 100;

export type Obj = Record<string, unknown>;

/** A plain object (not null, not an array), else undefined. */
export function obj(v: unknown): Obj | undefined {
  return v !== null && typeof v === 'object' && !Array.isArray(v) ? (v as Obj) : undefined;
}

/** Read `o[k]` safely (own or inherited, a throwing getter gives undefined). Never reads `__proto__`. */
export function get(o: unknown, k: string): unknown {
  if (o === null || typeof o !== 'object') return undefined;
  try {
    return k === '__proto__' || k === 'constructor' || k === 'prototype' ? undefined : (o as Obj)[k];
  } catch {
    return undefined;
  }
}

/** Read a path of keys. */
export function at(o: unknown, ...keys: string[]): unknown {
  for (const k of keys) o = get(o, k);
  return o;
}

/** A trimmed, bounded string from a string or finite number; empty gives undefined. */
export function str(v: unknown, max = MAX_STRING): string | undefined {
  if (typeof v === 'number') return isFinite(v) ? String(v) : undefined;
  if (typeof v !== 'string') return undefined;
  const s = v.trim();
  return s ? s.slice(0, max) : undefined;
}

/** `str(at(o, ...keys))`: a string field. */
export const strAt = (o: unknown, ...keys: string[]): string | undefined => str(at(o, ...keys));

/** A finite number from a number or numeric string (`"12.50"`, `"1,200.5"`); else undefined. */
export function num(v: unknown): number | undefined {
  if (typeof v === 'string') v = v.trim() === '' ? NaN : Number(v.replace(/,/g, ''));
  return typeof v === 'number' && isFinite(v) ? v : undefined;
}

/** Money: a finite number rounded to 4 decimals; also reads `{amount}` objects. */
export function money(v: unknown): number | undefined {
  const n = num(obj(v) ? get(v, 'amount') : v);
  return n === undefined ? undefined : Math.round(n * 1e4) / 1e4;
}

/** `money(at(o, ...keys))`: a money field. */
export const moneyAt = (o: unknown, ...keys: string[]): number | undefined => money(at(o, ...keys));

/** A positive integer (quantities); else undefined. */
export function qty(v: unknown): number | undefined {
  const n = num(v);
  return n !== undefined && n >= 1 ? Math.min(Math.floor(n), 1e6) : undefined;
}

/** An ISO 4217 code (three letters, upper-cased); else undefined. */
export function currency(v: unknown): string | undefined {
  const s = str(obj(v) ? get(v, 'code') : v, 8);
  return s && /^[a-z]{3}$/i.test(s) ? s.toUpperCase() : undefined;
}

/** An array (bounded to `MAX_ARRAY`), else an empty array. */
export function list(v: unknown): unknown[] {
  try {
    return Array.isArray(v) ? v.slice(0, MAX_ARRAY) : [];
  } catch {
    return [];
  }
}

/** A name from a string or `{name}` object. */
export function named(v: unknown): string | undefined {
  if (Array.isArray(v)) v = get(v, '0');
  return str(obj(v) ? get(v, 'name') : v);
}

/** The item of a server event payload: `[item]` or `item`. */
export const first = (v: unknown): unknown => (Array.isArray(v) ? get(v, '0') : v);

/** Drop undefined keys, so events compare and serialize cleanly. */
export function clean<T extends object>(o: T): T {
  for (const k in o) if (o[k] === undefined) delete o[k];
  return o;
}

/**
 * A normalized product from either shape the SDK carries: a Segment-style item from server events
 * (`product_id`, `price`, `quantity`…) or a Salla product/cart item (`id`, `price` as `{amount}`,
 * `image.url`, `category.name`…). A catalog product's `quantity` is its stock, not units the
 * shopper chose: pass `catalog` to leave it out.
 */
export function product(v: unknown, cur?: string, catalog?: boolean): CartProduct {
  const o = obj(v);
  if (!o) return {};
  const img = get(o, 'image_url') ?? get(o, 'image') ?? get(o, 'thumbnail');
  return clean({
    product_id: str(get(o, 'product_id') ?? get(o, 'id'), 64),
    sku: str(get(o, 'sku'), 120),
    category: named(get(o, 'category')),
    name: str(get(o, 'name')),
    brand: named(get(o, 'brand')),
    variant: str(get(o, 'variant'), 200),
    price: money(get(o, 'price') ?? get(o, 'product_price')),
    quantity: catalog ? undefined : qty(get(o, 'quantity')),
    coupon: str(get(o, 'coupon'), 120),
    position: qty(get(o, 'position')),
    url: str(get(o, 'url'), 2000),
    image_url: str(obj(img) ? get(img, 'url') : img, 2000),
    currency: currency(get(o, 'currency')) || cur,
    cart_item_id: str(get(o, 'cart_item_id'), 64),
  });
}
