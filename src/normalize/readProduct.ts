import type { CartProduct } from '../schema';
import { curOf, get, named, obj, qty, str, money } from '../lib/read';

/**
 * A normalized product from either shape the SDK carries: a Segment-style item from server events
 * (`product_id`, `price`, `quantity`…) or a Salla product/cart item (`id`, `price` as `{amount}`,
 * `image.url`, `category.name`…). A catalog product's `quantity` is its stock, not units the
 * shopper chose: pass `catalog` to leave it out. Undefined fields are left in (the core drops them).
 */
export function readProduct(v: unknown, cur?: string, catalog?: boolean): CartProduct {
  const g = (k: string) => get(v, k);
  const img = g('image_url') ?? g('image') ?? g('thumbnail');
  return obj(v)
    ? {
        product_id: str(g('product_id') ?? g('id'), 64),
        sku: str(g('sku'), 120),
        category: named(g('category')),
        name: str(g('name')),
        brand: named(g('brand')),
        variant: str(g('variant'), 200),
        price: money(g('price') ?? g('product_price')),
        quantity: catalog ? undefined : qty(g('quantity')),
        coupon: str(g('coupon'), 120),
        position: qty(g('position')),
        url: str(g('url'), 2000),
        image_url: str(get(img, 'url') ?? img, 2000),
        currency: curOf(v, cur),
        cart_item_id: str(g('cart_item_id'), 64),
      }
    : {};
}
