import { describe, expect, it } from 'vitest';
import { hooks } from '../../src/normalize';
import { run, state } from './fixture';

describe('normalize()', () => {
  it('ignores unknown hooks and prototype names', () => {
    const s = state();
    for (const n of [
      'cart::submitted',
      'twilight::initiated',
      'toString',
      '__proto__',
      'constructor',
      'Checkout Started',
    ]) {
      expect(run(s, n, [{}])).toEqual([]);
    }
  });

  it('ignores every Segment-named hook Salla’s own engine re-emits', () => {
    const reEmitted = [
      'Cart Updated',
      'Coupon Applied',
      'Coupon Removed',
      'Coupon Denied',
      'Signed In',
      'Signed Up',
      'Signed Out',
      'User Profile Updated',
      'Product Added to Wishlist',
      'Product Removed from Wishlist',
      'Product List Viewed',
      'Product List Filtered',
      'Product Shared',
      'Promotion Viewed',
      'Promotion Clicked',
      'Market Selected',
      'Product Reordered',
      'Product Clicked',
      'Product Reviewed',
      'Recommendation List Viewed',
    ];
    for (const n of reEmitted) expect(Object.keys(hooks)).not.toContain(n);
  });

  it('never throws: a hostile payload gives a debug line or a repaired event', () => {
    const s = state();
    const trap = new Proxy(
      {},
      {
        get: () => {
          throw new Error('getter');
        },
        ownKeys: () => {
          throw new Error('keys');
        },
      },
    );
    for (const name of Object.keys(hooks)) {
      for (const a of [[], [null], [trap, trap], [[trap]], [undefined, 'x'], [42, { products: trap }]]) {
        expect(() => run(s, name, a)).not.toThrow();
      }
    }
    expect(run(s, 'rating::products.rated', [{}, { products: trap }])).toEqual([]);
    expect(s.log).toHaveBeenCalledWith(
      'dropped malformed "rating::products.rated" payload',
      expect.any(Error),
    );
  });

  it('leaves unknown values undefined, so they are not serialized', () => {
    const [e] = run(state(), 'order::order.created', [{}, 300001]);
    expect(JSON.parse(JSON.stringify(e!.properties))).toEqual({ order_id: '300001' });
    expect(Object.values(e!.properties).filter((v) => v !== undefined)).toEqual(['300001']);
  });
});
