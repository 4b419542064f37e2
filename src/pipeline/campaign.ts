import type { Campaign } from '../schema';
import { get, num, obj, str } from '../lib/read';
import { EMAIL } from '../event/privacy';

/**
 * The UTM campaign of the visit: the page URL's `utm_*` parameters, else the SDK's stored ones
 * (`Salla.storage` `s-utms`: `{'s-utm-source': …}`, raw as `{value, expiry}`), email addresses
 * redacted as in the page URL. Never throws.
 */
export const campaign = (search: string | undefined, stored: unknown, now: number): Campaign | undefined => {
  /** The campaign read by `at(utm parameter suffix)`, if any field is set. */
  const read = (at: (k: string) => unknown): Campaign | undefined => {
    let c: Campaign | undefined;
    for (const f of ['name', 'source', 'medium', 'term', 'content'] as const) {
      const v = str(at(f === 'name' ? 'campaign' : f), 200);
      // (an email address in a UTM value, as in the page URL: not in clear)
      if (v) c = { ...c, [f]: v.replace(EMAIL, '[email]') };
    }
    return c;
  };
  let q: URLSearchParams | undefined;
  try {
    q = new URLSearchParams(search);
  } catch {
    /* no URLSearchParams */
  }
  // (expired: false, which has no `s-utm-` keys)
  const v = (num(get(stored, 'expiry')) ?? now) >= now && (obj(get(stored, 'value')) || stored);
  return read((k) => q?.get('utm_' + k)) || read((k) => get(v, 's-utm-' + k));
};
