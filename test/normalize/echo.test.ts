/**
 * The 3 s echo window (README "One event per action"): Salla reports a cart add or removal twice,
 * the server's event in the API response, then the SDK hook. The hook within 3 s is the echo of the
 * server event (dropped); later it is a new action. The normalizer state of `fixture.ts` has a frozen
 * clock (`s.t.now`), so these tests move it; the last one runs the whole tracker on fake timers.
 */
import { afterEach, describe, expect, it, vi } from 'vitest';
import { createCore } from '../../src/core/createCore';
import { fakeEnv } from '../helpers/fakeEnv';
import { fakeSdk, storeConfig } from '../helpers/fakeSdk';
import { args, run, state } from './fixture';

/** Demo product 101 as a line of `cart::updated` (no category or brand on lines). */
const line101 = {
  product_id: '101',
  name: 'Ethiopian Yirgacheffe Beans',
  sku: 'COF-ETH-250',
  price: 68,
  currency: 'SAR',
  url: 'http://127.0.0.1:4400/p/101',
  image_url: 'http://127.0.0.1:4400/assets/img/amber.svg',
};
const added = { ...line101, cart_id: '70001', cart_item_id: '900001', quantity: 1 };
/** Demo product 105 as a line of `cart::updated`. */
const P105 = {
  product_id: '105',
  name: 'Ceramic Pour-over Dripper',
  sku: 'ACC-DRP-V60',
  price: 99,
  currency: 'SAR',
  url: 'http://127.0.0.1:4400/p/105',
  image_url: 'http://127.0.0.1:4400/assets/img/slate.svg',
};

describe('the echo window of a cart add (server event, then cart::item.added)', () => {
  /** The server event at t, then its cart::updated, then the hook `after` ms later: the hook's events. */
  function hookAfter(after: number) {
    const s = state();
    run(s, 'cart::updated', args('cart::updated', 0)); // empty cart
    const server = run(s, 'Product Added', args('Product Added', 0));
    expect(server.map((e) => e.name)).toEqual(['Product Added']);
    run(s, 'cart::updated', args('cart::updated', 1));
    s.t.now += after;
    return run(s, 'cart::item.added', args('cart::item.added', 0));
  }

  it('2.9 s after the server event: the echo of it, dropped', () => {
    expect(hookAfter(2900)).toEqual([]);
  });

  it('3.1 s after: a new action, sent with the units added since the cart before', () => {
    expect(hookAfter(3100)).toEqual([{ name: 'Product Added', properties: added }]);
  });
});

describe('the echo window of a cart removal (server event, then cart::item.deleted)', () => {
  function hookAfter(after: number) {
    const s = state({ pageSlug: 'cart' });
    run(s, 'cart::updated', args('cart::updated', 4));
    expect(run(s, 'Product Removed', args('Product Removed', 0)).map((e) => e.name)).toEqual([
      'Product Removed',
    ]);
    run(s, 'cart::updated', args('cart::updated', 5));
    s.t.now += after;
    return run(s, 'cart::item.deleted', args('cart::item.deleted', 0));
  }

  it('2.9 s: dropped', () => {
    expect(hookAfter(2900)).toEqual([]);
  });

  it('3.1 s: sent', () => {
    expect(hookAfter(3100)).toEqual([
      {
        name: 'Product Removed',
        properties: { ...P105, cart_id: '70001', cart_item_id: '900002', quantity: 1 },
      },
    ]);
  });
});

describe('the echo window on the tracker’s own clock', () => {
  afterEach(() => vi.useRealTimers());

  it('one Product Added for a hook 2.9 s after the server event, two for one 3.1 s after', async () => {
    const sentAfter = async (after: number) => {
      vi.useFakeTimers();
      vi.setSystemTime(new Date('2026-11-22T10:00:00.000Z'));
      const s = fakeSdk(storeConfig());
      const t = fakeEnv({ sdk: s.sdk });
      const tracker = createCore(
        { endpoint: '/collect', consent: 'granted', webVitals: false, autoPage: false },
        t.env,
      );
      s.init();
      s.emit('cart::updated', ...args('cart::updated', 0));
      s.emit('Product Added', ...args('Product Added', 0));
      s.emit('cart::updated', ...args('cart::updated', 1));
      await vi.advanceTimersByTimeAsync(after);
      s.emit('cart::item.added', ...args('cart::item.added', 0));
      await tracker.flush();
      const events = t.events().map((e) => [e.event, e.timestamp]);
      tracker.destroy();
      vi.useRealTimers();
      return events;
    };
    expect(await sentAfter(2900)).toEqual([
      ['Product Added', '2026-11-22T10:00:00.000Z'],
      ['Cart Updated', '2026-11-22T10:00:00.000Z'],
    ]);
    expect(await sentAfter(3100)).toEqual([
      ['Product Added', '2026-11-22T10:00:00.000Z'],
      ['Cart Updated', '2026-11-22T10:00:00.000Z'],
      ['Product Added', '2026-11-22T10:00:03.100Z'],
    ]);
  });
});
