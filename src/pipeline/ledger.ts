import { parseJson, stringify } from '../lib/json';
import type { KV } from '../lib/kv';
import { list } from '../lib/read';

/** How many deterministic message ids are remembered across pages. */
const KEEP = 100;

export interface Ledger {
  /**
   * Is `id` new (not sent by this page, an earlier page or another tab)? Then it is recorded as
   * sent: in storage with `store` (consent granted), else in this page's memory only.
   */
  fresh(id: string, store: boolean): boolean;
  /** Consent granted: the ids this page kept in memory go to storage too. */
  persist(): void;
  /** Consent denied: forget the stored ids. */
  purge(): void;
}

/**
 * The deterministic message ids (Order Completed's `tt-oc-<order id>`) already sent: the last 100,
 * in storage (shared by tabs and reloads) once consent allows, and in memory.
 */
export function createLedger(kv: KV, prefix: string): Ledger {
  const key = prefix + ':sent';
  const mine: string[] = [];
  /** The stored ids: what is not an array reads as none (`list` reads up to 100, as many as are written). */
  const stored = (): unknown[] => list(parseJson(kv.get(key)));
  const write = (ids: unknown[]) => kv.set(key, stringify(ids.slice(-KEEP)) as string);
  return {
    persist() {
      const ids = stored();
      if (mine.length) write(ids.concat(mine.filter((id) => ids.indexOf(id) < 0)));
    },
    fresh(id, store) {
      const ids = stored();
      if (ids.concat(mine).indexOf(id) < 0) {
        mine.push(id);
        if (store) write(ids.concat(id));
        return true;
      }
      return false;
    },
    purge: () => kv.del(key),
  };
}
