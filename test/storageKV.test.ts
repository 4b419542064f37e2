// storageKV: localStorage when it opens, memory (which says so) when it does not.
import { afterEach, describe, expect, it, vi } from 'vitest';
import { storageKV } from '../src/browser/storageKV';

/** A localStorage stand-in: a Map behind the Storage methods the KV uses. */
function fakeStorage() {
  const m = new Map<string, string>();
  return {
    getItem: (k: string) => m.get(k) ?? null,
    setItem: (k: string, v: string) => void m.set(k, v),
    removeItem: (k: string) => void m.delete(k),
  };
}

describe('storageKV', () => {
  afterEach(() => {
    vi.unstubAllGlobals();
    delete (Object.prototype as { mem?: unknown }).mem;
  });

  it('localStorage persists (mem false), even where a page polluted Object.prototype.mem', () => {
    vi.stubGlobal('window', { localStorage: fakeStorage() });
    (Object.prototype as { mem?: unknown }).mem = () => true;
    const kv = storageKV();
    expect(kv.set('a', '1')).toBe(true);
    expect(kv.get('a')).toBe('1');
    expect(kv.mem?.()).toBe(false);
  });

  it('blocked localStorage (reading throws): memory, which says so', () => {
    vi.stubGlobal('window', {
      get localStorage(): never {
        throw new DOMException('denied', 'SecurityError');
      },
    });
    const kv = storageKV();
    expect(kv.set('a', '1')).toBe(true);
    expect(kv.get('a')).toBe('1');
    expect(kv.mem?.()).toBe(true);
  });
});
