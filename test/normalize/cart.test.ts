import { describe, expect, it } from 'vitest';
import { args, fired, P101, P102, P103, run, state } from './fixture';

const P105 = {
  product_id: '105',
  name: 'Ceramic Pour-over Dripper',
  sku: 'ACC-DRP-V60',
  price: 99,
  currency: 'SAR',
  url: 'http://127.0.0.1:4400/p/105',
  image_url: 'http://127.0.0.1:4400/assets/img/slate.svg',
};
/** Demo product 104 as an API product (a component's `product`) gives it. */
const P104 = {
  product_id: '104',
  name: 'Karak Chai Blend',
  sku: 'TEA-KRK-200',
  category: 'Tea',
  brand: 'Leaf & Co',
  price: 35,
  currency: 'SAR',
  url: 'http://127.0.0.1:4400/p/104',
  image_url: 'http://127.0.0.1:4400/assets/img/rose.svg',
};
/** The same product as a cart line of `cart::updated` (no category/brand on lines). */
const line101 = { ...P101, category: undefined, brand: undefined };
delete line101.category;
delete line101.brand;

describe('cart: Product Added', () => {
  it('reports the server event, then suppresses the cart::item.added hook of the same add', () => {
    const s = state();
    run(s, 'cart::updated', args('cart::updated', 0));
    expect(run(s, 'Product Added', args('Product Added', 0))).toEqual([
      {
        name: 'Product Added',
        properties: { ...P101, cart_id: '70001', cart_item_id: '900001', quantity: 1 },
      },
    ]);
    expect(run(s, 'cart::updated', args('cart::updated', 1)).map((e) => e.name)).toEqual(['Cart Updated']);
    expect(run(s, 'cart::item.added', args('cart::item.added', 0))).toEqual([]);
  });

  it('reports the hook alone (no server event), with the units added from the cart before', () => {
    const s = state();
    run(s, 'cart::updated', args('cart::updated', 0)); // empty cart
    run(s, 'cart::updated', args('cart::updated', 1));
    expect(run(s, 'cart::item.added', args('cart::item.added', 0))).toEqual([
      {
        name: 'Product Added',
        properties: { ...line101, cart_id: '70001', cart_item_id: '900001', quantity: 1 },
      },
    ]);
  });

  it('omits the quantity when the cart before the add is unknown (never NaN, never the line total)', () => {
    const s = state();
    run(s, 'cart::updated', args('cart::updated', 3)); // first cart seen on this page
    const [e] = run(s, 'cart::item.added', args('cart::item.added', 2));
    expect(e).toEqual({
      name: 'Product Added',
      properties: {
        ...P102,
        category: undefined,
        brand: undefined,
        cart_id: '70001',
        cart_item_id: '900003',
      },
    });
  });

  it('counts a quick second add of the same product as a new action', () => {
    const s = state();
    const server = args('Product Added', 0);
    const hook = args('cart::item.added', 0);
    const names = [
      ...run(s, 'Product Added', server),
      ...run(s, 'cart::item.added', hook),
      ...run(s, 'Product Added', server),
      ...run(s, 'cart::item.added', hook),
    ].map((e) => e.name);
    expect(names).toEqual(['Product Added', 'Product Added']);
  });

  it('reports a quantity increase once: the server event wins over cart::item.updated', () => {
    const s = state({ pageSlug: 'cart' });
    run(s, 'cart::updated', args('cart::updated', 3));
    expect(run(s, 'Product Added', args('Product Added', 3))).toEqual([
      {
        name: 'Product Added',
        properties: { ...P101, cart_id: '70001', cart_item_id: '900001', quantity: 2 },
      },
    ]);
    run(s, 'cart::updated', args('cart::updated', 4));
    expect(run(s, 'cart::item.updated', args('cart::item.updated', 0))).toEqual([]);
  });

  it('derives Product Added / Removed from cart::item.updated alone (1 → 3 → 1)', () => {
    const s = state({ pageSlug: 'cart' });
    run(s, 'cart::updated', args('cart::updated', 3)); // 101 × 1
    run(s, 'cart::updated', args('cart::updated', 4)); // 101 × 3
    expect(run(s, 'cart::item.updated', args('cart::item.updated', 0))).toEqual([
      {
        name: 'Product Added',
        properties: { ...line101, cart_id: '70001', cart_item_id: '900001', quantity: 2 },
      },
    ]);
    // Back to one: the previous cart (× 3) becomes the cart before.
    const down = args('cart::updated', 3)[0];
    run(s, 'cart::updated', [down]);
    const resp = args('cart::item.updated', 0) as [{ data: { cart: unknown } }, number];
    resp[0].data.cart = down;
    expect(run(s, 'cart::item.updated', resp)).toEqual([
      {
        name: 'Product Removed',
        properties: { ...line101, cart_id: '70001', cart_item_id: '900001', quantity: 2 },
      },
    ]);
  });
});

