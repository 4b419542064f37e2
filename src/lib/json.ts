// (Declared in the order that packs tracker.js smallest: at load only `native` and `parse` are read.)
/** Reads each value as it is, before any `toJSON` (`this` is the holder, `k` the key). */
function raw(this: Record<string, unknown>, k: string): unknown {
  return this[k];
}

/** The page's `JSON.stringify` as it was when tracker.js loaded (a theme may replace it later). */
const native = JSON.stringify;
/** The page's `JSON.parse` as it was when tracker.js loaded. */
export const parse = JSON.parse;

/** A UTF-16 unit outside ASCII. */
const WIDE = /[^\0-\x7f]/;

/**
 * UTF-8 byte length of a string (no allocation). ASCII (most events) is its length, found by a native
 * scan: in Chromium on this machine 1.0 µs for a 900-character event against 2.0 µs for the loop.
 */
export const utf8Length = (s: string): number => {
  let n = s.length;
  for (let i = WIDE.test(s) ? n : 0; i--;) {
    const c = s.charCodeAt(i);
    // 2 bytes up to U+07FF, 3 above; a surrogate pair (4 bytes) counts 3 + 1 (a low surrogate,
    // U+DC00–U+DFFF, is the one whose top six bits are 0b110111 = 55).
    if (c > 127 && c >> 10 != 55) n += c > 2047 ? 2 : 1;
  }
  return n;
};

/** `s` cut to at most `max` UTF-8 bytes (whole characters). */
export function utf8Cut(s: string, max: number): string {
  // Each UTF-16 unit is at least one byte: only the first `max` can fit (a long name costs no more).
  s = s.slice(0, max);
  while (utf8Length(s) > max) s = s.slice(0, -1);
  // Never half of a surrogate pair at the end.
  // (a high surrogate, U+D800–U+DBFF, is the one whose top six bits are 0b110110 = 54)
  return s.charCodeAt(s.length - 1) >> 10 == 54 ? s.slice(0, -1) : s;
}

/** `JSON.parse(text)`, or undefined when it is missing or not JSON. */
export function parseJson(text: string | null | undefined): unknown {
  try {
    // A missing value parses as `null` (JSON.parse turns its argument into a string).
    return parse(text as string) ?? undefined;
  } catch {
    /* not JSON: undefined */
  }
}

/**
 * JSON text of plain data (what events are), with the `JSON.stringify` captured at load. Where a
 * page gave a prototype a `toJSON` (Prototype.js turns arrays and strings into JSON strings), a
 * replacer that reads every value raw bypasses it, so events stay intact.
 */
export const stringify = (v: unknown): string | undefined => {
  // Raw when one of these prototypes has a `toJSON` (`in` reads up the chain: an
  // `Object.prototype.toJSON` is in each of them too); else `false`, which `JSON.stringify` ignores
  // as it does a missing replacer (neither a function nor an array).
  return native(
    v,
    ([Array, String, Number, Boolean].some((c) => 'toJSON' in c.prototype) && raw) as typeof raw,
  );
};

/**
 * Each object's JSON, written once: `json(o)` (cached), `json(o, true)` after `o` changed. An event's
 * `context` (one object shared by the events built under it, replaced, never changed) is written once
 * and spliced in last: about half the JSON of an event is its context. (Only the event's own: a
 * context is written as it is, even where a page put a `context` on Object.prototype.)
 */
export function createJsonCache(): (o: object, again?: boolean) => string {
  const cache = new WeakMap<object, string>();
  /** `inner`: a context, written as it is (no context of its own is spliced in). */
  function of(o: { context?: unknown }, again?: boolean, inner?: boolean): string {
    let s = cache.get(o);
    // (JSON of an object is never empty)
    if (again || !s) {
      const c = !inner && o.context;
      s =
        c && typeof c == 'object'
          ? (stringify({ ...o, context: undefined }) as string).slice(0, -1) +
            ',"context":' +
            of(c, false, true) +
            '}'
          : (stringify(o) as string);
      cache.set(o, s);
    }
    return s;
  }
  return of;
}
