// The demo's scripted shopping journey, in headless Chromium against the demo server, with the
// real Twilight SDK and the built tracker.js. `npm run tour` (scripts/start.mjs --tour) runs it and
// prints what the collector received; e2e/journey.spec.ts runs the same JOURNEY and asserts it.
//
//   import { runTour, runJourney, JOURNEY, keyProps, formatTable } from './demo/tour.mjs';

import { chromium } from 'playwright-core';
import { CHROMIUM_PATH, LOCAL_ONLY, isLocalUrl } from '../scripts/chromium.mjs';

/** Page query of the journey besides `wk`: a short flush interval so the panel updates quickly. */
export const TOUR_QUERY = 'fi=300';

/**
 * The journey, in order. Each step gets `j` (see `helpers`) and may record facts in `j.facts`.
 * Wishlist actions need a signed-in shopper (the SDK refuses them for guests), so they come after sign-in.
 */
export const JOURNEY = [
  { name: 'view product', run: (j) => j.go('/p/102') },
  {
    name: 'add to cart (×2)',
    run: async (j) => {
      await j.page.fill('#qty', '2');
      await j.act('[data-action=add][data-product="102"]');
    },
  },
  { name: 'open cart', run: (j) => j.go('/cart') },
  {
    name: 'change quantity (2 → 3)',
    run: async (j) => {
      const row = j.page.locator('[data-item-row]').first();
      const item = await row.getAttribute('data-item-row');
      await j.page.fill(`[data-qty-item="${item}"]`, '3');
      await j.act(`[data-action=update][data-item="${item}"]`);
    },
  },
  { name: 'bad coupon (NOPE)', run: (j) => j.coupon('NOPE', false) },
  { name: 'good coupon (SAVE10)', run: (j) => j.coupon('SAVE10', true) },
  { name: 'remove coupon', run: (j) => j.act('[data-action=coupon-remove]') },
  {
    name: 'sign in (OTP)',
    run: async (j) => {
      await j.go('/account');
      await j.page.fill('#login-mobile', '501234567');
      await j.act('#login-send');
      await j.page.fill('#login-code', '1234');
      await j.act('#login-verify');
    },
  },
  {
    name: 'update profile',
    run: async (j) => {
      await j.page.fill('#profile-first-name', 'Sarah');
      await j.act('#profile-save');
    },
  },
  {
    name: 'wishlist add',
    run: async (j) => {
      await j.go('/p/103');
      await j.act('[data-action=wishlist-add][data-product="103"]');
    },
  },
  { name: 'wishlist remove', run: (j) => j.act('[data-action=wishlist-remove][data-product="103"]') },
  { name: 'add a second product', run: (j) => j.act('[data-action=add][data-product="103"]') },
  {
    name: 'search (tea)',
    run: async (j) => {
      await j.page.fill('#search-input', 'tea');
      await j.act('#search-live');
    },
  },
  {
    name: 'remove item',
    run: async (j) => {
      await j.go('/cart');
      await j.act('[data-action=remove][data-product="103"]');
    },
  },
  {
    name: 'checkout → thank-you',
    run: async (j) => {
      await j.page.goto(j.url('/checkout'));
      const at = new URL(j.page.url());
      if (at.pathname !== '/thank-you') throw new Error(`checkout landed on ${at.pathname}, not /thank-you`);
      j.facts.orderId = at.searchParams.get('order');
      await j.ready();
    },
  },
  {
    name: 'sign out',
    run: async (j) => {
      await j.go('/account');
      await Promise.all([
        j.page.waitForURL((u) => u.pathname === '/', { timeout: 15_000 }),
        j.page.click('#logout'),
      ]);
      await j.ready();
    },
  },
];