describe('cart: Product Removed', () => {
  it('reports the server event, then suppresses cart::item.deleted', () => {
    const s = state({ pageSlug: 'cart' });
    run(s, 'cart::updated', args('cart::updated', 4));
    expect(run(s, 'Product Removed', args('Product Removed', 0))).toEqual([
      {
        name: 'Product Removed',
        properties: {
          ...P105,
          category: 'Accessories',
          brand: 'Brewlab',
          cart_id: '70001',
          cart_item_id: '900002',
          quantity: 1,
        },
      },
    ]);
    run(s, 'cart::updated', args('cart::updated', 5));
    expect(run(s, 'cart::item.deleted', args('cart::item.deleted', 0))).toEqual([]);
  });

  it('reports cart::item.deleted alone with the removed line from the cart before', () => {
    const s = state({ pageSlug: 'cart' });
    run(s, 'cart::updated', args('cart::updated', 4));
    run(s, 'cart::updated', args('cart::updated', 5));
    expect(run(s, 'cart::item.deleted', args('cart::item.deleted', 0))).toEqual([
      {
        name: 'Product Removed',
        properties: { ...P105, cart_id: '70001', cart_item_id: '900002', quantity: 1 },
      },
    ]);
  });

  it('repairs cart::item.deleted without a cart before (product id and line id only)', () => {
    const s = state({ pageSlug: 'cart' });
    expect(run(s, 'cart::item.deleted', args('cart::item.deleted', 0))).toEqual([
      {
        name: 'Product Removed',
        properties: { product_id: '105', currency: 'SAR', cart_id: '70001', cart_item_id: '900002' },
      },
    ]);
  });

  it("takes the product id from the cart's line when the response has none (`product_id?` in the SDK's type)", () => {
    const noId = (a: unknown[]) => {
      delete (a[0] as { data: { product_id?: unknown } }).data.product_id;
      return a;
    };
    // A removal: reported (it was dropped, the product unknown).
    const s = state({ pageSlug: 'cart' });
    run(s, 'cart::updated', args('cart::updated', 4));
    run(s, 'cart::updated', args('cart::updated', 5));
    expect(run(s, 'cart::item.deleted', noId(args('cart::item.deleted', 0)))).toEqual([
      {
        name: 'Product Removed',
        properties: { ...P105, cart_id: '70001', cart_item_id: '900002', quantity: 1 },
      },
    ]);
    // A quantity change already reported by the server event: its echo is dropped (it was a second
    // Product Added, without a product id).
    const u = state({ pageSlug: 'cart' });
    run(u, 'cart::updated', args('cart::updated', 3));
    run(u, 'Product Added', args('Product Added', 3));
    run(u, 'cart::updated', args('cart::updated', 4));
    expect(run(u, 'cart::item.updated', noId(args('cart::item.updated', 0)))).toEqual([]);
    // Alone, it names the product.
    const v = state({ pageSlug: 'cart' });
    run(v, 'cart::updated', args('cart::updated', 3));
    run(v, 'cart::updated', args('cart::updated', 4));
    expect(run(v, 'cart::item.updated', noId(args('cart::item.updated', 0)))).toEqual([
      {
        name: 'Product Added',
        properties: { ...line101, cart_id: '70001', cart_item_id: '900001', quantity: 2 },
      },
    ]);
  });

  it('drops a malformed cart::item.deleted with a debug line, without throwing', () => {
    const s = state();
    expect(run(s, 'cart::item.deleted', [{ status: 500 }, 900002])).toEqual([]);
    expect(s.log).toHaveBeenCalledWith('no product id', 900002);
  });
});

