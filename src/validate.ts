/**
 * A runtime check of one event against the wire schema, for collectors, tests and development
 * builds. Not part of `tracker.js` (the script-tag build stays small).
 */
import { stringify, utf8Length } from './lib/json';
import {
  eventFields,
  isKind,
  isRequired,
  ITEMS,
  kindByName,
  kindOf,
  WHAT,
  type Fields,
} from './validateSchema';

const MAX_TEXT = 2000;
/** Largest event, in UTF-8 bytes of its JSON (Segment's HTTP API rejects events over 32 KB). */
const MAX_EVENT_BYTES = 32 * 1024 - 1;
const ISO = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$/;
const BAD_KEY = /^(__proto__|constructor|prototype)$/;
const TOP = /^(type|event|name|properties|context|anonymousId|userId|messageId|timestamp)$/;
const STATES = ['pending', 'granted', 'denied'];
/** Properties that identify the shopper: sent only with consent granted. */
const IDENTITY = /^((email|phone|mobile|first_name|last_name)(_sha256)?|wishlist_id)$/;

type Rec = Record<string, unknown>;
const isObj = (v: unknown): v is Rec => v !== null && typeof v === 'object' && !Array.isArray(v);
const isStr = (v: unknown): v is string => typeof v === 'string' && v.length > 0;
const show = (v: unknown) => {
  try {
    return (stringify(v) || typeof v).slice(0, 60);
  } catch {
    return typeof v;
  }
};

/** JSON-safe and bounded: strings ≤ 2000 chars, arrays ≤ 100 items, ≤ 128 keys (100 custom + page facts), no prototype keys, depth ≤ 8. */
function json(v: unknown, at: string, out: string[], depth = 0): void {
  if (v === null || typeof v === 'boolean') return;
  if (typeof v === 'number') {
    if (!isFinite(v)) out.push(at + ' is not a finite number');
    return;
  }
  if (typeof v === 'string') {
    if (v.length > MAX_TEXT) out.push(at + ' is longer than ' + MAX_TEXT + ' characters');
    return;
  }
  if (typeof v !== 'object' || depth > 8)
    return void out.push(at + (depth > 8 ? ' is nested too deep' : ' is not JSON (' + typeof v + ')'));
  if (Array.isArray(v)) {
    if (v.length > 100) out.push(at + ' has more than 100 items');
    for (let i = 0; i < v.length; i++) {
      if (v[i] === undefined) out.push(at + '[' + i + '] is undefined');
      else json(v[i], at + '[' + i + ']', out, depth + 1);
    }
    return;
  }
  const proto = Object.getPrototypeOf(v);
  if (proto !== Object.prototype && proto !== null) out.push(at + ' is not a plain object');
  const keys = Object.keys(v);
  if (keys.length > 128) out.push(at + ' has more than 128 keys');
  for (const k of keys) {
    if (BAD_KEY.test(k)) out.push(at + ' has the key "' + k + '"');
    const x = (v as Rec)[k];
    if (x !== undefined) json(x, at + '.' + k, out, depth + 1);
  }
}

/**
 * The typed properties of a track event (or of one product): those its table lists (`table`, from
 * validateSchema.ts), and the others by their name (ids, money, quantities, currency, hashes…), as
 * all the properties of a custom event (`table` undefined). Other properties are free-form.
 */
function fields(p: Rec, at: string, table: Fields | undefined, event: string, out: string[]): void {
  if (table)
    for (const k of Object.keys(table))
      if (isRequired(table[k]!) && p[k] === undefined) out.push(at + '.' + k + ' is required for ' + event);
  for (const k of Object.keys(p)) {
    const v = p[k];
    if (v === undefined) continue;
    const s = table && Object.prototype.hasOwnProperty.call(table, k) ? table[k] : undefined;
    const t = s ? kindOf(s) : kindByName(k);
    if (!t) continue;
    if (!isKind(t, v)) out.push(at + '.' + k + ' must be ' + WHAT[t] + ', got ' + show(v));
    else if (t === 'products' || t === 'cartProducts' || t === 'objects')
      (v as Rec[]).forEach((x, i) => fields(x, at + '.' + k + '[' + i + ']', ITEMS[t], event, out));
  }
}

