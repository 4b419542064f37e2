// Fake catalogue for the demo storefront: a handful of products plus the
// helpers that turn one into the shapes the Twilight SDK and Salla's backend use.

export const STORE = Object.freeze({
  id: 1001,
  name: 'Twilight Demo Store',
  currency: 'SAR',
});

export const CATEGORIES = Object.freeze({
  11: 'Coffee',
  12: 'Tea',
  13: 'Accessories',
});

/** @type {ReadonlyArray<{id:number, sku:string, name:string, price:number, sale_price:number, category_id:number, brand:string, stock:number, color:string, description:string}>} */
export const PRODUCTS = Object.freeze([
  {
    id: 101,
    sku: 'COF-ETH-250',
    name: 'Ethiopian Yirgacheffe Beans',
    price: 68,
    sale_price: 0,
    category_id: 11,
    brand: 'Najd Roasters',
    stock: 40,
    color: 'amber',
    description: 'Floral, citrus, 250 g whole beans.',
  },
  {
    id: 102,
    sku: 'COF-COL-500',
    name: 'Colombian Supremo Beans',
    price: 95,
    sale_price: 85,
    category_id: 11,
    brand: 'Najd Roasters',
    stock: 25,
    color: 'brown',
    description: 'Chocolate and caramel, 500 g.',
  },
  {
    id: 103,
    sku: 'TEA-GRN-100',
    name: 'Sencha Green Tea',
    price: 42,
    sale_price: 0,
    category_id: 12,
    brand: 'Leaf & Co',
    stock: 60,
    color: 'green',
    description: 'Japanese steamed green tea, 100 g.',
  },
  {
    id: 104,
    sku: 'TEA-KRK-200',
    name: 'Karak Chai Blend',
    price: 35,
    sale_price: 0,
    category_id: 12,
    brand: 'Leaf & Co',
    stock: 80,
    color: 'rose',
    description: 'Black tea with cardamom and saffron.',
  },
  {
    id: 105,
    sku: 'ACC-DRP-V60',
    name: 'Ceramic Pour-over Dripper',
    price: 120,
    sale_price: 99,
    category_id: 13,
    brand: 'Brewlab',
    stock: 15,
    color: 'slate',
    description: 'Size 02 ceramic dripper.',
  },
  {
    id: 106,
    sku: 'ACC-KTL-GSN',
    name: 'Gooseneck Kettle 1L',
    price: 240,
    sale_price: 0,
    category_id: 13,
    brand: 'Brewlab',
    stock: 8,
    color: 'steel',
    description: 'Stainless steel, precise pour.',
  },
]);

export function findProduct(id) {
  return PRODUCTS.find((p) => p.id === Number(id)) || null;
}

/** Price the shopper pays for one unit (the sale price when there is one). */
export function unitPrice(p) {
  return p.sale_price > 0 ? p.sale_price : p.price;
}

export function productPath(p) {
  return `/p/${p.id}`;
}

export function imagePath(p) {
  return `/assets/img/${p.color}.svg`;
}

export function searchProducts(query) {
  const q = String(query || '')
    .trim()
    .toLowerCase();
  if (!q) return [];
  return PRODUCTS.filter((p) =>
    [p.name, p.sku, p.brand, CATEGORIES[p.category_id], p.description].some((s) =>
      s.toLowerCase().includes(q),
    ),
  );
}

/** Product in the SDK's `Product` shape (types/common.d.ts), as the store API returns it. */
export function toApiProduct(p, origin) {
  const price = unitPrice(p);
  return {
    id: p.id,
    name: p.name,
    sku: p.sku,
    url: origin + productPath(p),
    type: 'product',
    status: 'sale',
    description: p.description,
    quantity: p.stock,
    max_quantity: p.stock,
    price,
    regular_price: p.price,
    sale_price: p.sale_price || price,
    starting_price: null,
    is_on_sale: p.sale_price > 0,
    currency: STORE.currency,
    image: { url: origin + imagePath(p), alt: p.name },
    images: [{ url: origin + imagePath(p), alt: p.name, type: 'image' }],
    brand: { id: p.id * 10, name: p.brand },
    category: { id: p.category_id, name: CATEGORIES[p.category_id] },
    rating: { count: 3, stars: 4 },
    is_available: p.stock > 0,
    is_out_of_stock: p.stock <= 0,
    is_require_shipping: true,
    has_options: false,
    options: [],
  };
}

/**
 * The item Salla's backend puts first in a server-sent ecommerce event payload
 * (`Product Viewed`, `Product Added`, `Product Removed`, `Cart Viewed` products):
 * the fields @salla.sa/analytics transformers read (`id`, name, price, quantity, sku,
 * category, brand, variant, currency, url, image_url, value) plus `product_id`.
 */
export function toEventItem(p, origin, extra = {}) {
  const price = unitPrice(p);
  const quantity = extra.quantity ?? 1;
  return {
    id: p.id,
    product_id: p.id,
    name: p.name,
    price,
    quantity,
    sku: p.sku,
    category: CATEGORIES[p.category_id],
    brand: p.brand,
    variant: null,
    currency: STORE.currency,
    value: Math.round(price * quantity * 100) / 100,
    url: origin + productPath(p),
    image_url: origin + imagePath(p),
    ...extra,
  };
}
