/**
 * The wire schema as data, for `validateEvent`: per catalog event, the kind of each property and
 * whether it is required, written from the interfaces and doc comments of `schema.ts`.
 *
 * It is deliberately independent of the tracker's own readers and repair (`src/event`,
 * `src/normalize`, `src/lib/read`): the validator states what the schema promises, so an event the
 * tracker builds or repairs wrongly is reported instead of being checked against the same mistake.
 * Only types are imported from `schema.ts`; the `satisfies` clauses below make `tsc` fail when an
 * event or a property is added to (or removed from) `schema.ts` without its entry here, when a
 * property's required-ness differs, or when its kind does not fit its TypeScript type.
 */
import type {
  AccountTraits,
  CartProduct,
  CouponApplied,
  EventName,
  EventProperties,
  ListFacet,
  Product,
  ProductListViewed,
  PromotionEvent,
  WishlistEvent,
} from './schema';

/**
 * What a property holds:
 * - `id`: a non-empty string (ids and skus are strings)
 * - `string`: a string
 * - `number`: a finite number (money, web-vital values)
 * - `positive`: a positive integer (quantities, 1-based positions)
 * - `count`: an integer ≥ 0 (results, units in a cart)
 * - `rating`: a number from 1 to 5
 * - `currency`: an ISO 4217 code (three upper-case letters)
 * - `sha256`: a SHA-256 hex digest (64 lower-case hex digits)
 * - `metric`: one of LCP, INP, CLS, FCP, TTFB
 * - `products` / `cartProducts`: an array of objects, each checked as a `Product` / `CartProduct`
 * - `objects`: an array of objects, each checked by property name only (`products` of custom events)
 * - `facets`: an array of `{type, value}` objects whose `type` and `value` are strings
 * - `strings`: an array of strings
 */
export type Kind =
  | 'id'
  | 'string'
  | 'number'
  | 'positive'
  | 'count'
  | 'rating'
  | 'currency'
  | 'sha256'
  | 'metric'
  | 'products'
  | 'cartProducts'
  | 'objects'
  | 'facets'
  | 'strings';

/** A property's kind, with `!` when the property is required. */
export type Spec = Kind | `${Kind}!`;

/** The properties of one event (or of one product): name → spec. */
export type Fields = Readonly<Record<string, Spec>>;

// Type-level transcription checks: the kinds a TypeScript property type admits.
type StringKind = 'id' | 'string' | 'currency' | 'sha256';
type NumberKind = 'number' | 'positive' | 'count' | 'rating';
type ListKind<I> = [I] extends [ListFacet]
  ? 'facets'
  : [I] extends [string]
    ? 'strings'
    : 'cart_item_id' extends keyof I
      ? 'cartProducts'
      : 'products';
type KindOf<V> = V extends readonly (infer I)[]
  ? ListKind<I>
  : [V] extends [number]
    ? NumberKind
    : [V] extends [string]
      ? string extends V
        ? StringKind
        : 'metric' // a union of string literals: the web-vital names
      : never;
/** Required (`!`) exactly when the interface's property is not optional. */
type SpecOf<T, K extends keyof T> =
  Partial<Pick<T, K>> extends Pick<T, K>
    ? KindOf<Exclude<T[K], undefined>>
    : `${KindOf<Exclude<T[K], undefined>>}!`;
/** Exactly the properties of `T`, each with a kind its type admits (`Signed Out`'s `Record<string, never>`: none). */
type TableOf<T> = string extends keyof T ? Record<string, never> : { [K in keyof T]-?: SpecOf<T, K> };

/** A product (`P` in the README's catalog). */
export const PRODUCT = {
  product_id: 'id',
  sku: 'id',
  category: 'string',
  name: 'string',
  brand: 'string',
  variant: 'string',
  price: 'number',
  quantity: 'positive',
  coupon: 'string',
  position: 'positive',
  url: 'string',
  image_url: 'string',
  currency: 'currency',
} as const satisfies TableOf<Product>;

