/**
 * Issue 3: the event catalog on the real Twilight SDK. A shopping journey driven through the SDK's
 * public methods (salla.cart.*, salla.wishlist.*, salla.auth.*, salla.profile.*, salla.product.*)
 * on the demo storefront, against its local store API; asserts the exact ordered list of events the
 * collector received and their key properties: one event per action, none from the Segment-named
 * hooks Salla's own engine re-emits.
 */
import type { Page } from '@playwright/test';
import type { TrackerEvent } from '../src/schema';
import { expect, label, test } from './fixtures';

type Win = Window & {
  salla: Record<string, Record<string, (...a: unknown[]) => Promise<unknown>>>;
  Salla: { status: string };
  twilightTracker: { flush(): Promise<void>; version?: string };
};

/** Call `salla.<ns>.<fn>(...args)` in the page; resolves with the response, or `{failed: status}`. */
function sdk(page: Page, ns: string, fn: string, ...a: unknown[]): Promise<unknown> {
  return page.evaluate(
    ([ns, fn, a]) =>
      (window as unknown as Win).salla[ns as string]![fn as string]!(...(a as unknown[])).then(
        (r) => JSON.parse(JSON.stringify(r ?? null)),
        (e: { response?: { status?: number } }) => ({
          failed: (e && e.response && e.response.status) || String(e),
        }),
      ),
    [ns, fn, a] as const,
  );
}

/** The page's SDK is ready and tracker.js is attached to it. */
async function ready(page: Page) {
  await page.waitForFunction(() => {
    const w = window as unknown as Win;
    return (
      w.Salla &&
      w.Salla.status === 'ready' &&
      w.twilightTracker &&
      typeof w.twilightTracker.flush === 'function'
    );
  });
}

/** Key properties of an event, for an exact but readable comparison. */
function key(e: TrackerEvent): Record<string, unknown> {
  const p = e.properties as Record<string, unknown>;
  const pick = (...k: string[]) =>
    Object.fromEntries(k.filter((x) => p[x] !== undefined).map((x) => [x, p[x]]));
  const out: Record<string, unknown> = {
    e: label(e),
    ...pick(
      'product_id',
      'quantity',
      'price',
      'value',
      'discount',
      'coupon_name',
      'coupon_code',
      'reason',
      'query',
      'total_results',
      'updated_fields',
      'method',
      'wishlist_id',
      'position',
      'source',
      'request_id',
      'recommendation_type',
      'slug',
      'path',
    ),
  };
  if (Array.isArray(p.products))
    out.products = (p.products as Array<Record<string, unknown>>).map(
      (x) => x.product_id + (x.quantity ? '×' + x.quantity : ''),
    );
  if (e.userId) out.user = e.userId;
  return out;
}