/** Navigation and action helpers for one page (`query` is appended to every storefront URL). */
export function helpers(page, { base, query }) {
  const url = (p) => base + p + (p.includes('?') ? '&' : '?') + query;
  const j = {
    page,
    facts: {},
    url,
    /** The SDK is ready and storefront.js has wired its buttons. */
    async ready() {
      await page.waitForFunction(
        () =>
          document.documentElement.classList.contains('salla-ready') &&
          window.Salla &&
          window.Salla.status === 'ready',
        null,
        { timeout: 15_000 },
      );
    },
    async go(p) {
      await page.goto(url(p));
      await j.ready();
    },
    /** Click `selector` and wait for storefront.js to record the action's outcome (ok or not, as expected). */
    async act(selector, expectOk = true) {
      const before = await page.evaluate(() => (window.__demoActions || []).length);
      await page.click(selector);
      await page.waitForFunction((n) => (window.__demoActions || []).length > n, before, { timeout: 15_000 });
      const res = await page.evaluate((n) => window.__demoActions[n], before);
      if (res.ok !== expectOk)
        throw new Error(
          `${selector}: expected ${expectOk ? 'success' : 'failure'}, got ${JSON.stringify(res)}`,
        );
      return res;
    },
    async coupon(code, expectOk) {
      await page.fill('#coupon-code', code);
      await j.act('#coupon-form [type=submit]', expectOk);
    },
  };
  return j;
}

/**
 * Run JOURNEY on `page`. `onStep(name, j)` runs after each step (the e2e test takes its screenshot
 * there). Finally flushes the tracker so nothing waits in the queue. Returns the facts (`orderId`).
 * @param {import('playwright-core').Page} page
 * @param {{ base: string, writeKey: string, query?: string, log?: (line: string) => void, onStep?: (name: string, j: object) => unknown }} options
 * @returns {Promise<{ orderId?: string | null }>}
 */
export async function runJourney(page, { base, writeKey, query = TOUR_QUERY, log = () => {}, onStep }) {
  const j = helpers(page, {
    base: base.replace(/\/$/, ''),
    query: `wk=${encodeURIComponent(writeKey)}&${query}`,
  });
  for (const step of JOURNEY) {
    const t0 = Date.now();
    try {
      await step.run(j);
    } catch (err) {
      throw new Error(`journey step "${step.name}" failed: ${err.message}`, { cause: err });
    }
    log(`  ✓ ${step.name} (${Date.now() - t0} ms)`);
    if (onStep) await onStep(step.name, j);
  }
  await page.evaluate(
    () =>
      window.twilightTracker &&
      typeof window.twilightTracker.flush === 'function' &&
      window.twilightTracker.flush(),
  );
  return j.facts;
}

/** The collector's events for `writeKey` once no new one arrived for `quietMs` (or `timeout` passed). */
export async function settle(origin, writeKey, { quietMs = 5000, timeout = 30_000 } = {}) {
  const get = async () =>
    (await fetch(`${origin}/collector/events.json?writeKey=${encodeURIComponent(writeKey)}`)).json();
  const end = Date.now() + timeout;
  let last = await get();
  let since = Date.now();
  while (Date.now() < end && Date.now() - since < quietMs) {
    await new Promise((r) => setTimeout(r, 100));
    const now = await get();
    if (now.events.length !== last.events.length) since = Date.now();
    last = now;
  }
  return last;
}

/**
 * Collector lines in event order: by event timestamp; for events of the same millisecond, by their
 * batch's `sentAt` (two batches in flight at once may arrive in either order), then arrival order.
 */
export function inEventOrder(lines) {
  const time = (v) => Date.parse(v) || 0;
  return lines
    .map((l, i) => ({ l, i, t: time(l.event && l.event.timestamp), s: time(l.sentAt) }))
    .sort((a, b) => a.t - b.t || a.s - b.s || a.i - b.i)
    .map((x) => x.l);
}

/** Drop repeats (same messageId: delivery is at-least-once, a destination drops them the same way). */
export function dedupe(lines) {
  const seen = new Set();
  return lines.filter((l) => {
    const id = l.event && l.event.messageId;
    if (seen.has(id)) return false;
    seen.add(id);
    return true;
  });
}

