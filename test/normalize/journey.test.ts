import { describe, expect, it } from 'vitest';
import type { Emitted } from '../../src/normalize/types';
import { normalize } from '../../src/normalize';
import { fired, state } from './fixture';

/** Feed the whole recorded journey (123 hooks of the real SDK, 12 page loads) through the tables. */
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
      s = state({ slug: cfg.page.slug, pageId: cfg.page.id ? String(cfg.page.id) : undefined });
      if (cfg.user.type === 'user') {
        s.user = { ...cfg.user };
        s.userId = String(cfg.user.id);
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

describe('the recorded journey of the real SDK', () => {
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
    ]);
  });
});