test('the catalog: one exact event per SDK action, in order', async ({ page, collector, wk }) => {
  const K = wk();
  const q = `?wk=${K}&fi=100&wv=0`;
  const item = (resp: unknown, pid: number) =>
    (resp as { data: { cart: { items: Array<{ id: number; product_id: number }> } } }).data.cart.items.find(
      (i) => i.product_id === pid,
    )!.id;

  // view product (Product Viewed is rendered into Salla.init, before tracker.js attaches), from a campaign;
  // the store shows the frequently-bought-together widget (fbt=1), which lists two products
  await page.goto('/p/101' + q + '&fbt=1&utm_source=newsletter&utm_medium=email&utm_campaign=eid');
  await ready(page);
  await page.waitForFunction(() =>
    (window as unknown as { __demoActions?: Array<{ action: string }> }).__demoActions?.some(
      (a) => a.action === 'fbt-viewed',
    ),
  );
  // add, change quantity, add another, remove it
  const added = await sdk(page, 'cart', 'addItem', { id: 101, quantity: 2 });
  const line = item(added, 101);
  await sdk(page, 'cart', 'updateItem', { id: line, quantity: 3 });
  await sdk(page, 'cart', 'updateItem', { id: line, quantity: 1 });
  const other = item(await sdk(page, 'cart', 'addItem', { id: 105, quantity: 1 }), 105);
  await sdk(page, 'cart', 'deleteItem', { id: other });
  // coupons: denied, applied, removed
  expect(await sdk(page, 'cart', 'addCoupon', { coupon: 'NOPE' })).toEqual({ failed: 400 });
  await sdk(page, 'cart', 'addCoupon', { coupon: 'SAVE10' });
  await sdk(page, 'cart', 'deleteCoupon');
  // sign in with the OTP, update the profile
  await sdk(page, 'auth', 'login', { type: 'mobile', phone: '501234567', country_code: 'SA' });
  await sdk(page, 'auth', 'verify', { type: 'mobile', phone: '501234567', country_code: 'SA', code: '1234' });
  await sdk(page, 'profile', 'update', { first_name: 'Sarah', last_name: 'Ali', email: 'sara@example.com' });
  // wishlist (signed in), search
  await sdk(page, 'wishlist', 'add', 103);
  await sdk(page, 'wishlist', 'remove', 103);
  await sdk(page, 'product', 'search', 'tea');
  await page.evaluate(() => (window as unknown as Win).twilightTracker.flush());
  // sign out: the SDK then navigates to the home page
  await Promise.all([page.waitForURL((u) => u.pathname === '/'), sdk(page, 'auth', 'logout')]);
  await ready(page);
  // add the second product of the home page's list from its card (its button records the list position)
  await page.click('#product-list [data-product-card="102"] [data-action=add]');
  await page.waitForFunction(() =>
    (window as unknown as { __demoActions?: Array<{ action: string; ok: boolean }> }).__demoActions?.some(
      (a) => a.action === 'add' && a.ok,
    ),
  );
  await page.evaluate(() => (window as unknown as Win).twilightTracker.flush());

  await collector.waitForCount(K, 27);
  const report = await collector.events(K);
  expect(report.invalid, JSON.stringify(report.events.filter((l) => !l.valid))).toBe(0);
  // Event order: timestamp, then arrival (the sign-out page's beacon may land after the next page's batch).
  const events = report.events.map((l) => l.event).sort((a, b) => a.timestamp.localeCompare(b.timestamp));
  const SAR = { price: 68 };
  expect(events.map(key)).toEqual([
    { e: 'page:product.single', slug: 'product.single', path: '/p/101' },
    { e: 'Product Viewed', product_id: '101', quantity: 1, ...SAR, value: 68 },
    // the bought-together widget: a recommendation list, not a product list
    {
      e: 'Recommendation List Viewed',
      source: 'pdp_fbt',
      recommendation_type: 'fbt',
      products: ['102', '103'],
    },
    { e: 'Product Added', product_id: '101', quantity: 2, ...SAR },
    { e: 'Cart Updated', quantity: 2, value: 151, discount: 0, products: ['101×2'] }, // + 15 shipping under 200
    { e: 'Product Added', product_id: '101', quantity: 1, ...SAR }, // 2 → 3
    { e: 'Cart Updated', quantity: 3, value: 204, discount: 0, products: ['101×3'] },
    { e: 'Product Removed', product_id: '101', quantity: 2, ...SAR }, // 3 → 1
    { e: 'Cart Updated', quantity: 1, value: 83, discount: 0, products: ['101×1'] },
    { e: 'Product Added', product_id: '105', quantity: 1, price: 99 },
    { e: 'Cart Updated', quantity: 2, value: 182, discount: 0, products: ['101×1', '105×1'] },
    { e: 'Product Removed', product_id: '105', quantity: 1, price: 99 },
    { e: 'Cart Updated', quantity: 1, value: 83, discount: 0, products: ['101×1'] },
    {
      e: 'Coupon Denied',
      coupon_name: 'NOPE',
      coupon_code: 'NOPE',
      reason: 'The coupon is invalid or expired',
    },
    { e: 'Cart Updated', quantity: 1, value: 76.2, discount: 6.8, products: ['101×1'] },
    { e: 'Coupon Applied', coupon_name: 'SAVE10', coupon_code: 'SAVE10', discount: 6.8 },
    { e: 'Cart Updated', quantity: 1, value: 83, discount: 0, products: ['101×1'] },
    { e: 'Coupon Removed', coupon_name: 'SAVE10', coupon_code: 'SAVE10', discount: 6.8 },
    { e: 'Signed In', method: 'mobile', user: '501' },
    { e: 'User Profile Updated', updated_fields: ['first_name'], user: '501' },
    { e: 'Product Added to Wishlist', product_id: '103', price: 42, wishlist_id: '1001_501', user: '501' },
    {
      e: 'Product Removed from Wishlist',
      product_id: '103',
      price: 42,
      wishlist_id: '1001_501',
      user: '501',
    },
    { e: 'Products Searched', query: 'tea', total_results: 2, products: ['103', '104'], user: '501' },
    { e: 'Signed Out', user: '501' },
    { e: 'page:index', slug: 'index', path: '/' },
    // from the home page's list (source latest), second card, with the list's request id
    {
      e: 'Product Added',
      product_id: '102',
      quantity: 1,
      price: 85,
      position: 2,
      source: 'latest',
      request_id: 'demo-latest-1',
    },
    // signed out: a new guest cart (85 + 15 shipping)
    { e: 'Cart Updated', quantity: 1, value: 100, discount: 0, products: ['102×1'] },
  ]);
  // The recommendation's products carry their positions in the widget, from 1.
  const fbt = events.find((e) => label(e) === 'Recommendation List Viewed')!;
  expect(
    (fbt.properties as { products: Array<{ position: number }> }).products.map((p) => p.position),
  ).toEqual([1, 2]);

  // Identity fields of Signed In left the page hashed only; the campaign is on every event, also on
  // the home page (from the SDK's stored UTM once the URL has none).
  const signedIn = events.find((e) => label(e) === 'Signed In')!;
  expect(Object.keys(signedIn.properties).sort()).toEqual([
    'email_sha256',
    'first_name_sha256',
    'last_name_sha256',
    'method',
    'phone_sha256',
    'type',
  ]);
  const campaign = { source: 'newsletter', medium: 'email', name: 'eid' };
  for (const e of events) expect(e.context.campaign, label(e)).toEqual(campaign);
});
