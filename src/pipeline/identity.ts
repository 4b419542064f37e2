import type { Clock } from '../lib/clock';
import { parseJson, stringify } from '../lib/json';
import type { KV } from '../lib/kv';
import { get } from '../lib/read';

/** Session window: a session ends after 30 minutes without events. */
const SESSION_MS = 18e5;

export interface Identity {
  /** Persisted first-party anonymous id (created on first use). */
  anonymousId(): string;
  /** Sliding 30-minute session id; a new one after inactivity. */
  sessionId(): string;
  /** Start a new session (after sign-out). */
  resetSession(): void;
  /** Write the session's last activity (cheap to call often; writes at most once a minute). */
  persist(): void;
  /** Forget every stored identifier (consent denied). */
  purge(): void;
}

/** Anonymous and session ids in first-party storage; pure (storage, clock and id source injected). */
export function createIdentity(kv: KV, clock: Clock, prefix: string, uuid: () => string): Identity {
  const aKey = prefix + ':aid';
  const sKey = prefix + ':sid';
  let aid: string | null | undefined = kv.get(aKey);
  let sid: string | undefined;
  let last = 0;
  let saved = 0;
  // A missing or corrupt value starts a new session.
  const stored = parseJson(kv.get(sKey));
  const id = get(stored, 'id');
  const t = get(stored, 't');
  if (typeof id == 'string' && typeof t == 'number') {
    sid = id;
    last = saved = t;
  }
  const persist = () => {
    if (sid && last != saved) kv.set(sKey, stringify({ id: sid, t: (saved = last) }) as string);
  };
  const reset = () => {
    sid = undefined;
    kv.del(sKey);
  };
  return {
    anonymousId() {
      if (!aid) kv.set(aKey, (aid = uuid()));
      return aid;
    },
    sessionId() {
      const now = clock.now();
      const fresh = !sid || now - last > SESSION_MS;
      if (fresh) sid = uuid();
      last = now;
      if (fresh || now - saved > 6e4) {
        saved = -1;
        persist();
      }
      return sid as string;
    },
    resetSession: reset,
    persist,
    purge() {
      aid = undefined;
      kv.del(aKey);
      reset();
    },
  };
}