const PRODUCT = ['product_id', 'name', 'price', 'quantity', 'currency'];
/** Per event, the properties the journey checks and the tour prints (`products` as "id×qty"). */
export const KEY_PROPS = {
  page: ['slug', 'path'],
  'Product Viewed': ['product_id', 'name', 'price', 'currency'],
  'Product Added': PRODUCT,
  'Product Removed': PRODUCT,
  'Cart Viewed': ['value', 'currency', 'products'],
  'Cart Updated': ['value', 'quantity', 'currency', 'products'],
  'Coupon Applied': ['coupon_code', 'discount'],
  'Coupon Denied': ['coupon_code'],
  'Coupon Removed': ['coupon_code'],
  'Signed In': ['email', 'phone', 'email_sha256'],
  'Signed Out': [],
  'User Profile Updated': ['updated_fields'],
  'Product Added to Wishlist': ['product_id'],
  'Product Removed from Wishlist': ['product_id'],
  'Products Searched': ['query', 'total_results'],
  'Order Completed': ['order_id', 'total', 'currency', 'products'],
  'Web Vital Measured': ['metric'],
};

/** `{name, props, user?}` of one event: its name ('page' for page events), key properties, userId. */
export function keyProps(e) {
  const name = e.type === 'page' ? 'page' : e.event;
  const p = e.properties || {};
  const keys = KEY_PROPS[name] || Object.keys(p).slice(0, 4);
  const props = {};
  for (const k of keys) {
    if (p[k] === undefined) continue;
    props[k] =
      k === 'products' && Array.isArray(p[k])
        ? p[k].map((x) => `${x && x.product_id}×${x && x.quantity}`)
        : p[k];
  }
  const out = { name, props };
  if (e.userId !== undefined) out.user = e.userId;
  return out;
}

/** A table cell: arrays joined, hex digests shortened. */
const cell = (v) =>
  Array.isArray(v)
    ? v.join(',')
    : typeof v !== 'string'
      ? JSON.stringify(v)
      : /^[0-9a-f]{64}$/.test(v)
        ? v.slice(0, 12) + '…'
        : v;

/** The collector's lines as a text table: #, type, event/name, key props, valid. */
export function formatTable(lines) {
  const rows = lines.map((l, i) => {
    const e = l.event || {};
    const k = keyProps(e);
    const props = Object.entries(k.props).map(([key, v]) => `${key}=${cell(v)}`);
    if (k.user) props.push(`user=${k.user}`);
    return [
      String(i + 1),
      String(e.type),
      e.type === 'page' ? String(e.name) : String(e.event),
      props.join(' '),
      l.valid ? 'yes' : 'NO: ' + l.problems.join('; '),
    ];
  });
  const head = ['#', 'type', 'event/name', 'key props', 'valid'];
  const width = head.map((h, c) =>
    Math.min(c === 3 ? 90 : 40, Math.max(h.length, ...rows.map((r) => r[c].length))),
  );
  const fmt = (r) =>
    r
      .map((v, c) =>
        c === 4 ? v : v.length > width[c] ? v.slice(0, width[c] - 1) + '…' : v.padEnd(width[c]),
      )
      .join('  ');
  return [fmt(head), width.map((w) => '-'.repeat(w)).join('  '), ...rows.map(fmt)].join('\n');
}

/**
 * Launch Chromium, block every non-127.0.0.1 request, run the journey against the demo server at
 * `url`, and return the collector's events (in event order) plus everything that went wrong.
 */
export async function runTour({
  url,
  writeKey = 'tour-' + Date.now().toString(36),
  executablePath = CHROMIUM_PATH,
  log = console.log,
} = {}) {
  const origin = url.replace(/\/$/, '');
  const failures = [];
  const browser = await chromium.launch({ executablePath, ...LOCAL_ONLY, headless: true });
  let facts = {};
  try {
    const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
    context.on('request', (r) => {
      if (!isLocalUrl(r.url())) failures.push(`blocked a request to a non-local host: ${r.url()}`);
    });
    context.on('weberror', (e) => failures.push(`page error: ${e.error().message}`));
    const page = await context.newPage();
    try {
      facts = await runJourney(page, { base: origin, writeKey, log });
    } catch (err) {
      failures.push(err.message);
    }
    await context.close();
  } finally {
    await browser.close();
  }
  const report = await settle(origin, writeKey);
  const lines = dedupe(inEventOrder(report.events));
  if (report.invalid) failures.push(`the collector found ${report.invalid} invalid event(s)`);
  if (!lines.length) failures.push('the collector received no event');
  return { writeKey, facts, lines, repeats: report.events.length - lines.length, report, failures };
}
