// unload()'s second way out, Chromium's fetchLater: its own 64 KiB quota, and not tried again once it throws.
import { afterEach, describe, expect, it, vi } from 'vitest';

/** transport.ts with the built-ins it captures at load: a beacon the browser refuses, and `later` as fetchLater. */
async function load(later: (url: string, init: RequestInit) => unknown) {
  vi.resetModules();
  vi.stubGlobal('navigator', { sendBeacon: () => false });
  vi.stubGlobal('fetchLater', later);
  return import('../src/browser/transport');
}

describe('unload() by fetchLater', () => {
  afterEach(() => vi.unstubAllGlobals());

  it('hands a body to fetchLater when the beacon is refused, within its own 64 KiB quota', async () => {
    const later = vi.fn();
    const t = await load(later);
    const body = 'x'.repeat(30000);
    expect(t.unload('/collect', body)).toBe(true);
    expect(t.unload('/collect', body)).toBe(true);
    expect(later.mock.calls).toEqual([
      ['/collect', { method: 'POST', body, credentials: 'omit' }],
      ['/collect', { method: 'POST', body, credentials: 'omit' }],
    ]);
    // 60,000 of 65,536 bytes taken: another 30,000 do not fit.
    expect(t.unload('/collect', body)).toBe(false);
    expect(later).toHaveBeenCalledTimes(2);
  });

  it('once fetchLater throws (quota full, or unusable), it is not tried again', async () => {
    const later = vi.fn(() => {
      throw new DOMException('quota', 'QuotaExceededError');
    });
    const t = await load(later);
    expect(t.unload('/collect', 'a'.repeat(100))).toBe(false);
    expect(t.unload('/collect', 'b'.repeat(100))).toBe(false);
    expect(t.unload('/collect', 'c'.repeat(100))).toBe(false);
    expect(later).toHaveBeenCalledTimes(1);
    expect(t.room()).toBe(65536); // the keepalive budget's: fetchLater's is spent
  });
});
