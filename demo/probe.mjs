// Drives the demo storefront headless with the real Twilight SDK and logs every SDK hook.
//
//   node demo/probe.mjs [--headed] [--tracker] [--write-fixture [path]] [--quiet]
//
// Starts the server in-process on a free port (fresh temp data dir), blocks every request
// to a host other than 127.0.0.1, records console messages, page errors, CSP reports and
// non-local attempts, then runs: add to cart, update quantity, remove, coupon bad/good/remove,
// sign in with OTP, profile update, wishlist add/remove, quick search, search page, checkout,
// sign out, and a ?sdk=late page. Then the scenarios the journey does not reach: sign up
// (salla.auth.register), product ratings (salla.rating.products), reorders
// (salla.order.createCartFromOrder / reorderProduct), a market change (salla.scope.change), and the
// web components' own hooks (see COMPONENT_HOOKS). Exits 1 when a check fails.
// --write-fixture stores the hooks of the run as [{name, args, page, source}] (default
// test/fixtures/sdk-hooks.json); `source` says where each entry came from.
//
// The web components (@salla.sa/twilight-components) are not installed here, and they need Salla's
// recommendations host: their hooks are emitted by replaying, in the page, the component code cited in
// COMPONENT_HOOKS, through the real SDK's Salla.event.emit, on data the real SDK fetched.

import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';
import { CHROMIUM_ARGS, CHROMIUM_PATH } from '../scripts/chromium.mjs';
import { startServer } from './server.mjs';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const argv = process.argv.slice(2);
const flag = (name) => argv.includes(name);
const fixtureIdx = argv.indexOf('--write-fixture');
const fixturePath =
  fixtureIdx < 0
    ? null
    : path.resolve(
        ROOT,
        argv[fixtureIdx + 1] && !argv[fixtureIdx + 1].startsWith('--')
          ? argv[fixtureIdx + 1]
          : 'test/fixtures/sdk-hooks.json',
      );
const QUIET = flag('--quiet');
const TRACKER = flag('--tracker');
const SDK_VERSION = JSON.parse(
  fs.readFileSync(path.join(ROOT, 'node_modules/@salla.sa/twilight/package.json'), 'utf8'),
).version;

/** Hooks emitted by web components, not by the SDK: where the probe's replay takes each payload from. */
const COMPONENTS = '@salla.sa/twilight-components 2.14.570 dist/collection/components/';
const COMPONENT_HOOKS = {
  'salla-products-list::products.fetched':
    'salla-products-list/salla-products-list.js:1134 (handleResponse: the fetched page + nextPage, source, sourceValue)',
  'salla-bought-together::list.viewed': 'salla-bought-together/salla-bought-together.js:95 (emitListViewed)',
  'salla-bought-together::product.clicked':
    'salla-bought-together/salla-bought-together.js:108 (emitProductClicked)',
  'salla-bought-together::product.added':
    'salla-bought-together/salla-bought-together.js:144 (addSelectedToCart, after salla.cart.addItem)',
  'salla-basket-gap::product.added':
    'salla-basket-gap/salla-basket-gap.js:44 (addButtonSuccessHandler, after salla-add-product-button.js:112 salla.cart.addItem)',
  'promotion::viewed': 'salla-offer-modal/salla-offer-modal.js:42 (emitPromotionViewed)',
  'promotion::clicked': 'salla-offer-modal/salla-offer-modal.js:56 (emitPromotionClicked)',
  'salla::offer.promotion.viewed': 'salla-offer/salla-offer.js:92 (emitPromotionViewed)',
  'salla::offer.promotion.clicked': 'salla-offer/salla-offer.js:108 (emitPromotionClicked)',
  'share-element': 'salla-social-share/salla-social-share.js',
};
/** What the probe is doing (set before each step), for the fixture's `source`. */
let step = 'start';
/** Per hook name, the exact emit site of the component code the current step replays. */
let stepCite = {};
function sourceOf(name) {
  const where = `demo/probe.mjs step "${step}" on demo/store-api.mjs`;
  if (COMPONENT_HOOKS[name])
    return `shape from ${COMPONENTS}${COMPONENT_HOOKS[name]}${stepCite[name] || ''}; replayed through the real SDK ${SDK_VERSION} (Salla.event.emit) by ${where}`;
  return `real SDK ${SDK_VERSION} (twilight.min.js) in Chromium: ${where}`;
}

