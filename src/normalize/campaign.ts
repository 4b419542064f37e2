import type { Campaign } from '../schema';
import { get, num, obj, str } from './values';

/** Campaign field → UTM parameter suffix. */
const F = { name: 'campaign', source: 'source', medium: 'medium', term: 'term', content: 'content' };

/**
 * The UTM campaign of the visit: the page URL's `utm_*` parameters, else the SDK's stored ones
 * (`Salla.storage` `s-utms`: `{'s-utm-source': …}`, raw as `{value, expiry}`). Never throws.
 */
export function campaign(search: string | undefined, stored: unknown, now: number): Campaign | undefined {
  const read = (at: (k: string) => unknown): Campaign | undefined => {
    let c: Campaign | undefined;
    for (const [f, k] of Object.entries(F)) {
      const v = str(at(k), 200);
      if (v) (c = c || {})[f as keyof Campaign] = v;
    }
    return c;
  };
  let q: URLSearchParams | undefined;
  try {
    q = new URLSearchParams(search || '');
  } catch {
    /* no URLSearchParams */
  }
  const exp = num(get(stored, 'expiry'));
  const v = exp !== undefined && exp < now ? undefined : obj(get(stored, 'value')) || stored;
  return read((k) => q && q.get('utm_' + k)) || read((k) => get(v, 's-utm-' + k));
}
