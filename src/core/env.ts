import type { PageProperties, WebVitalMeasured } from '../schema';
import type { TwilightSdk } from '../types';
import type { Clock } from '../lib/clock';
import type { KV, StoredChange } from '../lib/kv';
import type { Transport } from '../delivery/transport';
import type { Locks } from '../delivery/tabStore';

/** Everything the tracker needs from the browser (the ports), injected so the core runs under vitest. */
export interface Env extends Transport {
  clock: Clock;
  random(): number;
  /** A random RFC 4122 v4 id. */
  uuid(): string;
  /** Persistent storage (localStorage with a memory fallback). */
  kv: KV;
  locks?: Locks;
  /** The current page (url, path, search, title, referrer). */
  page(): PageProperties;
  locale?: string;
  userAgent?: string;
  /**
   * Page lifecycle: `hidden(final)` on visibilitychange→hidden (final=false) and pagehide (final=true);
   * `shown(restored)` on visible/pageshow; `stored(change)` when another tab of the store set
   * (`newValue`) or removed (null) a stored `key` (the `storage` event); `leaving()` when the page
   * starts a navigation (the Navigation API's `navigate`, where there is one). Returns the unbind.
   */
  lifecycle(
    hidden: (final: boolean) => void,
    shown: (restored: boolean) => void,
    stored: (change: StoredChange) => void,
    leaving: () => void,
  ): () => void;
  /** `online` events; returns the unbind. */
  online(cb: () => void): () => void;
  /**
   * Find the Twilight SDK now (window.Salla / window.salla) or when it appears (`found`); `none` once
   * it is clear none is coming (the page has loaded without one). Returns a cancel function.
   */
  waitSdk(found: (sdk: TwilightSdk) => void, none: () => void): () => void;
  /** Calls back once the page is idle after its load (work that can wait). */
  idle(cb: () => void): void;
  /**
   * A value the page's components keep in sessionStorage (Salla's list attribution: `s-viewed-source`,
   * `s-viewed-position`, `s-request-id`); null when absent, undefined when sessionStorage is not
   * usable. Never throws.
   */
  session?(key: string): string | null | undefined;
  /** SHA-256 hex of a string; undefined when hashing is unavailable. Never rejects. */
  sha256(s: string): Promise<string | undefined>;
  /** Start Core Web Vitals reporting (the script build: its second file, from `url` or beside tracker.js). */
  vitals?(report: (m: WebVitalMeasured) => void, url?: string): void;
}