/** A product inside a cart. */
export const CART_PRODUCT = { ...PRODUCT, cart_item_id: 'id' } as const satisfies TableOf<CartProduct>;

const ACCOUNT = {
  type: 'string',
  email: 'string',
  phone: 'string',
  first_name: 'string',
  last_name: 'string',
  email_sha256: 'sha256',
  phone_sha256: 'sha256',
  first_name_sha256: 'sha256',
  last_name_sha256: 'sha256',
  method: 'string',
} as const satisfies TableOf<AccountTraits>;
/** A promotion's `position` is a slot name: a string. */
const PROMOTION = {
  promotion_id: 'id',
  creative: 'string',
  name: 'string',
  position: 'string',
} as const satisfies TableOf<PromotionEvent>;
const COUPON = {
  cart_id: 'id',
  coupon_name: 'string',
  coupon_code: 'string',
  discount: 'number',
  currency: 'currency',
} as const satisfies TableOf<CouponApplied>;
const WISHLIST = {
  ...PRODUCT,
  wishlist_id: 'id',
  wishlist_name: 'string',
} as const satisfies TableOf<WishlistEvent>;
const LIST = {
  list_id: 'id',
  category: 'string',
  sorts: 'facets',
  products: 'products!',
} as const satisfies TableOf<ProductListViewed>;

/** Every catalog event of `schema.ts` (`EventProperties`) and its properties. */
export const EVENTS = {
  'Product Added': { ...CART_PRODUCT, cart_id: 'id', source: 'string', request_id: 'id' },
  'Product Removed': { ...CART_PRODUCT, cart_id: 'id' },
  'Cart Viewed': { cart_id: 'id', currency: 'currency', value: 'number', products: 'cartProducts!' },
  'Cart Updated': {
    cart_id: 'id',
    value: 'number',
    revenue: 'number',
    tax: 'number',
    discount: 'number',
    shipping: 'number',
    currency: 'currency',
    quantity: 'count', // units in the cart: an empty cart has 0
    coupon: 'string',
    products: 'cartProducts!',
  },
  'Order Completed': {
    order_id: 'id!',
    checkout_id: 'id',
    affiliation: 'string',
    total: 'number',
    subtotal: 'number',
    revenue: 'number',
    shipping: 'number',
    tax: 'number',
    discount: 'number',
    coupon: 'string',
    currency: 'currency',
    products: 'products!',
  },
  'Product Reordered': { order_id: 'id', product_id: 'id', cart_id: 'id' },
  'Wishlist Product Added to Cart': {
    ...CART_PRODUCT,
    wishlist_id: 'id',
    wishlist_name: 'string',
    cart_id: 'id',
  },
  'Product Viewed': { ...PRODUCT, value: 'number', source: 'string', request_id: 'id' },
  'Product List Viewed': LIST,
  'Product List Filtered': { ...LIST, filters: 'facets!' },
  'Recommendation List Viewed': { recommendation_type: 'string', source: 'string', products: 'products!' },
  'Products Searched': { query: 'string!', total_results: 'count', products: 'products' },
  'Product Clicked': { ...PRODUCT, list_id: 'id', source: 'string' },
  'Product Shared': {
    ...PRODUCT,
    share_via: 'string',
    share_message: 'string',
    recipient: 'string',
    source: 'string',
    request_id: 'id',
  },
  'Product Reviewed': { product_id: 'id!', order_id: 'id', review_body: 'string', rating: 'rating' },
  'Product Added to Wishlist': WISHLIST,
  'Product Removed from Wishlist': WISHLIST,
  'Signed In': ACCOUNT,
  'Signed Up': ACCOUNT,
  'Signed Out': {},
  'User Profile Updated': { updated_fields: 'strings!' },
  'Promotion Viewed': PROMOTION,
  'Promotion Clicked': PROMOTION,
  'Coupon Applied': COUPON,
  'Coupon Removed': COUPON,
  'Coupon Denied': { cart_id: 'id', coupon_name: 'string', coupon_code: 'string', reason: 'string' },
  'Market Selected': { id: 'id', name: 'string', country: 'string', currency: 'currency', locale: 'string' },
  'Web Vital Measured': {
    metric: 'metric!',
    value: 'number!',
    delta: 'number!',
    rating: 'string', // web-vitals' good / needs-improvement / poor, not a 1-5 rating
    id: 'id',
    navigation_type: 'string',
  },
} as const satisfies { [N in EventName]: TableOf<EventProperties[N]> };

