import type { Log } from '../core/createLog';
import type { EventName, EventProperties } from '../schema';
import type { Obj } from './values';

/** What normalizers know about the store and page (refreshed from the SDK's config). */
export interface HookState {
  /** Store currency (ISO 4217). */
  currency?: string;
  storeId?: string;
  storeName?: string;
  /** Signed-in customer id. */
  userId?: string;
  /** Salla page slug (`product.single`, `cart`…) and id. */
  slug?: string;
  pageId?: string;
  pageTitle?: string;
  /** Snapshot of the signed-in customer, for `User Profile Updated` diffs. */
  user?: Obj;
  /** The last Product Viewed (for Product Shared). */
  viewed?: EventProperties['Product Viewed'];
  /** Keys of recent emissions, for suppressing the same action reported twice. */
  recent: Map<string, number>;
  now(): number;
  log: Log;
}

/** One normalized event; `id` (optional) makes its messageId deterministic. */
export type Emitted = {
  [N in EventName]: { name: N; properties: EventProperties[N]; id?: string };
}[EventName];

/** Turns one hook's arguments into zero or more events. May throw: the caller catches. */
export type Normalizer = (args: unknown[], s: HookState) => Emitted | Emitted[] | undefined;

/** Hook name → normalizer. */
export type HookTable = Record<string, Normalizer>;

/** Was the same action (`key`) reported within `ms`? Records it when not. */
export function seen(s: HookState, key: string, ms = 3000): boolean {
  const now = s.now();
  const t = s.recent.get(key);
  if (s.recent.size > 200) s.recent.clear();
  s.recent.set(key, now);
  return t !== undefined && now - t < ms;
}
