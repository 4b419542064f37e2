import { describe, expect, it } from 'vitest';
import type { Emitted } from '../../src/normalize/types';
import { normalize } from '../../src/normalize';
import { fired, state } from './fixture';

/**
 * Feed the whole recording through the tables: the journey (entries 0-122, 12 page loads), then the
 * probe's scenarios (sign-up, ratings, reorders, a market, and the components' hooks replayed through
 * the real SDK). Without an add source known (attachSdk is not here), component adds count as plain adds.
 */
function replay() {
  const out: string[] = [];
  let s = state();
  let page = '';
  for (const h of fired) {
    if (h.page !== page) {
      // A new page load: a new tracker, whose state comes from that page's config.
      page = h.page;
      const cfg = fired.find((x) => x.page === page && x.name === 'twilight::before.ready')?.args[0] as {
        page: { slug: string; id: number | null };
        user: { id?: number; type: string };
      };
      s = state({ pageSlug: cfg.page.slug, pageId: cfg.page.id ? String(cfg.page.id) : undefined });
      if (cfg.user.type === 'user') {
        s.customer = { ...cfg.user };
        s.customerId = String(cfg.user.id);
      }
    }
    for (const e of normalize(h.name, h.args, s, s.log) as Emitted[]) {
      const p = e.properties as Record<string, unknown>;
      out.push(
        [e.name, p.product_id ?? p.query ?? p.order_id ?? p.coupon_code ?? p.value ?? ''].join(' ').trim(),
      );
    }
    s.t.now += 10;
  }
  return out;
}

describe('the recorded journey of the real SDK, then the scenarios', () => {
  it('gives each action exactly one event, in order, ignoring the hooks Salla’s engine re-emits', () => {
    expect(replay()).toEqual([
      'Product Added 101',
      'Cart Updated 83',
      'Product Added 105',
      'Cart Updated 182',
      'Product Viewed 102',
      'Product Added 102',
      'Cart Updated 337',
      'Cart Viewed 337',
      'Product Added 101', // quantity 1 → 3 on the cart page
      'Cart Updated 473',
      'Product Removed 105',
      'Cart Updated 374',
      'Coupon Denied',
      'Cart Updated 336.6',
      'Coupon Applied SAVE10',
      'Cart Updated 374',
      'Coupon Removed SAVE10', // from the cart before the removal
      'Signed In',
      'User Profile Updated',
      'Product Viewed 103',
      'Product Added to Wishlist 103',
      'Product Removed from Wishlist 103',
      'Product Added 103',
      'Cart Updated 416',
      'Products Searched tea',
      'Products Searched coffee',
      'Order Completed 300001',
      'Signed Out',
      'Product Viewed 101',
      // scenarios: sign up (the sign-in that follows is not a second event), sign out
      'Signed Up',
      'Signed Out',
      'Signed In',
      'Product Reviewed 101', // salla.rating.products: one event per product
      'Product Reviewed 102',
      'Product Reordered 300001', // the whole order, then the cart page it lands on
      'Cart Viewed 416',
      'Product Reordered 103', // one product of it
      'Cart Viewed 458',
      'Market Selected',
      'Product Viewed 102',
      'Product Shared 102', // whatsapp
      'Product Shared 102', // copy_link
      'Product Shared', // off a product page
      'Product Viewed 101',
      'Recommendation List Viewed', // <salla-bought-together>
      'Product Clicked 104',
      'Product Added 101',
      'Cart Updated 526',
      'Product Added 103',
      'Cart Updated 568',
      'Product Added 104',
      'Cart Updated 603',
      'Cart Viewed 603',
      'Product Added 105', // <salla-basket-gap>
      'Cart Updated 702',
      'Promotion Viewed', // <salla-offer>: two offers
      'Promotion Viewed',
      'Promotion Clicked',
      'Product Viewed 104',
      'Product Added 104', // announces offer 55: <salla-offer-modal>
      'Cart Updated 737',
      'Promotion Viewed',
      'Promotion Clicked',
      'Product Added 104', // the modal's add (2 units)
      'Cart Updated 807',
      'Product List Viewed', // <salla-products-list>: a category
      'Product List Viewed', // latest, page 1
      'Product List Viewed', // latest, page 2
      'Products Searched tea',
      'Product List Filtered', // the search page with filters
    ]);
  });
});