/**
 * Check one event as sent on the wire (or given to a callback). Returns the problems found, `[]`
 * when the event is valid. Never throws.
 *
 * @example
 * const problems = validateEvent(JSON.parse(body).batch[0]);
 */
export function validateEvent(e: unknown): string[] {
  const out: string[] = [];
  try {
    if (!isObj(e)) return ['event is not an object'];
    for (const k of Object.keys(e)) if (!TOP.test(k)) out.push('unknown top-level field "' + k + '"');
    const track = e.type === 'track';
    if (!track && e.type !== 'page') out.push('type must be "track" or "page", got ' + show(e.type));
    // Jitsu refuses a track event whose name is over 128 bytes.
    if (track && (!isStr(e.event) || utf8Length(e.event) > 128))
      out.push('event must be a non-empty string of at most 128 bytes');
    if (!track && e.name !== undefined && typeof e.name !== 'string') out.push('name must be a string');
    if (!isStr(e.messageId) || e.messageId.length > 100) out.push('messageId must be a non-empty string');
    if (typeof e.timestamp !== 'string' || !ISO.test(e.timestamp) || isNaN(Date.parse(e.timestamp)))
      out.push('timestamp must be an ISO 8601 string');
    if (e.userId !== undefined && !isStr(e.userId)) out.push('userId must be a non-empty string');

    const c = e.context;
    if (!isObj(c)) out.push('context must be an object');
    else {
      const lib = c.library;
      if (!isObj(lib) || lib.name !== 'twilight-tracker' || !isStr(lib.version))
        out.push('context.library must be {name: "twilight-tracker", version}');
      if (!isObj(c.page)) out.push('context.page must be an object');
      // Consent: the state; Segment's consent object once chosen; stored ids only when granted.
      const state = c.consent_state as string;
      if (STATES.indexOf(state) < 0)
        out.push('context.consent_state must be "pending", "granted" or "denied", got ' + show(state));
      const pref =
        isObj(c.consent) && isObj(c.consent.categoryPreferences) ? c.consent.categoryPreferences : undefined;
      if (state === 'pending' ? c.consent !== undefined : !pref || pref.analytics !== (state === 'granted'))
        out.push(
          'context.consent must be ' +
            (state === 'pending'
              ? 'absent while consent is pending'
              : '{categoryPreferences: {analytics: ' + (state === 'granted') + '}}') +
            ', got ' +
            show(c.consent),
        );
      if (!isStr(e.anonymousId)) out.push('anonymousId must be a non-empty string');
      if (state === 'granted') {
        if (!isStr(c.session_id)) out.push('context.session_id must be a non-empty string');
      } else {
        if (e.userId !== undefined) out.push('userId must be absent unless consent is granted');
        if (c.session_id !== undefined)
          out.push('context.session_id must be absent unless consent is granted');
        if (isObj(e.properties))
          for (const k of Object.keys(e.properties))
            if (IDENTITY.test(k)) out.push('properties.' + k + ' must be absent unless consent is granted');
      }
      json(c, 'context', out);
    }

    const p = e.properties;
    if (!isObj(p)) out.push('properties must be an object');
    else {
      json(p, 'properties', out);
      if (track) {
        fields(p, 'properties', eventFields(e.event as string), e.event as string, out);
      }
    }
    if (!out.length) {
      const n = utf8Length(stringify(e) || '');
      if (n > MAX_EVENT_BYTES) out.push('event is ' + n + ' bytes, over ' + MAX_EVENT_BYTES);
    }
  } catch (err) {
    out.push('event could not be read: ' + String(err));
  }
  return out;
}
