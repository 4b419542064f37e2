/**
 * The twilight-tracker event schema: one union of event names and, per event, a typed
 * properties interface. Field names follow Salla's Device Mode events (Segment Ecommerce v2,
 * snake_case). All ids and skus are strings, money is a finite number, quantities are positive
 * integers and `currency` is an ISO 4217 code.
 *
 * @packageDocumentation
 */

/** A JSON value as it travels on the wire. */
export type Json = string | number | boolean | null | Json[] | { [key: string]: Json };

/** A product as it appears in every product-bearing event (Segment Ecommerce v2 product object). */
export interface Product {
  /** Salla product id (always a string). */
  product_id?: string;
  /** Stock keeping unit; may equal `product_id`. */
  sku?: string;
  /** Category name. */
  category?: string;
  /** Product name. */
  name?: string;
  /** Brand name. */
  brand?: string;
  /** Variant (selected options), e.g. "Red / XL". */
  variant?: string;
  /** Unit price, a finite number in `currency`. */
  price?: number;
  /** Quantity, a positive integer. */
  quantity?: number;
  /** Coupon code applied to the product. */
  coupon?: string;
  /** 1-based position in a list. */
  position?: number;
  /** Product page URL. */
  url?: string;
  /** Main image URL. */
  image_url?: string;
  /** ISO 4217 currency code, e.g. "SAR". */
  currency?: string;
}

/** A product inside a cart (has the cart line id). */
export interface CartProduct extends Product {
  /** The cart line (item) id. */
  cart_item_id?: string;
}

/** A `{type, value}` pair used by list filters and sorts. */
export interface ListFacet {
  type: string;
  value: string;
}

/**
 * Where a product was reached from, as Salla's list, slider and search components record it (the
 * position in the list is the product's `position`).
 */
export interface ListAttribution {
  /** The list's kind (`latest`, `categories`, `search`, `pdp_fbt`, `basket_gap`…). */
  source?: string;
  /** The id of the request that listed the product. */
  request_id?: string;
}

export interface ProductAdded extends CartProduct, ListAttribution {
  cart_id?: string;
}
export interface ProductRemoved extends CartProduct {
  cart_id?: string;
}
export interface CartViewed {
  cart_id?: string;
  currency?: string;
  /** Cart total. */
  value?: number;
  products: CartProduct[];
}
export interface CartUpdated {
  cart_id?: string;
  /** Grand total. */
  value?: number;
  /** Sub total before discount, tax and shipping. */
  revenue?: number;
  tax?: number;
  discount?: number;
  shipping?: number;
  currency?: string;
  /** Number of units in the cart. */
  quantity?: number;
  /** Coupon code applied to the cart. */
  coupon?: string;
  products: CartProduct[];
}
export interface OrderCompleted {
  order_id: string;
  checkout_id?: string;
  affiliation?: string;
  total?: number;
  subtotal?: number;
  revenue?: number;
  shipping?: number;
  tax?: number;
  discount?: number;
  coupon?: string;
  currency?: string;
  products: Product[];
}
/** A past order (or one product of it, `product_id`) put back in a cart. */
export interface ProductReordered {
  order_id?: string;
  product_id?: string;
  cart_id?: string;
}
/** Product Added on the wishlist page (reported instead of Product Added). */
export interface WishlistProductAddedToCart extends CartProduct {
  wishlist_id?: string;
  wishlist_name?: string;
  cart_id?: string;
}
export interface ProductViewed extends Product, ListAttribution {
  /** Price × quantity. */
  value?: number;
}
export interface ProductListViewed {
  /** Page slug, page id, list source and source values joined by `_` (e.g. `product.index_12_categories_12`). */
  list_id?: string;
  category?: string;
  /** The sort applied (`[{type: 'sort', value}]`). */
  sorts?: ListFacet[];
  products: Product[];
}
/** The products a widget recommends with this one (the frequently-bought-together list). */
export interface RecommendationListViewed {
  /** `fbt`: frequently bought together. */
  recommendation_type?: string;
  /** `pdp_fbt`: the product page's widget. */
  source?: string;
  /** In the widget's order, `position` from 1. */
  products: Product[];
}
export interface ProductListFiltered extends ProductListViewed {
  /** The filters applied (`[{type: <filter key>, value}]`). */
  filters: ListFacet[];
}
export interface ProductsSearched {
  query: string;
  /** Number of results, when known. */
  total_results?: number;
  products?: Product[];
}
export interface ProductClicked extends Product {
  list_id?: string;
  source?: string;
}
/** A copy of the page's Product Viewed (its list attribution included) and how it was shared. */
export interface ProductShared extends Product, ListAttribution {
  share_via?: string;
  share_message?: string;
  recipient?: string;
}
export interface ProductReviewed {
  product_id: string;
  /** The order the review was written for. */
  order_id?: string;
  review_body?: string;
  /** 1–5. */
  rating?: number;
}
export interface WishlistEvent extends Product {
  wishlist_id?: string;
  wishlist_name?: string;
}
/**
 * Identity fields of account events. Under the default privacy policy (`pii: 'hash'`) the
 * clear fields are replaced by `*_sha256` hex digests of the normalized value.
 */
