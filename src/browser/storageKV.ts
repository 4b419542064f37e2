import { memoryKV, safeKV, type KV } from '../lib/kv';

/**
 * localStorage behind a KV that never throws, touched first when it is used (the first touch of
 * localStorage is slow: it waits until then, not page load): memory when storage is missing or
 * disabled (Safari private mode, blocked cookies), which says so (`mem`); a full quota or a later
 * error makes `set` false.
 */
export const storageKV = (): KV => {
  let kv: KV | undefined;
  // Made safe around the first touch too: a get that throws later reads null, a set is false.
  return safeKV(() => {
    if (!kv)
      try {
        const s = window.localStorage;
        // Reading a key throws where storage is blocked: fall back to memory then.
        s.getItem('tt');
        kv = {
          get: (k) => s.getItem(k),
          set: (k, v) => (s.setItem(k, v), true),
          del: (k) => s.removeItem(k),
          keys: () => Object.keys(s),
          // Own, so that a polluted Object.prototype.mem cannot make it memory.
          mem: () => false,
        };
      } catch {
        kv = memoryKV();
        kv.mem = () => true;
      }
    return kv;
  });
};
