/**
 * Readers for untrusted SDK payloads. Each returns a clean value or `undefined`; none throws
 * (throwing getters, cyclic objects and prototype keys are all survived). Declared in the order that
 * packs tracker.js smallest: none is called while the module loads.
 */
/** Longest string value kept (longer ones are cut). */
export const MAX_STRING = 500;
/** Longest array kept (products, filters…). */
export const MAX_ARRAY = 100;

export type Obj = Record<string, unknown>;

/** A finite number from a number or numeric string (`"12.50"`, `"1,200.5"`); else undefined. */
export function num(v: unknown): number | undefined {
  // (a blank string stays one: not a number, though Number('') is 0)
  if (typeof v === 'string') v = v.trim() && +v.replace(/,/g, '');
  return Number.isFinite(v) ? (v as number) : undefined;
}

/**
 * Read `o[k]` safely (own or inherited, a throwing getter gives undefined). Never reads `__proto__`,
 * nor a value only inherited from a polluted `Object.prototype`.
 */
export function get(o: unknown, k: string | number): unknown {
  if (!o || typeof o !== 'object' || k === '__proto__' || k === 'constructor' || k === 'prototype')
    return undefined;
  try {
    const v = (o as Obj)[k];
    // A value inherited from a polluted Object.prototype (`Object.prototype.price = …`) is not the payload's.
    // (An undefined `v` is tested first: a missing key, the common case, costs no more reads or calls.)
    return v !== undefined && v === (OP as Obj)[k] && !OP.hasOwnProperty.call(o, k) ? undefined : v;
  } catch {
    /* a throwing getter: undefined */
  }
}

/** A whole number ≥ 0 (the fraction dropped), however large; else undefined. */
export function whole(v: unknown): number | undefined {
  const n = Math.floor(num(v)!); // (none: NaN)
  return n >= 0 ? n : undefined;
}

/** A whole count ≥ 0 (results, units in a cart), at most 1e9; else undefined. */
export function count(v: unknown): number | undefined {
  const n = whole(v);
  return n && Math.min(n, 1e9); // (0 and undefined as they are)
}

/** A positive integer (quantities), at most 1e6; else undefined. (From `whole`: its bound is below `count`'s.) */
export function qty(v: unknown): number | undefined {
  const n = whole(v);
  return n ? Math.min(n, 1e6) : undefined;
}

/** Money: a finite number rounded to 4 decimals; also reads `{amount}` objects. */
export function money(v: unknown): number | undefined {
  const n = num(get(v, 'amount') ?? v);
  // Beyond 1e15 there are no decimals left to round (and ×1e4 could overflow): |n| ≤ 1e15 is
  // n² ≤ 1e30 (rounding is monotonic, and the next double past 1e15 squares past 1e30; undefined:
  // NaN, not ≤ either).
  return n! * n! <= 1e30 ? Math.round(n! * 1e4) / 1e4 : n;
}

/** The currency of `o` (its `currency` field), else `cur`. */
export const curOf = (o: unknown, cur?: string): string | undefined => currency(get(o, 'currency')) || cur;

/** A rating: 1 to 5 stars (a number or numeric string); anything else is none. */
export const rating = (v: unknown): number | undefined => {
  const r = num(v);
  return r! >= 1 && r! <= 5 ? r : undefined;
};

/** An ISO 4217 code (three letters, upper-cased); else undefined. */
export const currency = (v: unknown): string | undefined => {
  const s = str(get(v, 'code') ?? v);
  return /^[a-z]{3}$/i.test(s!) ? s!.toUpperCase() : undefined; // (not `undefined`, nine letters)
};

/** `str(at(o, …keys))`: a string field. */
export const strAt = (o: unknown, a: string, b?: string, c?: string, d?: string): string | undefined =>
  str(at(o, a, b, c, d));

const OP = Object.prototype;

/** `money(at(o, …keys))`: a money field. */
export const moneyAt = (o: unknown, a: string, b?: string, c?: string, d?: string): number | undefined =>
  money(at(o, a, b, c, d));

/** A plain object (not null, not an array), else undefined. */
export const obj = (v: unknown): Obj | undefined => {
  return v && typeof v === 'object' && !Array.isArray(v) ? (v as Obj) : undefined;
};

/** An array (bounded to `MAX_ARRAY`, holes of sparse arrays left out), else an empty array. */
export function list(v: unknown): unknown[] {
  try {
    return Array.isArray(v) ? v.slice(0, MAX_ARRAY).filter(() => true) : [];
  } catch {
    return [];
  }
}

/** Read a path of keys. */
export const at = (o: unknown, a: string, b?: string, c?: string, d?: string): unknown => {
  // Up to four keys, as parameters: no array per read on the hot path.
  o = get(o, a);
  return b === undefined ? o : at(o, b, c, d);
};

/** The item of a server event payload: `[item]` or `item`. */
export const first = (v: unknown): unknown => (Array.isArray(v) ? get(v, 0) : v);

/** A trimmed, bounded string from a string or finite number; empty gives undefined. */
export const str = (v: unknown, max = MAX_STRING): string | undefined =>
  Number.isFinite(v)
    ? String(v)
    : typeof v === 'string' && (v = v.trim())
      ? (v as string).slice(0, max)
      : undefined;

/** A name from a string or `{name}` object, or the first of a list of them; `k` reads `{code}`s etc. */
export const named = (v: unknown, k = 'name'): string | undefined => {
  v = first(v);
  return str(get(v, k) ?? v);
};
