/**
 * Privacy rules for one event: which fields identify a person, and how they are hashed or removed.
 * (Declared in the order that packs tracker.js smallest: nothing here runs while the module loads.)
 */
import type { ConsentState, EventContext, PageProperties, TrackerEvent } from '../schema';
import type { PiiPolicy } from '../types';
import { get } from '../lib/read';

/**
 * A copy of context `c` under consent `state`: its `consent_state`, and `consent`, Segment's consent
 * object once the shopper chose (none while pending); in session `sid` (none unless granted).
 */
export const underConsent = (c: EventContext, state: ConsentState, sid?: string): EventContext => ({
  ...c,
  session_id: sid,
  consent: state === 'pending' ? undefined : { categoryPreferences: { analytics: state === 'granted' } },
  consent_state: state,
});

/**
 * E.164 (`+` and digits) of a phone number: an international one (`+…`, `00…`) as it is, a local one
 * with the country calling `code` in front (its leading zeros dropped), one that already starts with
 * a three-digit code and has 8 or 9 digits after it (`966501234567`) as it is; else undefined.
 */
export function e164(raw: string, code?: string): string | undefined {
  let d = raw.replace(/\D/g, '');
  const c = code?.replace(/\D/g, '');
  if (/^\s*(\+|00)/.test(raw)) d = d.replace(/^00/, '');
  else if (c) {
    // Already with the code, written without + or 00 (`966501234567`, or `9660501234567` with the
    // trunk 0): a three-digit code followed by 8 or 9 digits, the national lengths of the Gulf
    // codes. Else a local number: the code in front, its leading zeros dropped.
    const rest = d.indexOf(c) ? '' : d.slice(c.length).replace(/^0+/, '');
    d = c + (/^\d{8,9}$/.test(rest) && c.length > 2 ? rest : d.replace(/^0+/, ''));
  } else d = ''; // (no code: a local number is none)
  return /^\d{7,15}$/.test(d) ? '+' + d : undefined;
}

/**
 * The value hashed for a field: trimmed lower-case email or name; E.164 phone (a local number with the
 * country calling `code` in front); `''` when there is none.
 */
export function normalizeIdentity(field: string, v: unknown, code?: string): string {
  const s = String(v).trim().toLowerCase();
  return field === 'phone' || field === 'mobile' ? e164(s, code) || '' : s;
}

/**
 * Does the event carry identity fields? (cheap: top-level properties only; `get`: not a value a page
 * put on Object.prototype)
 */
export const hasPii = (e: TrackerEvent): boolean => PII.some((k) => get(e.properties, k) !== undefined);

/**
 * A copy of `e` that identifies nobody (consent pending or denied): the page's own `anonymousId`, no
 * userId, no session id, no identity properties (clear or hashed, and `wishlist_id`).
 */
export const anonymize = (e: TrackerEvent, anonymousId: string, state: ConsentState): TrackerEvent => {
  const c = {
    ...e,
    anonymousId,
    properties: scrub(e.properties),
    context: underConsent(e.context, state),
  } as TrackerEvent;
  delete c.userId;
  return c;
};

/** Identity fields that never leave the page in clear unless the policy is `keep`. */
export const PII = ['email', 'phone', 'mobile', 'first_name', 'last_name'];

/**
 * A copy of `p` without identity properties (consent denied): the PII fields in clear or hashed, and
 * `wishlist_id` (`<store>_<customer>`).
 */
export const scrub = <T extends object>(p: T): T => {
  const out: Record<string, unknown> = {};
  for (const k of Object.keys(p))
    if (!PII.some((f) => k === f || k === f + '_sha256') && k !== 'wishlist_id')
      out[k] = (p as Record<string, unknown>)[k];
  return out as T;
};

/**
 * Apply the identity policy: `hash` replaces each field by `<field>_sha256` (hex), `drop` removes
 * it, `keep` leaves it. Returns the protected event and the original (for callbacks that opted in).
 * When hashing is unavailable the field is dropped, never sent in clear. `code`: the country calling
 * code of a local phone number (without one, a local number is dropped).
 */
export async function protect(
  e: TrackerEvent,
  policy: PiiPolicy,
  sha256: (s: string) => Promise<string | undefined>,
  code?: string,
): Promise<{ safe: TrackerEvent; raw: TrackerEvent }> {
  let safe = e;
  if (policy !== 'keep' && hasPii(e)) {
    const props: Record<string, unknown> = { ...e.properties };
    for (const k of PII) {
      const v = get(props, k);
      if (v !== undefined) {
        delete props[k];
        const n = policy === 'hash' && normalizeIdentity(k, v, code);
        const h = n && (await sha256(n));
        if (h) props[k + '_sha256'] = h;
      }
    }
    safe = { ...e, properties: props } as TrackerEvent;
  }
  return { safe, raw: e };
}

/** Email addresses (also percent-encoded) in URLs: newsletter and sign-in links carry them in clear. */
export const EMAIL = /[\w.+-]+(@|%40)[\w-]+(\.[\w-]+)+/gi;

/**
 * The page facts with email addresses in `url`, `path`, `search` and `referrer` masked, each cut to
 * 2,000 characters (a long query string is in every event's context, twice: under Segment's 32 KB).
 */
export const redactPage = (p: PageProperties): PageProperties => {
  const out = { ...p };
  for (const k of ['url', 'path', 'search', 'referrer']) {
    const v = out[k];
    if (typeof v === 'string') out[k] = v.replace(EMAIL, '[email]').slice(0, 2000);
  }
  return out;
};
