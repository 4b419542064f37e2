import { memoryKV, type KV } from '../core/kv';

/**
 * localStorage behind a KV that never throws: when storage is missing, disabled or throws on
 * access, every call falls back to memory; a full quota makes `set` return false.
 */
export function storageKV(): KV {
  const mem = memoryKV();
  let ls: Storage | undefined;
  try {
    ls = window.localStorage;
    const k = '__tt_probe';
    ls.setItem(k, k);
    ls.removeItem(k);
  } catch {
    ls = undefined;
  }
  if (!ls) return mem;
  const s = ls;
  return {
    get(k) {
      try {
        return s.getItem(k);
      } catch {
        return mem.get(k);
      }
    },
    set(k, v) {
      try {
        s.setItem(k, v);
        return true;
      } catch {
        return false;
      }
    },
    del(k) {
      try {
        s.removeItem(k);
      } catch {
        mem.del(k);
      }
    },
    keys() {
      try {
        const out: string[] = [];
        for (let i = 0; i < s.length; i++) {
          const k = s.key(i);
          if (k !== null) out.push(k);
        }
        return out;
      } catch {
        return mem.keys();
      }
    },
  };
}
