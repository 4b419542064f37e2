import type { CartProduct } from '../schema';
import { type Obj, curOf, get, named, obj, own, qty, str, money } from '../lib/read';

/**
 * A normalized product from either shape the SDK carries: a Segment-style item from server events
 * (`product_id`, `price`, `quantity`…) or a Salla product/cart item (`id`, `price` as `{amount}`,
 * `image.url`, `category.name`…). A catalog product's `quantity` is its stock, not units the
 * shopper chose: pass `catalog` to leave it out. Undefined fields are left in (the core drops them).
 * Only its own fields are read (`own`): one that cannot be copied (a throwing getter or proxy) throws,
 * and its hook gives a debug line and no event.
 */
export function readProduct(v: unknown, cur?: string, catalog?: boolean): CartProduct {
  if (!obj(v)) return {};
  const p: Partial<Record<keyof CartProduct | 'id' | 'image' | 'thumbnail' | 'product_price', unknown>> = own(
    v as Obj,
  );
  const img = p.image_url ?? p.image ?? p.thumbnail;
  return {
    product_id: str(p.product_id ?? p.id, 64),
    sku: str(p.sku, 120),
    category: named(p.category),
    name: str(p.name),
    brand: named(p.brand),
    variant: str(p.variant, 200),
    price: money(p.price ?? p.product_price),
    quantity: catalog ? undefined : qty(p.quantity),
    coupon: str(p.coupon, 120),
    position: qty(p.position),
    url: str(p.url, 2000),
    image_url: str(get(img, 'url') ?? img, 2000),
    currency: curOf(p, cur),
    cart_item_id: str(p.cart_item_id, 64),
  };
}