export interface AccountTraits {
  /** `user` or `guest` etc., as the SDK reports it. */
  type?: string;
  email?: string;
  /** E.164, e.g. "+966501234567". */
  phone?: string;
  first_name?: string;
  last_name?: string;
  email_sha256?: string;
  phone_sha256?: string;
  first_name_sha256?: string;
  last_name_sha256?: string;
  /** Sign-in / sign-up method, e.g. `mobile` or `email`. */
  method?: string;
}
export type SignedIn = AccountTraits;
export type SignedUp = AccountTraits;
export type SignedOut = Record<string, never>;
export interface UserProfileUpdated {
  /** Names (never values) of the fields that changed. */
  updated_fields: string[];
}
export interface PromotionEvent {
  promotion_id?: string;
  creative?: string;
  name?: string;
  position?: string;
}
export interface CouponApplied {
  cart_id?: string;
  /** The code the shopper entered (Salla's Device Mode name, and Segment's). */
  coupon_name?: string;
  /** The same code. */
  coupon_code?: string;
  /** The cart's total discount (Applied) or the discount the removal took away (Removed). */
  discount?: number;
  currency?: string;
}
export type CouponRemoved = CouponApplied;
export interface CouponDenied {
  cart_id?: string;
  /** The code the shopper entered (Salla's Device Mode name, and Segment's). */
  coupon_name?: string;
  /** The same code. */
  coupon_code?: string;
  /** The store's message, e.g. "The coupon is invalid or expired". */
  reason?: string;
}
/** The shopper switched market (scope): country, currency and language of the new one. */
export interface MarketSelected {
  id?: string;
  name?: string;
  /** Country code. */
  country?: string;
  currency?: string;
  /** Language code. */
  locale?: string;
}
/** A Core Web Vitals measurement of the current page (from the `web-vitals` library). */
export interface WebVitalMeasured {
  metric: 'LCP' | 'INP' | 'CLS' | 'FCP' | 'TTFB';
  value: number;
  delta: number;
  rating?: string;
  id?: string;
  navigation_type?: string;
}

/** Properties of each catalog event, keyed by event name. */
export interface EventProperties {
  'Product Added': ProductAdded;
  'Product Removed': ProductRemoved;
  'Cart Viewed': CartViewed;
  'Cart Updated': CartUpdated;
  'Order Completed': OrderCompleted;
  'Product Reordered': ProductReordered;
  'Wishlist Product Added to Cart': WishlistProductAddedToCart;
  'Product Viewed': ProductViewed;
  'Product List Viewed': ProductListViewed;
  'Product List Filtered': ProductListFiltered;
  'Recommendation List Viewed': RecommendationListViewed;
  'Products Searched': ProductsSearched;
  'Product Clicked': ProductClicked;
  'Product Shared': ProductShared;
  'Product Reviewed': ProductReviewed;
  'Product Added to Wishlist': WishlistEvent;
  'Product Removed from Wishlist': WishlistEvent;
  'Signed In': SignedIn;
  'Signed Up': SignedUp;
  'Signed Out': SignedOut;
  'User Profile Updated': UserProfileUpdated;
  'Promotion Viewed': PromotionEvent;
  'Promotion Clicked': PromotionEvent;
  'Coupon Applied': CouponApplied;
  'Coupon Removed': CouponRemoved;
  'Coupon Denied': CouponDenied;
  'Market Selected': MarketSelected;
  'Web Vital Measured': WebVitalMeasured;
}

