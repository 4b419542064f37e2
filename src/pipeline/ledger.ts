import { parseJson, stringify } from '../lib/json';
import type { KV } from '../lib/kv';

/** How many deterministic message ids are remembered across pages. */
const KEEP = 100;

export interface Ledger {
  /** Has `id` not been sent here, by an earlier page or by another tab? With `record`, remember it as sent. */
  fresh(id: string, record?: boolean): boolean;
}

/**
 * The deterministic message ids (Order Completed's `tt-oc-<order id>`) already sent: the last 100,
 * in storage (shared by tabs and reloads) and in memory (when storage fails).
 */
export function createLedger(kv: KV, prefix: string): Ledger {
  const key = prefix + ':sent';
  const mine: string[] = [];
  return {
    fresh(id, record) {
      const stored = parseJson(kv.get(key));
      const list = Array.isArray(stored) ? stored : [];
      if (mine.indexOf(id) >= 0 || list.indexOf(id) >= 0) return false;
      if (record) {
        mine.push(id);
        kv.set(key, stringify(list.concat(id).slice(-KEEP)) as string);
      }
      return true;
    },
  };
}