/** The kind of a spec. */
export const kindOf = (s: Spec): Kind => s.replace('!', '') as Kind;
/** Is the property of this spec required? */
export const isRequired = (s: Spec): boolean => s.charAt(s.length - 1) === '!';

/** The catalog table of event `name`, undefined for a custom event. */
export const eventFields = (name: string): Fields | undefined =>
  Object.prototype.hasOwnProperty.call(EVENTS, name) ? EVENTS[name as EventName] : undefined;

/** The item table of each list kind (`objects`: none, by name only). */
export const ITEMS: Partial<Record<Kind, Fields>> = { products: PRODUCT, cartProducts: CART_PRODUCT };

const MONEY = /^(price|value|total|subtotal|revenue|tax|discount|shipping|delta)$/;

/**
 * The kind a property has by its name alone (Segment's reserved property names): for custom events,
 * for the products of custom events, and for properties a catalog event's table does not list.
 */
export function kindByName(k: string): Kind | undefined {
  return k === 'quantity' || k === 'position'
    ? 'positive'
    : k === 'total_results'
      ? 'count'
      : k === 'currency'
        ? 'currency'
        : k === 'products'
          ? 'objects'
          : MONEY.test(k)
            ? 'number'
            : /_id$/.test(k) || k === 'sku'
              ? 'id'
              : /_sha256$/.test(k)
                ? 'sha256'
                : undefined;
}

/** How each kind is described in a problem (`… must be <WHAT>, got …`). */
export const WHAT: Record<Kind, string> = {
  id: 'a non-empty string',
  string: 'a string',
  number: 'a finite number',
  positive: 'a positive integer',
  count: 'a non-negative integer',
  rating: 'a number from 1 to 5',
  currency: 'an ISO 4217 code',
  sha256: 'a SHA-256 hex digest',
  metric: 'one of LCP, INP, CLS, FCP, TTFB',
  products: 'an array of objects',
  cartProducts: 'an array of objects',
  objects: 'an array of objects',
  facets: 'an array of {type, value} strings',
  strings: 'an array of strings',
};

const METRICS = ['LCP', 'INP', 'CLS', 'FCP', 'TTFB'];
const isNum = (v: unknown): v is number => typeof v === 'number' && isFinite(v);
const isInt = (v: unknown): v is number => isNum(v) && v % 1 === 0;
const isRec = (v: unknown): v is Record<string, unknown> =>
  v !== null && typeof v === 'object' && !Array.isArray(v);
const all = (v: unknown, f: (x: unknown) => boolean) => Array.isArray(v) && v.every(f);

/** Does `v` have kind `t`? (The items of a product list are checked one by one by the caller.) */
export function isKind(t: Kind, v: unknown): boolean {
  switch (t) {
    case 'id':
      return typeof v === 'string' && v !== '';
    case 'string':
      return typeof v === 'string';
    case 'number':
      return isNum(v);
    case 'positive':
      return isInt(v) && v >= 1;
    case 'count':
      return isInt(v) && v >= 0;
    case 'rating':
      return isNum(v) && v >= 1 && v <= 5;
    case 'currency':
      return typeof v === 'string' && /^[A-Z]{3}$/.test(v);
    case 'sha256':
      return typeof v === 'string' && /^[0-9a-f]{64}$/.test(v);
    case 'metric':
      return METRICS.indexOf(v as string) >= 0;
    case 'products':
    case 'cartProducts':
    case 'objects':
      return all(v, isRec);
    case 'facets':
      return all(v, (x) => isRec(x) && typeof x.type === 'string' && typeof x.value === 'string');
    case 'strings':
      return all(v, (x) => typeof x === 'string');
  }
}
