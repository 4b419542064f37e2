// A tracker that cannot finish starting leaves nothing behind: no SDK listener, no timer, no
// endpoint that sends on its own (startTracker then returns the do-nothing tracker with an E1).
import { describe, expect, it, vi } from 'vitest';
import { createCore } from '../src/core/createCore';
import { fakeEnv } from './helpers/fakeEnv';
import { fakeSdk, storeConfig } from './helpers/fakeSdk';

describe('a start that throws half way', () => {
  it('detaches from the SDK and stops the endpoint before the error reaches the caller', async () => {
    vi.useFakeTimers();
    try {
      const s = fakeSdk(storeConfig());
      s.init();
      const t = fakeEnv({ sdk: s.sdk });
      t.env.lifecycle = () => {
        throw new Error('a page that breaks addEventListener');
      };
      expect(() => createCore([{ endpoint: '/c', consent: 'granted', webVitals: false }], t.env)).toThrow(
        'a page that breaks addEventListener',
      );
      // The SDK's hooks reach nothing, and nothing is sent later (the automatic page event included).
      s.emit('cart::item.added', [{ data: { cart: { id: 1 } } }, 5]);
      await vi.advanceTimersByTimeAsync(60_000);
      expect(t.sent).toEqual([]);
    } finally {
      vi.useRealTimers();
    }
  });
});
