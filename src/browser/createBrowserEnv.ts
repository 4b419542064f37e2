import type { Env } from '../core/env';
import type { Locks } from '../delivery/tabStore';
// (value imports in the order that packs tracker.js smallest: it decides where each module lands in the bundle)
import { realClock } from './clock';
import type { TwilightSdk } from '../types';
import { currentPage } from './currentPage';
import { lifecycle } from './lifecycle';
import { whenIdleAfterLoad } from './afterLoad';
import { sha256 } from './sha256';
import { uuid } from './uuid';
import { offline, post, room, unload } from './transport';
import { storageKV } from './storageKV';
import { waitSdk } from './waitSdk';

/** The real browser environment. */
export function createBrowserEnv(sdk?: TwilightSdk, vitals?: Env['vitals']): Env {
  // Absent outside browsers (server-side rendering).
  const nav = globalThis.navigator as (Navigator & { locks?: Locks }) | undefined;
  let locks: Locks | undefined;
  try {
    locks = nav?.locks;
  } catch {
    /* none */
  }
  return {
    clock: realClock,
    random: Math.random,
    uuid,
    kv: storageKV(),
    locks,
    page: currentPage,
    locale: nav?.language || undefined,
    session(k) {
      try {
        return sessionStorage.getItem(k);
      } catch {
        /* none */
      }
    },
    userAgent: nav?.userAgent || undefined,
    post,
    unload,
    room,
    offline,
    lifecycle,
    sha256,
    online(cb) {
      addEventListener('online', cb);
      return () => removeEventListener('online', cb);
    },
    waitSdk: (found, none) => waitSdk(found, none, sdk),
    idle: whenIdleAfterLoad,
    vitals,
  };
}
