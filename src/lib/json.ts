/** What JSON must escape, and lone UTF-16 surrogates (a pair is matched whole and kept), as JSON.stringify does. */
// eslint-disable-next-line no-control-regex -- JSON escapes control characters
const ESC = /[\u0000-\u001f"\\]|[\ud800-\udbff][\udc00-\udfff]|[\ud800-\udfff]/g;
/** The characters JSON escapes with a backslash and a letter, and those letters. */
const SHORT = '"\\\b\t\n\f\r';
const LETTER = '"\\btnfr';
const esc = (c: string) => {
  const i = SHORT.indexOf(c);
  return c.length > 1
    ? c
    : i >= 0
      ? '\\' + LETTER[i]
      : '\\u' + (c.charCodeAt(0) + 0x10000).toString(16).slice(1);
};

/** The browser's own `JSON.stringify`, taken at load (a theme may replace it later), if it is native. */
const native = JSON.stringify;
const pristine = /\{\s*\[native code\]\s*\}\s*$/.test(Function.prototype.toString.call(native));

/**
 * JSON text of plain data (what events are) that a host page cannot change: a theme's
 * `JSON.stringify` replacement or an `Array.prototype.toJSON`/`Object.prototype.toJSON`
 * (Prototype.js and other old libraries) would turn arrays into strings. Uses the pristine native
 * `JSON.stringify` when it is safe, else writes the JSON by hand: own enumerable keys, no `toJSON`,
 * the same output as the native one.
 */
export function stringify(v: unknown): string | undefined {
  return pristine && !('toJSON' in Array.prototype) ? native(v) : write(v);
}

function write(v: unknown): string | undefined {
  if (typeof v === 'string') return '"' + v.replace(ESC, esc) + '"';
  if (typeof v === 'number') return isFinite(v) ? '' + v : 'null';
  if (v === null || typeof v === 'boolean') return '' + v;
  if (typeof v !== 'object') return undefined;
  let s = '';
  if (Array.isArray(v)) {
    for (let i = 0; i < v.length; i++) s += (i ? ',' : '') + (write(v[i]) || 'null');
    return '[' + s + ']';
  }
  for (const k of Object.keys(v)) {
    const x = write((v as Record<string, unknown>)[k]);
    if (x !== undefined) s += (s ? ',' : '') + write(k) + ':' + x;
  }
  return '{' + s + '}';
}

/** UTF-8 byte length of a string (no allocation). */
export function utf8Length(s: string): number {
  let n = s.length;
  for (let i = n; i--;) {
    const c = s.charCodeAt(i);
    // 2 bytes up to U+07FF, 3 above; a surrogate pair (4 bytes) counts 3 + 1.
    if (c > 127 && (c < 0xdc00 || c > 0xdfff)) n += c > 2047 ? 2 : 1;
  }
  return n;
}

/** `JSON.parse(text)`, or undefined when it is missing or not JSON. */
export function parseJson(text: string | null | undefined): unknown {
  try {
    // A missing value parses as `null` (JSON.parse turns its argument into a string).
    return JSON.parse(text as string) ?? undefined;
  } catch {
    return undefined;
  }
}

/** Each object's JSON, written once: `json(o)` (cached), `json(o, true)` after `o` changed. */
export function createJsonCache(): (o: object, again?: boolean) => string {
  const cache = new WeakMap<object, string>();
  return (o, again) => {
    let s = again ? undefined : cache.get(o);
    if (s === undefined) cache.set(o, (s = stringify(o) as string));
    return s;
  };
}
