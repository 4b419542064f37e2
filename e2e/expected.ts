/**
 * The demo's standard add, as the specs expect it to the letter: `salla.cart.addItem({ id: 101,
 * quantity: 2 })` into an empty cart on the demo storefront, and the Product Added and Cart Updated
 * events that one action must produce. One place for these exact values; each spec still asserts with
 * its own `toEqual`, as strictly as before.
 *
 *   import { productAdded101, cartUpdatedAfterAdd } from './expected';
 *   expect(e.properties).toEqual(productAdded101(server.origin, cartId));
 *
 * Each function returns a new object (a spec may spread or extend it).
 */
import fs from 'node:fs';
import type { Page } from '@playwright/test';
import { expect } from './fixtures';

/**
 * The real SDK call against the demo's store API, by default the standard add (product 101, 2
 * units); resolves with the cart id.
 */
export const addItem = (page: Page, id = 101, quantity = 2): Promise<string> =>
  page.evaluate(
    ([id, quantity]) =>
      (
        window as unknown as {
          salla: { cart: { addItem(p: object): Promise<{ data: { cart: { id: number } } }> } };
        }
      ).salla.cart
        .addItem({ id, quantity })
        .then((r) => String(r.data.cart.id)),
    [id, quantity] as const,
  );

/** The package's version: what `context.library.version` and the tracker's `version` must say. */
export const { version } = JSON.parse(
  fs.readFileSync(new URL('../package.json', import.meta.url), 'utf8'),
) as { version: string };

/** A v4 UUID (anonymousId, messageId, session_id). */
export const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;
/** An ISO timestamp with milliseconds, in UTC (timestamp, sentAt). */
export const ISO = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/;

/** The demo home page's page properties (and `context.page`), loaded as `/?${q}`. */
export function homePage(origin: string, q: string) {
  return {
    url: `${origin}/?${q}`,
    path: '/',
    search: `?${q}`,
    title: 'Home · Twilight Demo Store',
    slug: 'index',
  };
}

/**
 * What every event of a visit to `page` carries besides its type, name and properties, with the
 * shopper's consent granted (no cookie bar): the context, and the ids and timestamp by their format.
 */
export function envelope(page: object, nav: { lang: string; ua: string }) {
  return {
    context: {
      library: { name: 'twilight-tracker', version },
      page,
      locale: nav.lang,
      userAgent: nav.ua,
      store: { id: '1001', currency: 'SAR' },
      session_id: expect.stringMatching(UUID),
      consent: { categoryPreferences: { analytics: true } },
      consent_state: 'granted',
    },
    anonymousId: expect.stringMatching(UUID),
    messageId: expect.stringMatching(UUID),
    timestamp: expect.stringMatching(ISO),
  };
}

/** Product 101 as the demo's catalog has it, 2 of them: the facts that do not depend on the server's origin. */
export function product101x2() {
  return {
    product_id: '101',
    sku: 'COF-ETH-250',
    name: 'Ethiopian Yirgacheffe Beans',
    price: 68,
    quantity: 2,
    currency: 'SAR',
  };
}

/** The cart after the add, in figures: 2 × 68 SAR, 15 SAR shipping, 15% VAT included. */
export function cartTotalsAfterAdd() {
  return {
    value: 151,
    revenue: 136,
    tax: 17.74,
    discount: 0,
    shipping: 15,
    currency: 'SAR',
    quantity: 2,
  };
}

/** The cart's line for product 101 × 2 (Cart Updated's `products[0]`): no category or brand. */
export function cartLine101(origin: string) {
  return {
    cart_item_id: expect.stringMatching(/^\d+$/),
    ...product101x2(),
    url: `${origin}/p/101`,
    image_url: `${origin}/assets/img/amber.svg`,
  };
}

/** Product Added's exact properties for the add, into the cart `cartId`. */
export function productAdded101(origin: string, cartId: string) {
  return {
    cart_id: cartId,
    ...cartLine101(origin),
    category: 'Coffee',
    brand: 'Najd Roasters',
  };
}

/**
 * The same action's cart::updated hook: Cart Updated's exact properties, the cart after the add
 * (2 × 68 SAR, 15 SAR shipping, 15% VAT included).
 */
export function cartUpdatedAfterAdd(origin: string, cartId: string) {
  return {
    cart_id: cartId,
    ...cartTotalsAfterAdd(),
    products: [cartLine101(origin)],
  };
}

/**
 * The exact events of the standard visit to `/?${q}`, consent granted: the home page's page event,
 * then the add's Product Added and, from the same action's cart::updated hook, Cart Updated.
 */
export function standardVisit(origin: string, q: string, nav: { lang: string; ua: string }, cartId: string) {
  const pageProps = homePage(origin, q);
  const common = envelope(pageProps, nav);
  return {
    pageEvent: { type: 'page', name: 'index', properties: pageProps, ...common },
    productAdded: {
      type: 'track',
      event: 'Product Added',
      properties: productAdded101(origin, cartId),
      ...common,
    },
    cartUpdated: {
      type: 'track',
      event: 'Cart Updated',
      properties: cartUpdatedAfterAdd(origin, cartId),
      ...common,
    },
  };
}
