import type { CartProduct } from '../schema';
import { curOf, get, named, obj, qty, str, money } from '../lib/read';

/**
 * A normalized product from either shape the SDK carries: a Segment-style item from server events
 * (`product_id`, `price`, `quantity`…) or a Salla product/cart item (`id`, `price` as `{amount}`,
 * `image.url`, `category.name`…; a cart line's `product_name`…). A catalog product's `quantity` is
 * its stock, not units the shopper chose: pass `catalog` to leave it out. Undefined fields are left
 * in (the core drops them).
 */
export function readProduct(v: unknown, cur?: string, catalog?: boolean): CartProduct {
  // (a cart line names them `product_name`, `product_sku`, `product_image`, `product_price`)
  const img = get(v, 'image_url') ?? get(v, 'image') ?? get(v, 'thumbnail') ?? get(v, 'product_image');
  return obj(v)
    ? {
        product_id: str(get(v, 'product_id') ?? get(v, 'id'), 64),
        sku: str(get(v, 'sku') ?? get(v, 'product_sku'), 120),
        category: named(get(v, 'category')),
        name: str(get(v, 'name') ?? get(v, 'product_name')),
        brand: named(get(v, 'brand')),
        variant: str(get(v, 'variant'), 200),
        price: money(get(v, 'price') ?? get(v, 'product_price')),
        quantity: qty(!catalog && get(v, 'quantity')), // (qty(false): undefined)
        coupon: str(get(v, 'coupon'), 120),
        position: qty(get(v, 'position')),
        url: str(get(v, 'url'), 2000),
        image_url: str(get(img, 'url') ?? img, 2000),
        currency: curOf(v, cur),
        cart_item_id: str(get(v, 'cart_item_id'), 64),
      }
    : {};
}
