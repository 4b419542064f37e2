import type { Clock } from './clock';
import type { KV } from './kv';
import { stringify } from './stringify';
import { uuid } from './uuid';

/** Session window: a session ends after 30 minutes without events. */
export const SESSION_MS = 30 * 60 * 1000;

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

/** Anonymous and session ids in first-party storage; pure (storage and clock injected). */
export function createIdentity(kv: KV, clock: Clock, prefix: string): Identity {
  const aKey = prefix + ':aid';
  const sKey = prefix + ':sid';
  let aid = kv.get(aKey) || undefined;
  let sid: string | undefined;
  let last = 0;
  let saved = 0;
  try {
    const s = JSON.parse(kv.get(sKey) || 'null') as { id?: unknown; t?: unknown } | null;
    if (s && typeof s.id === 'string' && typeof s.t === 'number') {
      sid = s.id;
      last = saved = s.t;
    }
  } catch {
    /* a corrupt value starts a new session */
  }
  const persist = () => {
    if (sid && last !== saved) {
      saved = last;
      kv.set(sKey, stringify({ id: sid, t: last }) as string);
    }
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
      if (fresh || now - saved > 60000) {
        saved = -1;
        persist();
      }
      return sid as string;
    },
    resetSession() {
      sid = undefined;
      kv.del(sKey);
    },
    persist,
    purge() {
      aid = sid = undefined;
      kv.del(aKey);
      kv.del(sKey);
    },
  };
}