const EXPECTED_HOOKS = [
  'Product Viewed',
  'Cart Viewed',
  'Order Completed',
  'Products Searched',
  'cart::item.added',
  'cart::updated',
  'Product Added',
  'cart::item.updated',
  'cart::item.deleted',
  'Product Removed',
  'cart::coupon.added',
  'cart::coupon.addition.failed',
  'cart::coupon.deleted',
  'wishlist::added',
  'wishlist::removed',
  'auth::code.sent',
  'auth::logged.in',
  'auth::verified',
  'profile::updated',
  'auth::logged.out',
  'product::search.results',
  'twilight::initiated',
  // scenarios
  'auth::registered',
  'Signed Up',
  'rating::products.rated',
  'order::order.created',
  'scope::changed',
  'product::offer.existed',
  'infiniteScroll::load',
  ...Object.keys(COMPONENT_HOOKS),
];

/** Runs in the page before any script: hooks Salla.event.onAny right before boot.js calls Salla.init. */
function pageInit() {
  function ser(v, depth, seen) {
    if (v === null || typeof v !== 'object') {
      if (typeof v === 'function') return '[Function]';
      if (typeof v === 'string' && v.length > 2000) return v.slice(0, 2000) + '…';
      return v === undefined ? null : v;
    }
    if (depth > 8) return '[Depth]';
    if (seen.has(v)) return '[Circular]';
    seen.add(v);
    try {
      if (typeof Node !== 'undefined' && v instanceof Node) return '[' + v.nodeName + ']';
      if (typeof Window !== 'undefined' && v instanceof Window) return '[Window]';
      if (v instanceof Error) {
        var out = { __error: v.name, message: v.message };
        if (v.response)
          out.response = { status: v.response.status, data: ser(v.response.data, depth + 1, seen) };
        return out;
      }
      if (Array.isArray(v))
        return v.map(function (x) {
          return ser(x, depth + 1, seen);
        });
      var o = {};
      Object.keys(v).forEach(function (k) {
        o[k] = ser(v[k], depth + 1, seen);
      });
      return o;
    } finally {
      seen.delete(v);
    }
  }
  window.addEventListener('demo:before-init', function () {
    Salla.event.onAny(function (name) {
      var args = Array.prototype.slice.call(arguments, 1);
      var entry = {
        name: String(name),
        args: ser(args, 0, new Set()),
        page: location.pathname + location.search,
      };
      try {
        window.__probeHook(entry);
      } catch (e) {
        /* binding missing */
      }
    });
  });
}

const log = (...a) => console.log(...a);
const short = (v, n = 240) => {
  const s = JSON.stringify(v);
  return s.length > n ? s.slice(0, n) + '…' : s;
};

