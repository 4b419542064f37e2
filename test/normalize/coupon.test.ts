import { describe, expect, it } from 'vitest';
import { args, run, state } from './fixture';

describe('coupon', () => {
  it('Coupon Applied from cart::coupon.added', () => {
    expect(run(state({ pageSlug: 'cart' }), 'cart::coupon.added', args('cart::coupon.added', 0))).toEqual([
      {
        name: 'Coupon Applied',
        properties: {
          cart_id: '70001',
          coupon_name: 'SAVE10',
          coupon_code: 'SAVE10',
          discount: 37.4,
          currency: 'SAR',
        },
      },
    ]);
  });

  it('Coupon Removed from cart::coupon.deleted: the code and discount of the cart before', () => {
    const s = state({ pageSlug: 'cart' });
    run(s, 'cart::updated', args('cart::updated', 6)); // with SAVE10
    run(s, 'cart::updated', args('cart::updated', 7)); // without
    expect(run(s, 'cart::coupon.deleted', args('cart::coupon.deleted', 0))).toEqual([
      {
        name: 'Coupon Removed',
        properties: {
          cart_id: '70001',
          coupon_name: 'SAVE10',
          coupon_code: 'SAVE10',
          discount: 37.4,
          currency: 'SAR',
        },
      },
    ]);
  });

  it('Coupon Denied from cart::coupon.addition.failed (axios error: code in config.data)', () => {
    const [err, cartId] = args('cart::coupon.addition.failed', 0) as [Record<string, unknown>, number];
    err.config = { method: 'post', data: '{"coupon":"NOPE"}' };
    expect(run(state({ pageSlug: 'cart' }), 'cart::coupon.addition.failed', [err, cartId])).toEqual([
      {
        name: 'Coupon Denied',
        properties: {
          cart_id: '70001',
          coupon_name: 'NOPE',
          coupon_code: 'NOPE',
          reason: 'The coupon is invalid or expired',
        },
      },
    ]);
  });

  it('Coupon Denied for the SDK’s own check (an Error, no cart id)', () => {
    expect(run(state(), 'cart::coupon.addition.failed', [new Error('There is no "Coupon Code"!')])).toEqual([
      { name: 'Coupon Denied', properties: { reason: 'There is no "Coupon Code"!' } },
    ]);
  });

  it('ignores Salla’s re-emitted Coupon Applied / Removed / Denied', () => {
    const s = state();
    for (const n of ['Coupon Applied', 'Coupon Removed', 'Coupon Denied'])
      expect(run(s, n, args(n, 0))).toEqual([]);
  });
});
