import type { Json } from '../schema';
import { MAX_ARRAY, MAX_STRING } from '../normalize/values';

const BAD_KEY = /^(__proto__|constructor|prototype)$/;

/**
 * A JSON-safe, bounded deep copy of untrusted data: drops functions, symbols, NaN/Infinity,
 * cycles, prototype-pollution keys and throwing getters; cuts strings, arrays, keys and depth.
 */
export function sanitize(v: unknown, depth = 0, seen: unknown[] = []): Json | undefined {
  if (v === null || typeof v === 'boolean') return v;
  if (typeof v === 'number') return isFinite(v) ? v : undefined;
  if (typeof v === 'string') return v.length > MAX_STRING ? v.slice(0, MAX_STRING) : v;
  if (typeof v !== 'object' || depth > 5 || seen.indexOf(v) >= 0) return undefined;
  seen.push(v);
  try {
    if (Array.isArray(v)) {
      const out: Json[] = [];
      for (let i = 0; i < v.length && i < MAX_ARRAY; i++) {
        const x = sanitize(v[i], depth + 1, seen);
        if (x !== undefined) out.push(x);
      }
      return out;
    }
    if (v instanceof Date) return isNaN(+v) ? undefined : v.toISOString();
    const out: { [k: string]: Json } = {};
    let n = 0;
    for (const k of Object.keys(v)) {
      if (BAD_KEY.test(k) || ++n > 100) continue;
      let x: Json | undefined;
      try {
        x = sanitize((v as Record<string, unknown>)[k], depth + 1, seen);
      } catch {
        x = undefined;
      }
      if (x !== undefined) out[k.slice(0, 100)] = x;
    }
    return out;
  } catch {
    return undefined;
  } finally {
    seen.pop();
  }
}