async function main() {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'tt-probe-'));
  const server = await startServer({ port: 0, dataDir });
  const base = server.url.replace(/\/$/, '');
  const qs = TRACKER ? '?wk=probe' : '?tracker=0';
  log(`probe: server ${server.url} (data ${dataDir})`);

  const browser = await chromium.launch({
    executablePath: CHROMIUM_PATH,
    args: CHROMIUM_ARGS,
    headless: !flag('--headed'),
  });
  const failures = [];
  const blocked = [];
  const consoleLines = [];
  const pageErrors = [];
  const httpErrors = [];
  const hooks = [];
  const fail = (msg) => {
    failures.push(msg);
    log('  FAIL', msg);
  };

  try {
    const context = await browser.newContext();
    await context.route('**/*', (route) => {
      const url = new URL(route.request().url());
      if (url.hostname === '127.0.0.1' || url.protocol === 'data:' || url.protocol === 'blob:')
        return route.continue();
      blocked.push(`${route.request().method()} ${url.href}`);
      return route.abort('blockedbyclient');
    });
    await context.exposeBinding('__probeHook', (_src, entry) => {
      entry.source = sourceOf(entry.name);
      hooks.push(entry);
      if (!QUIET) log(`    hook ${entry.name} ${short(entry.args, 200)}`);
    });
    await context.addInitScript(pageInit);
    const page = await context.newPage();
    page.on('console', (m) => {
      const line = `[${m.type()}] ${m.text()}`;
      consoleLines.push(line);
      if (m.type() === 'error' || /Content Security Policy/i.test(m.text())) log('   console', line);
    });
    page.on('pageerror', (err) => {
      pageErrors.push(String((err && err.stack) || err));
      log('   PAGEERROR', err.message);
    });
    page.on('response', (r) => {
      if (r.status() >= 400 && new URL(r.url()).hostname === '127.0.0.1')
        httpErrors.push(`${r.status()} ${r.request().method()} ${r.url()}`);
    });

    const ready = async (label) => {
      await page
        .waitForFunction(() => window.Salla && Salla.status === 'ready', null, { timeout: 10000 })
        .catch(() => fail(`${label}: Salla never became ready`));
      await page.evaluate(() => Salla.onReady());
      await page.waitForTimeout(300); // let post-ready requests (cart/latest, wishlist hydration, ...) settle
    };
    const goto = async (p, label = p) => {
      log(`\n== ${label}`);
      step = `load ${label}`;
      stepCite = {};
      await page.goto(base + p, { waitUntil: 'load' });
      await ready(label);
    };
    const hookSince = (n, name) => hooks.slice(n).some((h) => h.name === name);
    const waitHook = async (n, name, ms = 5000) => {
      const end = Date.now() + ms;
      while (Date.now() < end) {
        if (hookSince(n, name)) return true;
        await page.waitForTimeout(25);
      }
      fail(`hook ${name} did not fire`);
      return false;
    };
    /** Clicks `selector`, waits for storefront.js to record the action's outcome. */
    const act = async (selector, { expectOk = true, label = selector } = {}) => {
      step = label;
      stepCite = {};
      const before = await page.evaluate(() => (window.__demoActions || []).length);
      await page.click(selector);
      await page
        .waitForFunction((n) => (window.__demoActions || []).length > n, before, { timeout: 8000 })
        .catch(() => {});
      const res = await page.evaluate((n) => (window.__demoActions || [])[n], before);
      if (!res) fail(`${label}: no outcome recorded`);
      else if (res.ok !== expectOk)
        fail(`${label}: expected ${expectOk ? 'success' : 'failure'}, got ${short(res)}`);
      log(`  action ${label} -> ${short(res)}`);
      await page.waitForTimeout(150);
      return res;
    };

    // ---- home: add two products ----
    await goto('/' + qs, 'home');
    let n = hooks.length;
    await act('[data-action=add][data-product="101"]', { label: 'add 101' });
    for (const h of ['cart::updated', 'cart::item.added', 'Product Added']) await waitHook(n, h);
    await act('[data-action=add][data-product="105"]', { label: 'add 105' });

    // ---- product page: Product Viewed at init, add with quantity 2 ----
    n = hooks.length;
    await goto('/p/102' + qs, 'product 102');
    if (!hookSince(n, 'Product Viewed')) fail('Product Viewed not dispatched during init');
    const facts = await page.evaluate(() => ({
      user: Salla.config.get('user'),
      currency: Salla.config.currency(),
      eventsAfterInit: Salla.config.get('events'),
      page: Salla.config.get('page'),
      status: Salla.status,
      version: Salla.versions,
      // EventEmitter2 warns past 10 listeners on one event: which events are crowded?
      crowded: Salla.event
        .eventNames()
        .map((e) => [String(e), Salla.event.listenerCount(e)])
        .filter((x) => x[1] > 6),
    }));
    log('  facts', short(facts, 1200));
    await page.fill('#qty', '2');
    await act('[data-action=add][data-product="102"]', { label: 'add 102 x2' });

    // ---- cart page: Cart Viewed, update, remove, coupons ----
    n = hooks.length;
    await goto('/cart' + qs, 'cart');
    if (!hookSince(n, 'Cart Viewed')) fail('Cart Viewed not dispatched during init');
    const rows = await page.$$eval('[data-item-row]', (els) =>
      els.map((e) => e.getAttribute('data-item-row')),
    );
    log('  cart rows', rows.join(','));
    n = hooks.length;
    await page.fill(`[data-qty-item="${rows[0]}"]`, '3');
    await act(`[data-action=update][data-item="${rows[0]}"]`, { label: 'update qty' });
    await waitHook(n, 'cart::item.updated');
    n = hooks.length;
    await act(`[data-action=remove][data-item="${rows[1]}"]`, { label: 'remove item' });
    await waitHook(n, 'cart::item.deleted');
    await waitHook(n, 'Product Removed');
    n = hooks.length;
    await page.fill('#coupon-code', 'NOPE');
    await act('#coupon-form [type=submit]', { expectOk: false, label: 'bad coupon' });
    await waitHook(n, 'cart::coupon.addition.failed');
    n = hooks.length;
    await page.fill('#coupon-code', 'SAVE10');
    await act('#coupon-form [type=submit]', { label: 'good coupon' });
    await waitHook(n, 'cart::coupon.added');
    n = hooks.length;
    await act('[data-action=coupon-remove]', { label: 'remove coupon' });
    await waitHook(n, 'cart::coupon.deleted');

    // ---- account: sign in with OTP, update the profile ----
    await goto('/account' + qs, 'account (guest)');
    n = hooks.length;
    await page.fill('#login-mobile', '501234567');
    await act('#login-send', { label: 'send code' });
    await page.fill('#login-code', '1234');
    await act('#login-verify', { label: 'verify code' });
    await waitHook(n, 'auth::logged.in');
    const afterLogin = await page.evaluate(() => ({
      user: Salla.config.get('user'),
      token: !!Salla.storage.get('token'),
      cart: Salla.storage.get('cart'),
    }));
    log('  after login', short(afterLogin, 600));
    n = hooks.length;
    await page.fill('#profile-first-name', 'Sarah');
    await act('#profile-save', { label: 'profile update' });
    await waitHook(n, 'profile::updated');

    // ---- signed-in product page: wishlist, quick search ----
    await goto('/p/103' + qs, 'product 103 (signed in)');
    n = hooks.length;
    await act('[data-action=wishlist-add][data-product="103"]', { label: 'wishlist add' });
    await waitHook(n, 'wishlist::added');
    await act('[data-action=wishlist-remove][data-product="103"]', { label: 'wishlist remove' });
    await waitHook(n, 'wishlist::removed');
    await act('[data-action=add][data-product="103"]', { label: 'add 103 (signed in)' });
    n = hooks.length;
    await page.fill('#search-input', 'tea');
    await act('#search-live', { label: 'quick search' });
    await waitHook(n, 'product::search.results');

    // ---- search page, wishlist page ----
    n = hooks.length;
    await goto('/search' + (qs ? qs + '&' : '?') + 'q=coffee', 'search page');
    if (!hookSince(n, 'Products Searched')) fail('Products Searched not dispatched during init');
    await goto('/wishlist' + qs, 'wishlist');

    // ---- checkout -> thank-you ----
    n = hooks.length;
    log('\n== checkout');
    await page.goto(base + '/checkout' + qs, { waitUntil: 'load' });
    await ready('thank-you');
    log('  landed on', page.url().replace(base, ''));
    if (!hookSince(n, 'Order Completed')) fail('Order Completed not dispatched during init');

    // ---- sign out ----
    await goto('/account' + qs, 'account (signed in)');
    n = hooks.length;
    await Promise.all([
      page
        .waitForURL((u) => u.pathname === '/', { timeout: 10000 })
        .catch(() => fail('logout did not navigate home')),
      page.click('#logout'),
    ]);
    await waitHook(n, 'auth::logged.out');
    await ready('home after logout');
    const afterLogout = await page.evaluate(() => Salla.config.get('user'));
    log('  after logout user', short(afterLogout));
    if (afterLogout.type !== 'guest') fail('still signed in after logout');

    // ---- late SDK ----
    log('\n== sdk=late');
    const lateStart = Date.now();
    await page.goto(base + '/p/101' + (qs ? qs + '&' : '?') + 'sdk=late&sdkDelay=200', { waitUntil: 'load' });
    await ready('late sdk');
    log(`  late SDK ready after ${Date.now() - lateStart} ms`);

    // ---- the human collector page renders its live table under the same CSP ----
    log('\n== /collector');
    await page.goto(base + '/collector', { waitUntil: 'load' });
    await page
      .waitForFunction(() => /requests/.test(document.getElementById('collector-stats').textContent), null, {
        timeout: 5000,
      })
      .catch(() => fail('/collector never rendered its stats'));
    log('  ' + (await page.textContent('#collector-stats')));

    // =============== scenarios: the hooks the journey above does not reach ===============
    /** Runs `fn(arg)` in the page as step `label`; `cite` names the component emit site per hook. */
    const replay = async (label, fn, arg, cite = {}) => {
      step = label;
      stepCite = cite;
      log(`  replay ${label}`);
      const res = await page.evaluate(fn, arg).catch((e) => fail(`${label}: ${e.message}`));
      await page.waitForTimeout(300);
      return res;
    };
    const signIn = async (mobile, label) => {
      await page.fill('#login-mobile', mobile);
      await act('#login-send', { label: `send code (${label})` });
      await page.fill('#login-code', '1234');
      return act('#login-verify', { label: `verify code (${label})` });
    };
    /** Runs an SDK call that ends by navigating (location.href = data.url), and waits for the new page. */
    const thenNavigates = async (label, fn, arg, hook) => {
      n = hooks.length;
      step = label;
      stepCite = {};
      log(`  ${label}`);
      await Promise.all([
        page
          .waitForURL((u) => u.pathname === '/cart', { timeout: 10000 })
          .catch(() => fail(`${label}: no navigation`)),
        page.evaluate(fn, arg),
      ]);
      await waitHook(n, hook);
      await ready(`${label}: cart page`);
    };

    // ---- sign up: verify says new_customer, then salla.auth.register() ----
    await goto('/account' + qs, 'account (guest): sign up');
    n = hooks.length;
    await signIn('555000111', 'new customer');
    await replay('salla.auth.register()', () =>
      salla.auth
        .register({
          first_name: 'Noura',
          last_name: 'Saleh',
          phone: '555000111',
          country_code: 'SA',
          verified_by: 'phone',
          email: 'noura@example.com',
          code: 1234,
        })
        .then((r) => r.data.case),
    );
    for (const h of ['auth::registered', 'auth::logged.in', 'profile::info.fetched']) await waitHook(n, h);
    await goto('/account' + qs, 'account (signed up)');
    n = hooks.length;
    await Promise.all([
      page.waitForURL((u) => u.pathname === '/', { timeout: 10000 }),
      page.click('#logout'),
    ]);
    await waitHook(n, 'auth::logged.out');
    await ready('home after logout');

    // ---- Sara again: rate the order's products, reorder it, one product of it, change market ----
    await goto('/account' + qs, 'account (guest): sign in again');
    n = hooks.length;
    await signIn('501234567', 'Sara');
    await waitHook(n, 'auth::logged.in');
    n = hooks.length;
    await replay('salla.rating.products()', () =>
      salla.rating
        .products({
          order_id: 300001,
          products: [
            { product_id: 101, comment: 'Bright and fruity', rating: 5 },
            { product_id: 102, comment: '', rating: 4 },
          ],
        })
        .then((r) => r.data.message),
    );
    await waitHook(n, 'rating::products.rated');
    await thenNavigates(
      'salla.order.createCartFromOrder(300001)',
      () => void salla.order.createCartFromOrder(300001),
      undefined,
      'order::order.created',
    );
    await thenNavigates(
      'salla.order.reorderProduct(103)',
      () => void salla.order.reorderProduct(103),
      undefined,
      'order::order.created',
    );
    n = hooks.length;
    // <salla-scopes> handleSubmit (salla-scopes.js:108) sends {id} of the chosen market.
    await replay('salla.scope.change({id: 7})', () => salla.scope.change({ id: 7 }).then((r) => r.data.name));
    await waitHook(n, 'scope::changed');

    // ---- <salla-social-share>: the addtoany callback (:98-104) and copyLink (:290) ----
    await goto('/p/102' + qs, 'product 102: share');
    const a2aShare = (service) =>
      // a2a_config.callbacks share(data): data.service is addtoany's service name, data.url/title the page's.
      salla.event.emit('share-element', {
        share_via: service.toLowerCase(),
        url: window.location.href,
        title: document.title,
      });
    await replay('share via WhatsApp (addtoany callback)', a2aShare, 'WhatsApp', {
      'share-element': ':98-104 (addtoany share callback)',
    });
    await replay(
      'share: copy link',
      () =>
        // copyLink(): url = getShareUrl() (this.url || window.location.href), title = this.urlName || document.title
        salla.event.emit('share-element', {
          share_via: 'copy_link',
          url: window.location.href,
          title: document.title,
        }),
      undefined,
      { 'share-element': ':290 (copyLink)' },
    );
    await goto('/' + qs, 'home: share');
    await replay('share via X (addtoany callback)', a2aShare, 'X', {
      'share-element': ':98-104 (addtoany share callback)',
    });

    // ---- <salla-bought-together> on product 101 ----
    await goto('/p/101' + qs, 'product 101: bought together');
    n = hooks.length;
    await replay(
      '<salla-bought-together> list, click, add',
      async (recommendedIds) => {
        // componentWillLoad: [page product, ...recommended ids] from fetchProductBoughtTogether (Salla's
        // recommendations host, not reachable here: `recommendedIds` stands for its answer).
        const resolvedProductId = salla.config.get('page.id');
        const ids = [String(resolvedProductId), ...recommendedIds.slice(0, 3)];
        const response = await salla.product.fetch({ source: 'selected', source_value: ids });
        const products = response?.data ?? [];
        const isMain = (id) => String(id) === String(resolvedProductId);
        const mainProduct = products.find((p) => isMain(p.id));
        const rest = products.filter((p) => !isMain(p.id));
        const recommendations = mainProduct ? [mainProduct, ...rest] : rest;
        const recommended = () => recommendations.filter((p) => !isMain(p.id));
        const recommendedPosition = (id) => {
          const i = recommended().findIndex((p) => String(p.id) === String(id));
          return i === -1 ? -1 : i + 1;
        };
        // emitListViewed (when the block scrolls into view)
        salla.event.emit('salla-bought-together::list.viewed', { products: recommended() });
        // a click on the second recommended product's link
        const clicked = recommended()[1];
        salla.event.emit('salla-bought-together::product.clicked', [
          { product: clicked, position: recommendedPosition(clicked.id) },
        ]);
        // addSelectedToCart: every product is selected at first, the page product included
        const out = [];
        for (const id of recommendations.map((p) => p.id)) {
          salla.cart.api.addToCartSource = 'pdp_fbt';
          const response = await salla.cart.addItem({ id, endpoint: 'quickAdd', source: 'pdp_fbt' });
          const product = recommendations.find((p) => p.id === id);
          const position = isMain(id) ? 0 : recommendedPosition(id);
          const cartItem =
            response?.data?.items?.find((i) => String(i.product_id) === String(product.id)) ??
            response?.data?.items?.slice(-1)[0];
          out.push({ id, cartItem: cartItem ?? null, cartId: response?.data?.id ?? null });
          salla.event.emit('salla-bought-together::product.added', [
            { product, position, cartItem, cartId: response?.data?.id },
          ]);
        }
        return out;
      },
      ['103', '104'],
    ).then((r) => log('  fbt adds', short(r, 400)));

    // ---- <salla-basket-gap> on the cart page: a recommended product's <salla-add-product-button> ----
    await goto('/cart' + qs, 'cart: basket gap');
    await replay(
      '<salla-basket-gap> add',
      async (recommendedIds) => {
        // fetchRecommendations: ids from fetchCartBoughtTogether (Salla's recommendations host, not
        // reachable here: `recommendedIds`), less the cart's, then fetchProducts.
        const cartIds = new Set((salla.storage.get('cart')?.items ?? []).map((i) => String(i.product_id)));
        const ids = recommendedIds.filter((id) => !cartIds.has(id));
        const response = await salla.api.withoutNotifier(() =>
          salla.product.api.fetch({ source: 'selected', source_value: ids, limit: 10 }),
        );
        const products = response?.data ?? [];
        // connectedCallback: beforeAddItemHandler tags the add as the component's
        const beforeAddItemHandler = (data) => {
          const id = String(data?.id ?? '');
          if (id && products.some((p) => String(p.id) === id) && salla.cart?.api)
            salla.cart.api.addToCartSource = 'basket_gap';
        };
        salla.event.on('cart::before.add.item', beforeAddItemHandler);
        try {
          // salla-add-product-button _proceedAddToCart (:103-112): no list around it, so its source is
          // Helper.getProductsSource(undefined), 'latest' on the cart page.
          const product = products[0];
          const resp = await salla.cart.addItem({ id: product.id, endpoint: 'quickAdd', source: 'latest' });
          // the button's `success` event (detail: the response) → addButtonSuccessHandler
          const items = resp?.data?.items ?? [];
          const cartItem =
            items.find((i) => String(i.product_id) === String(product.id)) ?? items.slice(-1)[0];
          salla.event.emit('salla-basket-gap::product.added', [
            {
              product,
              position: products.indexOf(product) + 1,
              cartItem,
              cartId: resp?.data?.id,
              source: 'basket_gap',
            },
          ]);
          return { id: product.id, cartItem: cartItem ?? null, cartId: resp?.data?.id ?? null };
        } finally {
          salla.event.off('cart::before.add.item', beforeAddItemHandler);
        }
      },
      ['105', '106'],
    ).then((r) => log('  basket gap add', short(r, 400)));

    // ---- <salla-offer> on the home page: the store's offers, one clicked ----
    await goto('/' + qs, 'home: offers');
    n = hooks.length;
    await replay('<salla-offer> viewed, clicked', async () => {
      // componentWillLoad: not on the cart or a product page, so `offers` (getEndpointByPageName)
      const res = await salla.api.request('offers');
      const supported = [
        'special_price',
        'bank',
        'buy_x_get_y',
        'discounts_table',
        'fixed',
        'percentage',
        'fixed_amount',
      ];
      const offersList = res.data.filter((offer) => supported.includes(offer.type));
      // componentDidLoad → emitPromotionViewed: the first five offers
      salla.event.emit(
        'salla::offer.promotion.viewed',
        offersList.slice(0, 5).map((offer, index) => ({
          id: offer.id,
          name: offer.title,
          creative: offer.description || '',
          position: index + 1,
        })),
      );
      // a click on the second offer card: emitPromotionClicked(offer, position)
      const offer = offersList[1];
      salla.event.emit('salla::offer.promotion.clicked', [
        { id: offer.id, name: offer.title, creative: offer.description || '', position: 2 },
      ]);
      return offersList.map((o) => o.id);
    });
    await waitHook(n, 'salla::offer.promotion.clicked');

    // ---- <salla-offer-modal>: adding product 104 announces offer 55 (product::offer.existed) ----
    await goto('/p/104' + qs, 'product 104: offer modal');
    await replay('<salla-offer-modal> listens', () => {
      window.__offerModal = new Promise((resolve) => {
        let shown = false;
        salla.product.event.onOfferExisted(async (offer) => {
          // The modal's own quickAdd announces the offer again: one modal, one click, here.
          if (shown) return;
          shown = true;
          // open(product_id) → showOffer(response.data[0]) → emitPromotionViewed
          const response = await salla.api.withoutNotifier(() => salla.product.offers(offer.product_id));
          const o = response.data[0];
          const type = o.get.discounts_table
            ? 'discounts-table'
            : o.get.products?.length
              ? 'products'
              : o.get.categories?.length
                ? 'categories'
                : o.get.brands?.length
                  ? 'brands'
                  : o.get.tags?.length
                    ? 'tags'
                    : undefined;
          const promo = () => [
            { id: o.id?.toString(), creative: o.message, name: o.name, position: `${type}_offer_modal` },
          ];
          salla.event.emit('promotion::viewed', promo());
          // addToCart(qty) from the modal's add button: emitPromotionClicked, then quickAdd
          salla.event.emit('promotion::clicked', promo());
          await salla.api.withoutNotifier(() => salla.cart.quickAdd(offer.product_id, 2, type));
          resolve(type);
        });
      });
    });
    n = hooks.length;
    await act('[data-action=add][data-product="104"]', { label: 'add 104 (has offer 55)' });
    await waitHook(n, 'product::offer.existed');
    step = '<salla-offer-modal> viewed, clicked';
    await page.evaluate(() => window.__offerModal).then((t) => log('  offer modal type', t));
    await waitHook(n, 'promotion::clicked');
    await page.waitForTimeout(500);

    // ---- <salla-products-list>: its infinite scroll (salla.infiniteScroll) and handleResponse ----
    /** Replays the list: initBaseNextPageUrl/buildNextPageUrl, then `pages` loads of the SDK's infinite scroll. */
    const productsList = async ({ source, sourceValue, sortBy, filters, pages }) => {
      let nextPage = salla.url.api(`products?source=${source}`);
      if (sortBy) nextPage += `&sort=${sortBy}`;
      nextPage += '&filterable=1';
      for (const [key, value] of Object.entries(filters || {})) {
        const k = encodeURIComponent(key);
        if (['string', 'number'].includes(typeof value))
          nextPage += `&filters[${k}]=${encodeURIComponent(value)}`;
        else if (Array.isArray(value))
          value.forEach((item) => (nextPage += `&filters[${k}][]=${encodeURIComponent(item)}`));
        else
          for (const [kk, v] of Object.entries(value))
            nextPage += `&filters[${k}][${encodeURIComponent(kk)}]=${encodeURIComponent(v)}`;
      }
      const withoutValue = ['offers', 'latest', 'sales', 'top-rated', 'reorder'].includes(source);
      if (!withoutValue)
        nextPage +=
          source === 'search'
            ? `&source_value=${sourceValue}`
            : `&source_value[]=${sourceValue.join('&source_value[]=')}`;
      const wrapper = document.createElement('div');
      document.body.appendChild(wrapper);
      const infiniteScroll = salla.infiniteScroll.initiate(
        wrapper,
        wrapper,
        { path: () => nextPage, history: false, nextPage, scrollThreshold: false, loadOnScroll: false },
        true,
      );
      infiniteScroll.pageIndex = 1;
      const loaded = [];
      infiniteScroll.on('load', (response) => {
        // handleResponse(response)
        if (response.cursor?.current === 1) {
          let title = { latest: 'blocks.home.latest_products' }[source];
          title = title ? salla.lang.get(title) : '';
          if (source === 'search')
            title = salla.lang.get('common.elements.search_about', { word: sourceValue });
          else if (!title) {
            const catId = Object.keys(filters || {}).length ? null : sourceValue[0];
            title =
              response.filters?.find((f) => f.key === 'category_id')?.values?.find((c) => c.key == catId)
                ?.value ?? '';
          }
          title +=
            (title ? ' - ' : '') + salla.lang.choice('blocks.header.products_count', response.data?.length);
          response.title = title;
        }
        response.nextPage = nextPage;
        response.source = source;
        response.sourceValue = sourceValue;
        salla.event.emit('salla-products-list::products.fetched', response);
        nextPage = response.cursor ? response.cursor.next : nextPage; // resolveNextPageFromCursor
        loaded.push(response.data.map((p) => p.id));
      });
      for (let i = 0; i < pages; i++) {
        const want = loaded.length + 1;
        infiniteScroll.loadNextPage();
        const end = Date.now() + 5000;
        while (loaded.length < want && Date.now() < end) await new Promise((r) => setTimeout(r, 25));
      }
      return loaded;
    };
    await goto('/' + qs, 'home: product lists');
    await replay(
      '<salla-products-list source="categories" source-value="12" sort-by="priceFromTopToLow">',
      productsList,
      { source: 'categories', sourceValue: [12], sortBy: 'priceFromTopToLow', pages: 1 },
    ).then((r) => log('  pages', short(r)));
    await replay('<salla-products-list source="latest">, scrolled to page 2', productsList, {
      source: 'latest',
      sourceValue: null,
      pages: 2,
    }).then((r) => log('  pages', short(r)));
    // On the search page the component reads q and filters[…] from the URL (extractFiltersFromUrl).
    const filtered = '&q=tea&filters[brand_id][]=1030&filters[price][min]=10&filters[price][max]=50';
    await goto('/search' + (qs || '?') + filtered, 'search page with filters');
    await replay('<salla-products-list source="search"> with filters', productsList, {
      source: 'search',
      sourceValue: 'tea',
      filters: { brand_id: ['1030'], price: { min: '10', max: '50' } },
      pages: 1,
    }).then((r) => log('  pages', short(r)));

    await context.close();
  } finally {
    await browser.close();
    await server.close();
  }

  // ---- report ----
  const fired = new Set(hooks.map((h) => h.name));
  for (const name of EXPECTED_HOOKS) if (!fired.has(name)) fail(`expected hook never fired: ${name}`);
  if (pageErrors.length) fail(`${pageErrors.length} page error(s)`);
  const csp = consoleLines.filter((l) => /Content Security Policy/i.test(l));
  if (csp.length) fail(`${csp.length} CSP violation(s)`);

  log('\n== hooks in order');
  for (const h of hooks) log(`  ${h.name.padEnd(34)} ${short(h.args, 160)}`);
  log('\n== local HTTP errors (the bad coupon must be the only 4xx)');
  for (const e of httpErrors) log('  ' + e);
  log('\n== blocked non-local requests');
  for (const b of blocked) log('  ' + b);
  if (!blocked.length) log('  (none)');
  log('\n== console errors/warnings');
  for (const l of consoleLines.filter((x) => /^\[(error|warning)\]/.test(x))) log('  ' + l);

  if (fixturePath) {
    fs.mkdirSync(path.dirname(fixturePath), { recursive: true });
    // The port is random: store the default demo origin so the fixture is stable across runs.
    const text = JSON.stringify(hooks, null, 2).split(base).join('http://127.0.0.1:4400');
    fs.writeFileSync(fixturePath, text + '\n');
    log(`\nwrote ${hooks.length} hooks to ${path.relative(ROOT, fixturePath)}`);
  }
  fs.rmSync(dataDir, { recursive: true, force: true });
  log(failures.length ? `\nprobe: ${failures.length} failure(s)` : '\nprobe: all checks passed');
  process.exitCode = failures.length ? 1 : 0;
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