describe('cart: Cart Viewed, Cart Updated', () => {
  it('Cart Viewed from the server event rendered into the cart page', () => {
    const [e] = run(state({ pageSlug: 'cart' }), 'Cart Viewed', args('Cart Viewed', 0));
    expect(e).toEqual({
      name: 'Cart Viewed',
      properties: {
        cart_id: '70001',
        currency: 'SAR',
        value: 337,
        products: [
          { ...P101, cart_item_id: '900001', quantity: 1, position: 1 },
          {
            ...P105,
            category: 'Accessories',
            brand: 'Brewlab',
            cart_item_id: '900002',
            quantity: 1,
            position: 2,
          },
          {
            ...P102,
            cart_item_id: '900003',
            quantity: 2,
            position: 3,
          },
        ],
      },
    });
  });

  it('Cart Updated from cart::updated: not for the page fetch, not twice for an unchanged cart', () => {
    const s = state();
    expect(run(s, 'cart::updated', args('cart::updated', 0))).toEqual([]); // fromLatestFetched
    expect(run(s, 'cart::updated', args('cart::updated', 1))).toEqual([
      {
        name: 'Cart Updated',
        properties: {
          cart_id: '70001',
          value: 83,
          revenue: 68,
          tax: 8.87,
          discount: 0,
          shipping: 15,
          currency: 'SAR',
          quantity: 1,
          products: [{ ...line101, cart_item_id: '900001', quantity: 1 }],
        },
      },
    ]);
    expect(run(s, 'cart::updated', args('cart::updated', 1))).toEqual([]);
    const [withCoupon] = run(s, 'cart::updated', args('cart::updated', 6));
    expect(withCoupon?.properties).toMatchObject({
      value: 336.6,
      discount: 37.4,
      coupon: 'SAVE10',
      quantity: 5,
    });
  });
  it("reads a cart line's product_name, product_sku, product_image and product_price (the names Salla's engine reads)", () => {
    const s = state();
    const [e] = run(s, 'cart::updated', [
      {
        id: 70001,
        total: 99,
        count: 1,
        items: [
          {
            id: 900005,
            product_id: 105,
            product_name: P105.name,
            product_sku: P105.sku,
            product_image: P105.image_url,
            product_price: 99,
            quantity: 1,
          },
        ],
      },
    ]);
    expect((e?.properties as { products?: unknown }).products).toEqual([
      {
        product_id: '105',
        name: P105.name,
        sku: P105.sku,
        price: 99,
        quantity: 1,
        image_url: P105.image_url,
        currency: 'SAR',
        cart_item_id: '900005',
      },
    ]);
  });
});

