import type { PageProperties, WebVitalMeasured } from '../schema';
import type { TwilightSdk } from '../types';
import type { Clock } from './clock';
import type { SendResult } from './createQueue';
import type { Locks } from './createTabStore';
import type { KV } from './kv';

/** Everything the tracker needs from the browser, injected so the core runs under vitest. */
export interface Env {
  clock: Clock;
  random(): number;
  /** Persistent storage (localStorage with a memory fallback). */
  kv: KV;
  locks?: Locks;
  /** The current page (url, path, search, title, referrer). */
  page(): PageProperties;
  locale?: string;
  userAgent?: string;
  /** POST a `text/plain` body; never rejects. Uses keepalive while the shared budget allows. */
  post(url: string, body: string): Promise<SendResult>;
  /** Queue a body with `sendBeacon`; false when the browser refused it. */
  beacon(url: string, body: string): boolean;
  /** Bytes of keepalive requests still in flight (they share the ~64 KiB budget with beacons). */
  inflight(): number;
  /** Page lifecycle: `hidden(final)` on visibilitychange→hidden (final=false) and pagehide (final=true); `shown(restored)` on visible/pageshow. Returns the unbind. */
  lifecycle(hidden: (final: boolean) => void, shown: (restored: boolean) => void): () => void;
  /** `online` events; returns the unbind. */
  online(cb: () => void): () => void;
  /** Find the Twilight SDK now (window.Salla / window.salla), or call back when it appears. Returns a cancel function. */
  waitSdk(cb: (sdk: TwilightSdk) => void): () => void;
  /** SHA-256 hex of a string; undefined when hashing is unavailable. Never rejects. */
  sha256(s: string): Promise<string | undefined>;
  /** Start Core Web Vitals reporting. */
  vitals?(report: (m: WebVitalMeasured) => void): void;
}