/** Every event name twilight-tracker produces from the SDK. */
export type EventName = keyof EventProperties;

/** Properties of a custom event sent with `tracker.track(name, properties)`. */
export type CustomProperties = Record<string, Json | undefined>;

/** Page properties (the `page` event and `context.page`). */
export interface PageProperties {
  /** Salla page slug, e.g. `product.single`, `cart`. */
  slug?: string;
  /** Salla page id (e.g. product id on a product page). */
  page_id?: string;
  title?: string;
  url?: string;
  path?: string;
  referrer?: string;
  search?: string;
  [key: string]: Json | undefined;
}

/** UTM campaign, from the URL or the SDK's stored UTM values. */
export interface Campaign {
  name?: string;
  source?: string;
  medium?: string;
  term?: string;
  content?: string;
}

/** Enrichment shared by every event. */
export interface EventContext {
  library: { name: 'twilight-tracker'; version: string };
  store?: { id?: string; currency?: string };
  locale?: string;
  page: PageProperties;
  campaign?: Campaign;
  /** Sliding 30-minute session id (only with consent granted). */
  session_id?: string;
  userAgent?: string;
  /**
   * The shopper's choice, in Segment's reserved shape: `{ categoryPreferences: { analytics: true } }`
   * (granted) or `false` (denied); absent while no choice is made (pending).
   */
  consent?: ConsentPreferences;
  /** The consent state the event was sent under. */
  consent_state: ConsentState;
}

/** Fields every event on the wire carries. */
export interface EventBase {
  /** Unique per event; deterministic for Order Completed (derived from the order id). */
  messageId: string;
  /** ISO-8601 time the event happened. */
  timestamp: string;
  /**
   * Anonymous id: with consent granted, the first-party id stored on the device; while pending or
   * denied, a random id of this page view only (never stored, never reused).
   */
  anonymousId: string;
  /** Salla customer id when a shopper is signed in (only with consent granted). */
  userId?: string;
  context: EventContext;
}

/** A catalog `track` event, narrowed by name. */
export type TrackEvent<N extends EventName = EventName> = N extends EventName
  ? EventBase & { type: 'track'; event: N; properties: EventProperties[N] }
  : never;

/** A custom `track` event from `tracker.track(name, properties)` with a non-catalog name. */
export interface CustomTrackEvent extends EventBase {
  type: 'track';
  event: string;
  properties: CustomProperties;
}

/** A `page` event (sent when the SDK is ready and on `tracker.page()`). */
export interface PageEvent extends EventBase {
  type: 'page';
  name?: string;
  properties: PageProperties;
}

/** Anything that reaches a destination. */
export type TrackerEvent = TrackEvent | CustomTrackEvent | PageEvent;

/**
 * Consent states: `pending` (no choice yet) and `denied` send events with a page-scoped id and store
 * nothing; `granted` stores and sends the first-party ids.
 */
export type ConsentState = 'pending' | 'granted' | 'denied';

/** `context.consent`: Segment's consent object, the analytics category the shopper chose. */
export interface ConsentPreferences {
  categoryPreferences: { analytics: boolean };
}

/**
 * Narrows an event to one catalog event, so its properties are typed:
 * `if (isEvent(e, 'Coupon Applied')) e.properties.coupon_code`.
 */
export function isEvent<N extends EventName>(e: TrackerEvent, name: N): e is TrackEvent<N> {
  return e.type === 'track' && e.event === name;
}