describe('cart: adds from the wishlist page and from components', () => {
  it('Wishlist Product Added to Cart replaces Product Added on the wishlist page', () => {
    const s = state({ pageSlug: 'customer.wishlist', customerId: '501' });
    expect(run(s, 'Product Added', args('Product Added', 4))).toEqual([
      {
        name: 'Wishlist Product Added to Cart',
        properties: {
          ...P103,
          quantity: 1,
          cart_id: '70001',
          cart_item_id: '900004',
          wishlist_id: '1001_501',
          wishlist_name: 'Twilight Demo Store',
        },
      },
    ]);
  });

  /**
   * <salla-bought-together> on /p/101 adds its products one by one (salla.cart.addItem, source
   * pdp_fbt), each time emitting [{product, position, cartItem, cartId}]; `nth` counts on that page.
   * Its third add is product 104, the second recommendation: the server's Product Added is #4 there,
   * Salla's engine re-emitting the component's payload #5, cart::item.added #2, the component's hook #2.
   */
  const fbt = (name: string, nth: number) => args(name, nth, '/p/101?tracker=0');

  it('a component add is reported by the component hook, with its source and position', () => {
    const s = state({ pageSlug: 'product.single', addSource: 'pdp_fbt' });
    expect(run(s, 'Product Added', fbt('Product Added', 4))).toEqual([]);
    expect(run(s, 'cart::item.added', fbt('cart::item.added', 2))).toEqual([]);
    // Salla's own engine re-emits the component's payload as "Product Added": not an add of ours.
    expect(run(s, 'Product Added', fbt('Product Added', 5))).toEqual([]);
    expect(
      run(s, 'salla-bought-together::product.added', fbt('salla-bought-together::product.added', 2)),
    ).toEqual([
      {
        name: 'Product Added',
        properties: {
          ...P104,
          // The component reads `response.data.id` and `response.data.items`, but addItem resolves
          // to CartResponse.update ({data: {cart, …}}): both are undefined in the real payload.
          cart_id: undefined,
          cart_item_id: undefined,
          quantity: 1,
          position: 2,
          source: 'pdp_fbt',
        },
      },
    ]);
    s.addSource = 'basket_gap';
    const [e] = run(s, 'salla-basket-gap::product.added', args('salla-basket-gap::product.added', 0));
    expect(e?.properties).toMatchObject({ product_id: '105', source: 'basket_gap', quantity: 1 });
  });

  it('a component add takes its cart and line from the cart::updated just before it (the component cannot read them)', () => {
    // The recorded hooks of the page, in the order the SDK fired them, up to the component's third add.
    const s = state({ pageSlug: 'product.single', pageId: '101' });
    const page = fired.filter((h) => h.page === '/p/101?tracker=0');
    const third = page.filter((h) => h.name === 'salla-bought-together::product.added')[2];
    let added: unknown[] = [];
    for (const h of page.slice(0, page.indexOf(third as (typeof page)[number]) + 1)) {
      if (h.name === 'cart::before.add.item' || h.name === 'Product Added') s.addSource = 'pdp_fbt';
      added = run(s, h.name, structuredClone(h.args));
    }
    const cart = s.cart as { id: number; items: Array<{ id: number; product_id: number }> };
    const line = cart.items.find((i) => String(i.product_id) === '104');
    expect(added).toEqual([
      {
        name: 'Product Added',
        properties: expect.objectContaining({
          product_id: '104',
          cart_id: String(cart.id),
          cart_item_id: String(line?.id),
          position: 2,
          source: 'pdp_fbt',
        }),
      },
    ]);
  });

  it('carries where the product was listed: the add button of a list card records it just before the add', () => {
    const s = state({ pageSlug: 'index' });
    // What the SDK adapter reads from sessionStorage at cart::before.add.item.
    s.adding = { position: 3, source: 'latest', request_id: 'req-42' };
    s.addSource = 'latest'; // salla-add-product-button passes the list's source to addItem
    const [e] = run(s, 'Product Added', args('Product Added', 0));
    expect(e?.properties).toMatchObject({
      product_id: '101',
      position: 3,
      source: 'latest',
      request_id: 'req-42',
    });
    // Reached from a list, added on the product page: the list of the page's arrival.
    const t = state({
      pageSlug: 'product.single',
      landing: { position: 5, source: 'categories', request_id: 'req-7' },
    });
    const [f] = run(t, 'Product Added', args('Product Added', 0));
    expect(f?.properties).toMatchObject({ position: 5, source: 'categories', request_id: 'req-7' });
    // On that page Salla's engine removed the position and source but left the request id: the add
    // reads only the leftover id, and the page's arrival still applies.
    const u = state({
      pageSlug: 'product.single',
      landing: { position: 5, source: 'categories', request_id: 'req-7' },
    });
    u.adding = { request_id: 'req-7' };
    const [h] = run(u, 'Product Added', args('Product Added', 0));
    expect(h?.properties).toMatchObject({ position: 5, source: 'categories', request_id: 'req-7' });
    // A card's attribution is its own add's: a later add on the page without one does not inherit it.
    const v = state({ pageSlug: 'index' });
    v.adding = { position: 3, source: 'latest', request_id: 'req-42' };
    run(v, 'Product Added', args('Product Added', 0));
    const [k] = run(v, 'Product Added', args('Product Added', 1));
    expect(k?.properties).toMatchObject({ position: undefined, request_id: undefined });
    // Neither: no attribution.
    const [g] = run(state(), 'Product Added', args('Product Added', 0));
    expect(g?.properties).toMatchObject({ position: undefined, request_id: undefined });
  });

  it('a component hook for an add already reported (source unknown) is not a second add', () => {
    const s = state({ pageSlug: 'product.single' });
    expect(run(s, 'Product Added', fbt('Product Added', 4)).map((e) => e.name)).toEqual(['Product Added']);
    expect(
      run(s, 'salla-bought-together::product.added', fbt('salla-bought-together::product.added', 2)),
    ).toEqual([]);
  });

  it('carries the add source a theme passed to cart.addItem', () => {
    const [e] = run(state({ addSource: 'quick_view' }), 'Product Added', args('Product Added', 0));
    expect(e?.properties).toMatchObject({ product_id: '101', source: 'quick_view' });
  });

  it('repairs hostile server items: no NaN quantity, string ids, finite money', () => {
    const [e] = run(state(), 'Product Added', [[{ id: 7, quantity: 'abc', price: '12.50', cart_id: 1 }]]);
    expect(e).toEqual({
      name: 'Product Added',
      properties: { product_id: '7', price: 12.5, currency: 'SAR', cart_id: '1' },
    });
  });
});

