import { describe, expect, it } from 'vitest';
import { args, P103, run, state } from './fixture';

const TEA = {
  wishlist_id: '1001_501',
  wishlist_name: 'Twilight Demo Store',
  ...P103,
};

describe('wishlist', () => {
  const s = () => state({ pageSlug: 'product.single', pageId: '103', customerId: '501' });

  it('Product Added to Wishlist from wishlist::added (no stock count as quantity)', () => {
    expect(run(s(), 'wishlist::added', args('wishlist::added', 0))).toEqual([
      { name: 'Product Added to Wishlist', properties: TEA },
    ]);
  });

  it('Product Removed from Wishlist from wishlist::removed', () => {
    expect(run(s(), 'wishlist::removed', args('wishlist::removed', 0))).toEqual([
      { name: 'Product Removed from Wishlist', properties: TEA },
    ]);
  });

  it('ignores Salla’s re-emitted names, repairs a response without a product', () => {
    expect(run(s(), 'Product Added to Wishlist', args('Product Added to Wishlist', 0))).toEqual([]);
    expect(
      run(state(), 'wishlist::added', [{ status: 200, success: true, data: { message: 'ok' } }, 104]),
    ).toEqual([
      {
        name: 'Product Added to Wishlist',
        properties: { product_id: '104', wishlist_name: 'Twilight Demo Store' },
      },
    ]);
  });
});
