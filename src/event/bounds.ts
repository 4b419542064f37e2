import type { Json, TrackerEvent } from '../schema';
import { utf8Length } from '../lib/json';
import { get, MAX_ARRAY, MAX_STRING } from '../lib/read';

/** Largest event sent, in UTF-8 bytes of its JSON: Segment's HTTP API takes events under 32 KB (32,768 bytes). */
export const MAX_EVENT_BYTES = 32 * 1024 - 1;

/**
 * A JSON-safe, bounded deep copy of untrusted data: drops functions, symbols, bigints, NaN/Infinity,
 * cycles, prototype-pollution keys and throwing getters; cuts strings, arrays, keys and depth.
 * Never throws.
 */
export function sanitize(v: unknown, seen: unknown[] = []): Json | undefined {
  if (v === null || typeof v === 'boolean' || Number.isFinite(v)) return v as number;
  if (typeof v === 'string') return v.slice(0, MAX_STRING);
  // `seen`: the objects and arrays `v` is inside; as many as its depth, which it bounds too.
  if (typeof v !== 'object' || seen.length > 5 || seen.indexOf(v) >= 0) return undefined;
  seen.push(v);
  try {
    if (v instanceof Date) return v.toISOString(); // (an invalid date throws: undefined)
    // A typed array counts as an array: the keys of a 3 MB one alone take seconds to list.
    const arr = Array.isArray(v) || ArrayBuffer.isView(v);
    const out: Json[] | { [k: string]: Json } = arr ? [] : {};
    // An array's indices (holes too), or an object's keys; at most 100 (MAX_ARRAY) of either.
    for (const k of Object.keys(
      arr ? [...Array(Math.min((v as ArrayLike<unknown>).length, MAX_ARRAY))] : v,
    ).slice(0, 100)) {
      // `get` survives a throwing getter and never reads `__proto__`/`constructor`/`prototype`.
      const x = sanitize(get(v, k), seen);
      if (x === undefined) continue;
      if (arr) (out as Json[]).push(x);
      else (out as { [k: string]: Json })[k.slice(0, 100)] = x;
    }
    return out;
  } catch {
    /* an invalid date, a hostile object: undefined */
  } finally {
    seen.pop();
  }
}

/** Largest custom `page()` properties kept, in bytes of JSON: they travel in every later event's context. */
export const MAX_PAGE_BYTES = 4096;

/**
 * Bound an event's JSON to `MAX_EVENT_BYTES`, halving a long `products` list until it fits; false
 * when it still does not (the event is then dropped). `json(e, again)` writes the event (`again`
 * after it changed). A JSON of at most a third of the bound fits (a UTF-16 unit is at most 3 bytes
 * of UTF-8): only a longer one is counted.
 */
export function fit(e: TrackerEvent, json: (e: TrackerEvent, again?: boolean) => string): boolean {
  const p = e.properties as { products?: unknown[] };
  for (
    let s = json(e);
    s.length * 3 > MAX_EVENT_BYTES && utf8Length(s) > MAX_EVENT_BYTES;
    s = json(e, true)
  ) {
    const l = p.products;
    if (!Array.isArray(l) || l.length < 2) return false;
    p.products = l.slice(0, l.length >> 1);
  }
  return true;
}