describe("a product's fields in cart and order hooks", () => {
  const getter = (o: object, k: string, get: () => unknown) =>
    Object.defineProperty(o, k, { enumerable: true, get });
  const boom = () => {
    throw new Error('getter');
  };

  it('are read once each', () => {
    let reads = 0;
    const item = getter({ id: 7, price: 10 }, 'name', () => (reads++, 'Shirt'));
    const [e] = run(state(), 'Product Added', [[item]]);
    expect(e?.properties).toMatchObject({ product_id: '7', name: 'Shirt', price: 10 });
    expect(reads).toBe(1);
  });

  it('a throwing getter costs its field only: the add is reported, and so is an order with such a product', () => {
    const s = state();
    const [e] = run(s, 'Product Added', [[getter({ id: 8, name: 'Mug', sku: 'M-1' }, 'price', boom)]]);
    expect(e?.properties).toEqual({ product_id: '8', name: 'Mug', sku: 'M-1', currency: 'SAR' });
    // An unread field that throws changes nothing.
    const [f] = run(s, 'Product Added', [[getter({ id: 9, price: 3 }, 'description', boom)]]);
    expect(f?.properties).toEqual({ product_id: '9', price: 3, currency: 'SAR' });
    const [o] = run(s, 'Order Completed', [
      [{ order_id: 'O-1', total: 13, products: [{ id: 1, price: 10 }, getter({ id: 2 }, 'price', boom)] }],
    ]);
    expect(o?.properties).toMatchObject({
      order_id: 'O-1',
      products: [
        { product_id: '1', price: 10 },
        { product_id: '2', currency: 'SAR' },
      ],
    });
    expect(s.log).not.toHaveBeenCalled();
  });
});

describe('cart: Cart Updated signature', () => {
  it('an update that changes a line but not the totals is still an update', () => {
    const s = state();
    const c = args('cart::updated', 2)[0] as { items: Array<{ id: number; quantity: number }> };
    run(s, 'cart::updated', [c]);
    const swapped = structuredClone(c);
    swapped.items[0]!.id = 900099; // same totals and count, another line
    expect(run(s, 'cart::updated', [swapped]).map((e) => e.name)).toEqual(['Cart Updated']);
  });
});

describe('the same action reported twice (server event, then hook)', () => {
  it('a removal and an add without a product id are two actions, not one reported twice', () => {
    const s = state();
    // A server Product Removed whose item has no id (a damaged payload): reported.
    expect(run(s, 'Product Removed', [[{ name: 'Mug' }]]).map((e) => e.name)).toEqual(['Product Removed']);
    // Within 3 s, an add whose response names no line or product: another action, reported too.
    s.t.now += 1000;
    const added = run(s, 'cart::item.added', [{ data: { cart: { id: 'c1', items: [] } } }, undefined]);
    expect(added.map((e) => e.name)).toEqual(['Product Added']);
  });
});

describe('a server Product Added with the list it was reached from', () => {
  it('sends source, position and request_id in that order, also for an item that is not an object', () => {
    const s = state({ landing: { position: 3, source: 'list', request_id: 'r1' } });
    const [e] = run(s, 'Product Added', [['x']]);
    expect(JSON.stringify(e?.properties)).toBe('{"source":"list","position":3,"request_id":"r1"}');
  });
});
