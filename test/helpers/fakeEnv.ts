import { createHash } from 'node:crypto';
import { vi } from 'vitest';
import { realClock } from '../../src/browser/clock';
import type { Flight } from '../../src/delivery/queue';
import type { SendResult } from '../../src/delivery/retryPolicy';
import type { Env } from '../../src/core/env';
import type { Locks } from '../../src/delivery/tabStore';
import { memoryKV, type KV, type StoredChange } from '../../src/lib/kv';
import type { TwilightSdk } from '../../src/types';
import { uuid } from '../../src/browser/uuid';

export interface Sent {
  url: string;
  body: { batch: Array<Record<string, unknown>>; sentAt: string; writeKey?: string };
  via: 'fetch' | 'beacon';
}

/**
 * A test environment: real timers (use `vi.useFakeTimers()`), memory storage, a recorded
 * transport answering `status()`, recorded beacons, and manual lifecycle triggers.
 *
 * Its defaults are the easy path; each has an option for the other one: `random` (default 0.5: no
 * jitter), `keepalive` (default: every POST outlives the page), `hold` (default: every POST is
 * answered at once), `beaconOk` (default: every beacon is accepted), `locks` (default: no Web Locks),
 * `uuid` (default: random ids; `counter()` gives exact ones).
 */
export function fakeEnv(
  opts: {
    sdk?: TwilightSdk;
    kv?: KV;
    status?: () => SendResult | number;
    beaconOk?: (body: string) => boolean;
    /** Bytes that can still outlive the page (default: the whole 64 KiB budget). */
    room?: () => number;
    /** Whether a POST goes with keepalive (outlives the page); default true. */
    keepalive?: () => boolean;
    /** While this answers true, a POST stays in flight (is recorded, never answered); default false. */
    hold?: () => boolean;
    /** The jitter source (default 0.5: backoff delays without jitter). */
    random?: () => number;
    /** Id source (default: random UUIDs). */
    uuid?: () => string;
    /** A Web Locks manager (default: none, like Safari < 15.4). */
    locks?: Locks;
    /** Whether the browser knows it is offline (default: never). */
    offline?: () => boolean;
  } = {},
) {
  // (Its own options only: a test's Object.prototype must not stand in for one.)
  opts = Object.assign(Object.create(null) as typeof opts, opts);
  const sent: Sent[] = [];
  let hidden: (final: boolean) => void = () => undefined;
  let shown: (restored: boolean) => void = () => undefined;
  let online: () => void = () => undefined;
  let stored: (change: StoredChange) => void = () => undefined;
  let leaving: () => void = () => undefined;
  const env: Env = {
    clock: realClock,
    random: opts.random || (() => 0.5),
    uuid: opts.uuid || uuid,
    kv: opts.kv || memoryKV(),
    locks: opts.locks,
    page: () => ({ url: 'http://127.0.0.1:4400/p/1', path: '/p/1', title: 'Shirt' }),
    locale: 'ar-SA',
    offline: opts.offline || (() => false),
    post: vi.fn(async (url: string, body: () => string, flight: Flight<unknown>) => {
      // As the browser's: the request starts a microtask later (after the keepalive budget's answer),
      // unless the batch was taken back meanwhile (pagehide in the same task).
      await undefined;
      if (flight.over) return { status: 0 };
      flight.kept = opts.keepalive ? opts.keepalive() : true;
      sent.push({ url, body: JSON.parse(body()), via: 'fetch' });
      if (opts.hold && opts.hold()) return new Promise<SendResult>(() => undefined);
      const s = opts.status ? opts.status() : 200;
      return typeof s === 'number' ? { status: s } : s;
    }),
    unload: vi.fn((url: string, body: string) => {
      const ok = opts.beaconOk ? opts.beaconOk(body) : true;
      if (ok) sent.push({ url, body: JSON.parse(body), via: 'beacon' });
      return ok;
    }),
    room: () => (opts.room ? opts.room() : 65536),
    lifecycle(h, s, st, l) {
      hidden = h;
      shown = s;
      stored = st;
      leaving = l;
      return () => undefined;
    },
    online(cb) {
      online = cb;
      return () => undefined;
    },
    // The SDK is on the page, or it is clear none is coming.
    waitSdk(found, none) {
      if (opts.sdk) found(opts.sdk);
      else none();
      return () => undefined;
    },
    // The page has loaded and is idle.
    idle: (cb) => cb(),
    sha256: async (s: string) => createHash('sha256').update(s).digest('hex'),
  };
  return {
    env,
    sent,
    /** Every event received by the endpoint, in order. */
    events: () => sent.flatMap((s) => s.body.batch),
    hide: (final = true) => hidden(final),
    show: (restored = true) => shown(restored),
    goOnline: () => online(),
    /** Another tab set (or removed: null) a stored key (the browser's `storage` event). */
    storage: (key: string | null, newValue: string | null, oldValue?: string | null) =>
      stored({ key, newValue, oldValue }),
    /** The page starts a navigation (the Navigation API's `navigate`). */
    navigate: () => leaving(),
  };
}

/** Ids `id-1`, `id-2`…: exact ids for `fakeEnv({ uuid: counter() })`. */
export function counter(prefix = 'id-'): () => string {
  let n = 0;
  return () => prefix + ++n;
}

/**
 * The page loaded without an SDK (`none`: a second after load), then the SDK appeared (a slow
 * loader): returns what makes it arrive.
 */
export function sdkAfterNone(t: ReturnType<typeof fakeEnv>): (sdk: TwilightSdk) => void {
  let arrive: (sdk: TwilightSdk) => void = () => undefined;
  t.env.waitSdk = (found, none) => {
    none();
    arrive = found;
    return () => undefined;
  };
  return (sdk) => arrive(sdk);
}
