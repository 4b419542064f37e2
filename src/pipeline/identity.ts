import type { Clock } from '../lib/clock';
import { parseJson, stringify } from '../lib/json';
import type { KV, StoredChange } from '../lib/kv';
import { get } from '../lib/read';

/** Session window: a session ends after 30 minutes without events. */
const SESSION_MS = 18e5;

/** What `newPage()` found another page did: denied consent, or ended the session (a sign-out). */
export const DENIED = 2;
export const SIGNED_OUT = 1;

export interface Identity {
  /** Persisted first-party anonymous id (created on first use; consent granted only). */
  anonymousId(): string;
  /** This page view's anonymous id: random, never stored (consent pending or denied). */
  pageId(): string;
  /**
   * A new page view (back from the bfcache): a new page id, and the stored session read again at the
   * next event. What another page of the store did meanwhile (the storage events a page in the
   * bfcache missed come only after its pageshow, in Chromium, so after the restore's page event):
   * `DENIED` when the anonymous id this tracker stored is gone (consent denied there); `SIGNED_OUT`
   * when this tracker's live session is (a sign-out there ended it: it is gone, or another took its
   * place), and it ends here too; else 0.
   */
  newPage(): number;
  /** Sliding 30-minute session id; a new one after inactivity. */
  sessionId(): string;
  /** Start a new session (after sign-out). */
  resetSession(): void;
  /**
   * Another tab set or removed (`newValue` null) a stored `key`: when it is the session, it is read
   * again at the next event; true when it was removed (a sign-out there, or consent denied) and was
   * this tracker's (or none was read yet): this one is over.
   */
  changed(change: StoredChange): boolean | void;
  /**
   * Whether `removed`, the anonymous id another page deleted (a `storage` event's `oldValue`), is
   * this tracker's (or may be: either unknown): false when it is another id, one this tracker has
   * left (back from the bfcache, it took the one granted after it).
   */
  ours(removed?: string | null): boolean;
  /** Write the session's last activity (cheap to call often; writes at most once a minute). */
  persist(): void;
  /** Forget every stored identifier (consent denied). */
  purge(): void;
}

/**
 * `v` if it is an id (1–64 letters, digits, `-` or `_`), else false (every reader tests it for truth).
 * (Not named `id`: a top-level `id` kept the hook tables whose parameters are named so out of the one
 * object, src/normalize/index.ts.)
 */
const validId = (v: unknown) => typeof v == 'string' && /^[\w-]{1,64}$/.test(v) && v;

/**
 * The shopper's ids: the anonymous and session ids in first-party storage (read and written only
 * when called, which is with consent granted), and a page-scoped id that is never stored. Pure
 * (storage, clock and id source injected).
 */
export function createIdentity(kv: KV, clock: Clock, prefix: string, uuid: () => string): Identity {
  const aKey = prefix + ':aid';
  const sKey = prefix + ':sid';
  let loaded = false;
  let aid: string | false | null | undefined;
  let sid: string | undefined;
  /** The session a sign-out ended (here or in another tab): never read back (a tab's late write of it). */
  let ended: string | undefined;
  /**
   * The anonymous id as storage holds it (read there, or written and taken): its absence later means
   * another page deleted it. (An id storage refused, when full, is never missed.)
   */
  let kept: string | false | null | undefined;
  let last = 0;
  let saved = 0;
  let page: string | undefined;
  /** Read the stored ids once, when first needed (touching storage at page load is slow). */
  const load = () => {
    if (loaded) return;
    loaded = true;
    // Only an id as this tracker writes them (storage is shared with the page's other scripts).
    aid ||= kept = validId(kv.get(aKey));
    // A missing or corrupt value starts a new session.
    const stored = parseJson(kv.get(sKey));
    const s = validId(get(stored, 'id'));
    const t = get(stored, 't');
    if (typeof t == 'number' && s && s != ended) {
      sid = s;
      last = saved = t;
    }
  };
  const save = () => kv.set(sKey, stringify({ id: sid, t: (saved = last) }) as string);
  const persist = () => {
    if (last != saved && sid) save();
  };
  const reset = () => {
    ended = sid;
    sid = undefined;
    if (loaded) kv.del(sKey);
  };
  // (in the order that compresses best)
  return {
    newPage() {
      page = undefined;
      // What storage holds where this tracker's id was: none (consent denied there), another (denied
      // and granted again there: taken now, so the late removal of the old one is not this one's).
      const a = kept && validId(kv.get(aKey));
      // (The same id, its own session live, and another stored or none: the session a sign-out there
      // ended. A session over by now was not this one's to end: another page may have started the next.)
      const over =
        a == kept &&
        sid &&
        clock.now() - last < SESSION_MS &&
        validId(get(parseJson(kv.get(sKey)), 'id')) != sid;
      // (`loaded` false first: the reset deletes nothing, the other page's new session stays.)
      loaded = false;
      if (over) reset();
      if (a) aid = kept = a;
      return kept && !a ? DENIED : over ? SIGNED_OUT : 0;
    },
    changed(c) {
      if (c.key == sKey) {
        loaded = false;
        // (Not deleted again here: `loaded` is false.) The removal of a session this tracker ended
        // already ends nothing more: back from the bfcache, Chromium delivers the events it missed
        // after `pageshow`, and the sign-out they tell was read then (newPage), the next session taken.
        if (!c.newValue && !(ended && c.oldValue && c.oldValue.indexOf(ended) >= 0)) return (reset(), true);
      }
    },
    ours: (v) => !(kept && v && v != kept),
    purge() {
      loaded = true;
      aid = kept = sid = undefined;
      kv.del(aKey);
      kv.del(sKey);
    },
    sessionId() {
      const now = clock.now();
      // Seemingly over: another tab may have kept it going, read it again.
      if (now - last > SESSION_MS) loaded = false;
      load();
      const fresh = !sid || now - last > SESSION_MS;
      if (fresh) sid = uuid();
      last = now;
      if (fresh || now - saved > 6e4) save();
      return sid as string;
    },
    resetSession: reset,
    pageId: () => (page ||= uuid()),
    persist,
    anonymousId() {
      load();
      if (!aid && kv.set(aKey, (aid = uuid()))) kept = aid;
      return aid;
    },
  };
}
