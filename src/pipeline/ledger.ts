import { parseJson, stringify } from '../lib/json';
import type { KV } from '../lib/kv';

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
  const stored = (): unknown[] => {
    const list = parseJson(kv.get(key));
    return Array.isArray(list) ? list : [];
  };
  const write = (ids: unknown[]) => kv.set(key, stringify(ids.slice(-KEEP)) as string);
  return {
    persist() {
      const list = stored();
      if (mine.length) write(list.concat(mine.filter((id) => list.indexOf(id) < 0)));
    },
    fresh(id, store) {
      const list = stored();
      if (mine.indexOf(id) >= 0 || list.indexOf(id) >= 0) return false;
      mine.push(id);
      if (store) write(list.concat(id));
      return true;
    },
    purge: () => kv.del(key),
  };
}
