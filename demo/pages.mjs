// Server-rendered storefront pages. Each page embeds the full `Salla.init` config as
// JSON (no inline script), including the server-rendered ecommerce events Salla's
// backend puts in `config.events` (each payload an array whose first element is the item).

import { readFileSync } from 'node:fs';
import {
  STORE,
  PRODUCTS,
  CATEGORIES,
  findProduct,
  unitPrice,
  imagePath,
  toEventItem,
  searchProducts,
} from './catalog.mjs';

/**
 * Query params carried across navigation (tracker switches used by tests and benchmarks):
 * tracker=0 (no tracker), wk (write key), fi / bs (flush interval / batch size), wv (0: no web vitals;
 * 1: ask for them on ?channel=snippet), sdk (late: the SDK loads after the tracker; module: the
 * SDK arrives with @salla.sa/twilight-components' module build), sdkDelay, csp=0, channel=snippet
 * (the tracker as a Salla App Snippet, configured by app settings; channel=both: the snippet AND the
 * theme's tracker.js tag on one page, the tracker loaded twice), cookies=1 (Salla's cookie bar is
 * on and the shopper has not chosen yet), ep=same (send to the same-origin /collect instead of the
 * cross-origin collector), ep=<http://127.0.0.1:PORT/…> (send to that local URL, e.g. an engine gateway
 * of test/engines/server.mjs; no write key then unless wk is given).
 */
export const KEPT_PARAMS = [
  'tracker',
  'wk',
  'fi',
  'bs',
  'wv',
  'sdk',
  'sdkDelay',
  'csp',
  'channel',
  'cookies',
  'ep',
  'fbt',
  'bf',
];
export const TRANSLATIONS_HASH = 'demo-2025-1';

const esc = (s) =>
  String(s ?? '').replace(
    /[&<>"']/g,
    (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c],
  );
const money = (n) => `${Number(n).toFixed(2)} ${STORE.currency}`;
const jsonForScript = (v) =>
  JSON.stringify(v)
    .replace(/</g, '\\u003c')
    .replace(/\u2028/g, '\\u2028')
    .replace(/\u2029/g, '\\u2029');

/** "?a=1&b=2" made of the kept params only ('' when none). */
export function keptQuery(query) {
  const out = new URLSearchParams();
  for (const k of KEPT_PARAMS) if (query.has(k)) out.set(k, query.get(k));
  const s = out.toString();
  return s ? '?' + s : '';
}

function link(path, query, extra = {}) {
  const u = new URLSearchParams(keptQuery(query));
  for (const [k, v] of Object.entries(extra)) u.set(k, v);
  const s = u.toString();
  return path + (s ? (path.includes('?') ? '&' : '?') + s : '');
}

function sallaUser(customer) {
  if (!customer) return { type: 'guest', language_code: 'en', currency_code: STORE.currency };
  return {
    id: customer.id,
    type: 'user',
    first_name: customer.first_name,
    last_name: customer.last_name,
    email: customer.email,
    mobile: customer.phone.code + customer.phone.number,
    country_code: customer.phone.country,
    language_code: 'en',
    currency_code: STORE.currency,
    avatar: customer.avatar,
    can_comment: true,
  };
}

/** A query value as an app setting: a number when it is one (Salla's number fields), else the string. */
const settingValue = (v) => (v !== '' && Number.isFinite(Number(v)) ? Number(v) : v);

/** ?channel=snippet or ?channel=both: the page carries the App Snippet (and the store's app settings). */
const hasSnippet = (q) => q.get('channel') === 'snippet' || q.get('channel') === 'both';

/**
 * The merchant's public app settings (`config.app`, read by `salla.config.get('app.<key>')`), on
 * ?channel=snippet (and ?channel=both) pages: where a snippet's tracker gets its endpoint and write key.
 */
function appSettings(ctx) {
  const q = ctx.query;
  if (!hasSnippet(q) || q.get('tracker') === '0') return undefined;
  const app = {
    tracker_endpoint: endpointFor(ctx, true),
  };
  const wk = writeKeyFor(q);
  if (wk) app.tracker_write_key = wk;
  if (q.has('bs')) app.tracker_batch_size = settingValue(q.get('bs'));
  if (q.has('fi')) app.tracker_flush_interval = settingValue(q.get('fi'));
  if (q.get('wv') === '0') app.tracker_web_vitals = false;
  return app;
}

/** `?ep=` when it is an http URL on 127.0.0.1 (a local gateway), else undefined. */
function localEndpoint(query) {
  const ep = query.get('ep');
  if (!ep || !ep.startsWith('http://127.0.0.1')) return undefined;
  try {
    const u = new URL(ep);
    return u.protocol === 'http:' && u.hostname === '127.0.0.1' ? u.href : undefined;
  } catch {
    return undefined;
  }
}

/** The write key pages configure: ?wk=, else `demo`, but none for a local ?ep=<url> without ?wk=. */
const writeKeyFor = (query) => query.get('wk') || (localEndpoint(query) ? '' : 'demo');

/**
 * The endpoint pages send to: the cross-origin collector, the same-origin /collect with ?ep=same, or
 * the local URL of ?ep=<http://127.0.0.1:PORT/…>.
 */
function endpointFor(ctx, absolute = false) {
  const local = localEndpoint(ctx.query);
  if (local) return local;
  if (ctx.query.get('ep') === 'same' || !ctx.collectorOrigin)
    return (absolute ? ctx.origin : '') + '/collect';
  return ctx.collectorOrigin + '/collect';
}

/** The full config for `Salla.init` (no `jitsu`: Salla's own analytics engine stays off). */
function sallaConfig({ origin, customer, page, events, features = [], app, fbt = false }) {
  const config = {
    debug: false,
    store: {
      id: STORE.id,
      name: STORE.name,
      username: 'twilight-demo',
      url: origin,
      api: origin + '/api/v1/',
      logo: origin + '/assets/img/logo.svg',
      currencies: [STORE.currency],
      default_currency: STORE.currency,
      features,
      settings: {
        product: { bought_together: fbt, filters: false },
        cart: { basket_gap: false },
        content_copyright: false,
      },
    },
    theme: {
      name: 'twilight-demo',
      version: '1.0.0',
      mode: 'live',
      translations_hash: TRANSLATIONS_HASH,
      color: { primary: '#4b3f72', reverse: '#ffffff' },
      settings: {},
      assets: origin + '/assets/:path',
    },
    user: sallaUser(customer),
    currencies: { SAR: { code: 'SAR', name: 'Saudi Riyal', symbol: 'SAR', amount: 1, country_code: 'sa' } },
    languages: [
      { code: 'en', iso_code: 'en', name: 'English', url: origin + '/', is_rtl: false, rtl: false },
    ],
    page,
    login: { url: origin + '/accounts' },
    events: events || {},
  };
  if (app) config.app = app;
  return config;
}

/**
 * The page's scripts, in the order each loading style puts them:
 * - default: the SDK (UMD), boot.js (`Salla.init`), storefront.js, then panel.js and an async tracker.js
 *   with data attributes (endpoint: the cross-origin collector).
 * - ?sdk=late: tracker.js first; boot.js loads the SDK itself after sdkDelay ms.
 * - ?sdk=module: panel.js and a classic tracker.js first, then boot.js (waits for `salla::created`) and
 *   storefront.js; the SDK comes last, with @salla.sa/twilight-components' module build (a module
 *   script runs after every classic one), which defines Salla and fires `salla::created`; boot.js then
 *   dispatches `twilight::init` with the config, and the SDK inits.
 * - ?channel=snippet: no tracker.js tag; a plain `<script src="/assets/snippet.js">` (the App Snippet,
 *   built by bin/snippet.mjs) right before `</body>`, after everything else, as Salla injects snippets.
 * - ?channel=both: the theme's tracker.js tag where the loading style puts it AND the App Snippet last
 *   (a store whose theme and app both ship the tracker).
 * - ?cookies=1: cookies-bar.js (the demo's stand-in for `salla-cookies-bar`).
 */
function scriptTags(ctx) {
  const query = ctx.query;
  const noTracker = query.get('tracker') === '0';
  const sdk = query.get('sdk');
  const snippet = hasSnippet(query);
  const themeTag = query.get('channel') !== 'snippet';
  const wk = writeKeyFor(query);
  const attrs = [
    `data-endpoint="${esc(endpointFor(ctx))}"`,
    ...(wk ? [`data-write-key="${esc(wk)}"`] : []),
    `data-debug="true"`,
  ];
  if (query.has('fi')) attrs.push(`data-flush-interval="${esc(query.get('fi'))}"`);
  if (query.has('bs')) attrs.push(`data-batch-size="${esc(query.get('bs'))}"`);
  if (query.get('wv') === '0') attrs.push('data-web-vitals="false"');
  const panel = noTracker ? [] : ['<script src="/assets/panel.js"></script>'];
  // A module SDK must find the tracker already there: a classic (not async) tag runs before it for sure.
  const trackerTag = (isAsync) =>
    noTracker || !themeTag
      ? []
      : [`<script ${isAsync ? 'async ' : ''}src="/assets/tracker.js" ${attrs.join(' ')}></script>`];
  const cookies = query.get('cookies') === '1' ? ['<script src="/assets/cookies-bar.js"></script>'] : [];
  const snippetTag =
    noTracker || !snippet
      ? []
      : [`<script src="/assets/snippet.js${query.get('wv') === '1' ? '?vitals=1' : ''}"></script>`];
  if (sdk === 'late') {
    // boot.js loads /assets/twilight.min.js itself, after the tracker has had its chance to run.
    const delay =
      Number(query.get('sdkDelay')) >= 0 && query.has('sdkDelay') ? Number(query.get('sdkDelay')) : 300;
    return [
      ...panel,
      ...trackerTag(true),
      `<script src="/assets/boot.js" data-sdk-late="${delay}"></script>`,
      '<script src="/assets/storefront.js"></script>',
      ...cookies,
      ...snippetTag,
    ].join('\n');
  }
  if (sdk === 'module') {
    return [
      ...panel,
      ...trackerTag(false),
      '<script src="/assets/boot.js" data-sdk-module="salla::created"></script>',
      '<script src="/assets/storefront.js"></script>',
      ...cookies,
      '<script type="module" src="/assets/twilight-components/twilight.esm.js"></script>',
      ...snippetTag,
    ].join('\n');
  }
  return [
    '<script src="/assets/twilight.min.js"></script>',
    '<script src="/assets/boot.js"></script>',
    '<script src="/assets/storefront.js"></script>',
    ...cookies,
    ...panel,
    ...trackerTag(true),
    ...snippetTag,
  ].join('\n');
}

/** The demo's cookie bar (?cookies=1); cookies-bar.js shows it until the shopper has chosen. */
function cookieBar(query) {
  if (query.get('cookies') !== '1') return '';
  return `<div id="cookie-bar" class="cookie-bar" role="dialog" aria-label="Cookies" hidden>
  <p>This store uses cookies for analytics. Allow them?</p>
  <button type="button" data-cookies="accepted">Accept</button>
  <button type="button" class="secondary" data-cookies="rejected">Reject</button>
</div>
`;
}

function layout({ ctx, customer, cartCount, page, title, events, body }) {
  const q = ctx.query;
  const config = sallaConfig({
    origin: ctx.origin,
    customer,
    page,
    events,
    // Salla's cookie bar is on for the store ("website-cookies"): consent waits for the shopper's choice.
    features: q.get('cookies') === '1' ? ['website-cookies'] : [],
    app: appSettings(ctx),
    // The frequently-bought-together widget on product pages (?fbt=1).
    fbt: q.get('fbt') === '1',
  });
  const hidden = [...KEPT_PARAMS]
    .filter((k) => q.has(k))
    .map((k) => `<input type="hidden" name="${k}" value="${esc(q.get(k))}">`)
    .join('');
  return `<!doctype html>
<html lang="en" dir="ltr">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${esc(title)} · ${esc(STORE.name)}</title>
<link rel="icon" href="/assets/img/logo.svg">
<link rel="stylesheet" href="/assets/styles.css">${q.get('tracker') === '0' ? '' : '\n<link rel="stylesheet" href="/assets/panel.css">'}
</head>
<body data-page="${esc(page.slug)}">
<header class="site-header">
  <a class="brand" href="${link('/', q)}"><img src="/assets/img/logo.svg" alt="" width="28" height="28"> ${esc(STORE.name)}</a>
  <form class="search" id="search-form" action="/search" method="get" role="search">
    <input id="search-input" name="q" type="search" placeholder="Search coffee, tea…" autocomplete="off" value="${esc(page.slug === 'product.index.search' ? q.get('q') || '' : '')}">${hidden}
    <button type="submit">Search</button>
    <button type="button" id="search-live" data-action="search">Quick search</button>
    <ul id="search-results" class="search-results" hidden></ul>
  </form>
  <nav class="nav">
    <a href="${link('/', q)}" data-nav="index">Home</a>
    <a href="${link('/wishlist', q)}" data-nav="customer.wishlist">Wishlist</a>
    <a href="${link('/account', q)}" data-nav="customer.profile" id="nav-account">${customer ? esc(customer.first_name) : 'Sign in'}</a>
    <a href="${link('/cart', q)}" data-nav="cart">Cart (<span id="cart-count">${cartCount}</span>)</a>
    <a href="/collector" class="muted">Collector</a>
  </nav>
</header>
<main id="main">
${body}
</main>
<p id="action-status" class="action-status" role="status" aria-live="polite"></p>
<div id="toast" class="toast" role="alert" hidden></div>
<div id="tt-panel"></div>
${cookieBar(q)}<script type="application/json" id="salla-config">${jsonForScript(config)}</script>
${scriptTags(ctx)}
</body>
</html>
`;
}

/** The demo's "frequently bought together" products of `p`: the two after it in the catalog. */
function boughtWith(p) {
  const i = PRODUCTS.indexOf(p);
  return [1, 2].map((k) => PRODUCTS[(i + k) % PRODUCTS.length].id);
}

function productCard(p, q) {
  const onSale = p.sale_price > 0;
  return `<li class="card" data-product-card="${p.id}">
  <a href="${link(`/p/${p.id}`, q)}" class="card-link"><img src="${imagePath(p)}" alt="" width="160" height="120"><span class="card-name">${esc(p.name)}</span></a>
  <span class="price">${money(unitPrice(p))}${onSale ? ` <s>${money(p.price)}</s>` : ''}</span>
  <span class="muted">${esc(CATEGORIES[p.category_id])} · ${esc(p.brand)}</span>
  <span class="actions">
    <button type="button" data-action="add" data-product="${p.id}">Add to cart</button>
    <button type="button" class="secondary" data-action="wishlist-add" data-product="${p.id}">♡ Wishlist</button>
  </span>
</li>`;
}

export function createPages({ store }) {
  function common(ctx) {
    const s = store.session(ctx.sid);
    const cart = store.cartSummaryFor(ctx.sid, ctx.origin);
    return { customer: s.customer, cart, cartCount: cart ? cart.count : 0 };
  }

  function home(ctx) {
    const c = common(ctx);
    const body = `<h1>Fresh coffee &amp; tea</h1>
<p class="muted">Demo storefront running the real Twilight SDK against a local fake of Salla's store API.</p>
<ul class="grid" id="product-list" data-list-source="latest" data-request-id="demo-latest-1">${PRODUCTS.map((p) => productCard(p, ctx.query)).join('')}</ul>`;
    return layout({ ctx, ...c, title: 'Home', page: { slug: 'index', id: null, title: STORE.name }, body });
  }

  function product(ctx, id) {
    const p = findProduct(id);
    if (!p) return null;
    const c = common(ctx);
    const item = toEventItem(p, ctx.origin, { quantity: 1 });
    const body = `<article class="product" data-product-id="${p.id}">
  <img src="${imagePath(p)}" alt="" width="320" height="240">
  <div>
    <p class="muted">${esc(CATEGORIES[p.category_id])} · ${esc(p.brand)} · SKU ${esc(p.sku)}</p>
    <h1>${esc(p.name)}</h1>
    <p class="price">${money(unitPrice(p))}${p.sale_price > 0 ? ` <s>${money(p.price)}</s>` : ''}</p>
    <p>${esc(p.description)}</p>
    <label>Quantity <input type="number" min="1" max="${p.stock}" value="1" id="qty" data-qty-for="${p.id}"></label>
    <p class="actions">
      <button type="button" data-action="add" data-product="${p.id}">Add to cart</button>
      <button type="button" class="secondary" data-action="wishlist-add" data-product="${p.id}">♡ Add to wishlist</button>
      <button type="button" class="secondary" data-action="wishlist-remove" data-product="${p.id}">Remove from wishlist</button>
    </p>
    <p class="muted" data-bought-together="${boughtWith(p).join(',')}"></p>
  </div>
</article>`;
    return layout({
      ctx,
      ...c,
      title: p.name,
      page: { slug: 'product.single', id: p.id, title: `${CATEGORIES[p.category_id]}|${p.name}` },
      events: { 'Product Viewed': [item] },
      body,
    });
  }

  function cartRows(cart) {
    if (!cart || cart.items.length === 0)
      return '<tr class="empty"><td colspan="5">Your cart is empty.</td></tr>';
    return cart.items
      .map(
        (it) => `<tr data-item-row="${it.id}">
  <td>${esc(it.name)}</td>
  <td>${money(it.price)}</td>
  <td><input type="number" min="1" value="${it.quantity}" data-qty-item="${it.id}" aria-label="Quantity"> <button type="button" class="secondary" data-action="update" data-item="${it.id}">Update</button></td>
  <td data-item-total>${money(it.total)}</td>
  <td><button type="button" class="danger" data-action="remove" data-item="${it.id}" data-product="${it.product_id}">Remove</button></td>
</tr>`,
      )
      .join('');
  }

  function cartPage(ctx) {
    const c = common(ctx);
    const cart = c.cart;
    const body = `<h1>Cart</h1>
<table class="cart" id="cart-table"><thead><tr><th>Product</th><th>Price</th><th>Quantity</th><th>Total</th><th></th></tr></thead>
<tbody id="cart-items">${cartRows(cart)}</tbody></table>
<div class="cart-side">
  <form id="coupon-form" class="coupon">
    <label>Coupon <input id="coupon-code" name="coupon" placeholder="SAVE10" autocomplete="off"></label>
    <button type="submit" data-action="coupon-add">Apply</button>
    <button type="button" class="secondary" data-action="coupon-remove">Remove coupon</button>
  </form>
  <dl class="totals" id="cart-totals">
    <dt>Subtotal</dt><dd id="cart-subtotal">${money(cart ? cart.sub_total : 0)}</dd>
    <dt>Discount</dt><dd id="cart-discount">${money(cart ? cart.discount : 0)}</dd>
    <dt>Shipping</dt><dd id="cart-shipping">${money(cart ? cart.real_shipping_cost : 0)}</dd>
    <dt>Total</dt><dd id="cart-total">${money(cart ? cart.total : 0)}</dd>
    <dt>Coupon</dt><dd id="cart-coupon">${esc(cart && cart.coupon ? cart.coupon : '—')}</dd>
  </dl>
  <a class="button" id="checkout" href="${link('/checkout', ctx.query)}">Checkout</a>
</div>`;
    return layout({
      ctx,
      ...c,
      title: 'Cart',
      page: { slug: 'cart', id: cart ? cart.id : null, title: 'Cart' },
      events: { 'Cart Viewed': [store.cartViewedItem(ctx.sid, ctx.origin)] },
      body,
    });
  }

  function account(ctx) {
    const c = common(ctx);
    const u = c.customer;
    const body = `<h1>Account</h1>
<section id="login-section" class="panel-box"${u ? ' hidden' : ''}>
  <h2>Sign in with your mobile</h2>
  <p class="muted">Known customer: 501234567 (Sara). The code is always 1234.</p>
  <label>Mobile (+966) <input id="login-mobile" inputmode="tel" value="501234567"></label>
  <button type="button" id="login-send" data-action="login-send">Send code</button>
  <label>Code <input id="login-code" inputmode="numeric" value="" placeholder="1234"></label>
  <button type="button" id="login-verify" data-action="login-verify">Verify</button>
</section>
<section id="profile-section" class="panel-box"${u ? '' : ' hidden'}>
  <h2>Profile</h2>
  <label>First name <input id="profile-first-name" value="${esc(u ? u.first_name : '')}"></label>
  <label>Last name <input id="profile-last-name" value="${esc(u ? u.last_name : '')}"></label>
  <label>Email <input id="profile-email" type="email" value="${esc(u ? u.email : '')}"></label>
  <button type="button" id="profile-save" data-action="profile-update">Save profile</button>
  <button type="button" id="logout" class="danger" data-action="logout">Sign out</button>
</section>`;
    return layout({
      ctx,
      ...c,
      title: 'Account',
      page: { slug: 'customer.profile', id: u ? u.id : null, title: 'Account' },
      body,
    });
  }

  function wishlist(ctx) {
    const c = common(ctx);
    const items = store.wishlistFor(ctx.sid);
    const body = `<h1>Wishlist</h1>
${c.customer ? '' : '<p class="muted">Sign in to keep a wishlist.</p>'}
<ul class="grid" id="wishlist-items">${items.map((p) => productCard(p, ctx.query).replace('data-action="wishlist-add"', 'data-action="wishlist-remove"').replace('♡ Wishlist', 'Remove')).join('') || '<li class="muted">Nothing here yet.</li>'}</ul>`;
    return layout({
      ctx,
      ...c,
      title: 'Wishlist',
      page: { slug: 'customer.wishlist', id: null, title: 'Wishlist' },
      body,
    });
  }

  function search(ctx) {
    const c = common(ctx);
    const query = ctx.query.get('q') || '';
    const results = searchProducts(query);
    const body = `<h1>Search${query ? `: “${esc(query)}”` : ''}</h1>
<p class="muted">${results.length} result(s)</p>
<ul class="grid" id="search-page-results">${results.map((p) => productCard(p, ctx.query)).join('')}</ul>`;
    return layout({
      ctx,
      ...c,
      title: 'Search',
      page: { slug: 'product.index.search', id: null, title: 'Search' },
      // The analytics engine reads this one as an object ({query, total}), not an array.
      events: query ? { 'Products Searched': { query, total: results.length } } : {},
      body,
    });
  }

  function thankYou(ctx) {
    const c = common(ctx);
    const order = store.orderCompletedItem(ctx.sid, ctx.query.get('order'), ctx.origin);
    const body = `<h1>Thank you!</h1>
<p>Order <strong id="order-id">#${esc(order.order_id)}</strong> is confirmed.</p>
<ul>${order.products.map((p) => `<li>${esc(p.name)} × ${p.quantity} — ${money(p.price * p.quantity)}</li>`).join('')}</ul>
<p>Total: <strong>${money(order.total)}</strong></p>
<p><a href="${link('/', ctx.query)}">Continue shopping</a></p>`;
    return layout({
      ctx,
      ...c,
      title: 'Thank you',
      page: { slug: 'cart.success', id: Number(order.order_id), title: 'Thank you' },
      events: { 'Order Completed': [order] },
      body,
    });
  }

  /** Returns {status, html} or {status, redirect}, or null when the path is not a page. */
  function render(ctx) {
    const { pathname } = ctx;
    let m;
    if (pathname === '/' || pathname === '/index.html') return { status: 200, html: home(ctx) };
    if ((m = /^\/p\/(\d+)\/?$/.exec(pathname))) {
      const html = product(ctx, m[1]);
      return html ? { status: 200, html } : null;
    }
    if (pathname === '/cart') return { status: 200, html: cartPage(ctx) };
    if (pathname === '/account') return { status: 200, html: account(ctx) };
    if (pathname === '/wishlist') return { status: 200, html: wishlist(ctx) };
    if (pathname === '/search') return { status: 200, html: search(ctx) };
    if (pathname === '/thank-you') return { status: 200, html: thankYou(ctx) };
    if (pathname === '/checkout') {
      const id = store.checkout(ctx.sid, ctx.origin);
      return {
        status: 302,
        redirect: id ? link('/thank-you', ctx.query, { order: String(id) }) : link('/cart', ctx.query),
      };
    }
    if (pathname === '/collector') return { status: 200, html: collectorPage() };
    // Bare pages for tests of what a page does with the tracker in code: one with tracker.js and
    // nothing else (no data attributes, no SDK), one with no script at all.
    if (pathname === '/lab/tracker') {
      const file = ctx.query.get('debug') === '1' ? 'tracker.debug.js' : 'tracker.js';
      // ?sri=1 pins the file with the hash `npm run build` wrote to dist/sri.json, as a page that uses SRI would.
      const pin = ctx.query.get('sri') === '1' ? ` integrity="${esc(integrity(file))}"` : '';
      return { status: 200, html: labPage(`<script src="/assets/${file}"${pin}></script>`) };
    }
    if (pathname === '/lab/plain') return { status: 200, html: labPage('') };
    if (pathname === '/accounts/logout') return { status: 200, html: accountsLogoutPage() };
    return null;
  }

  return { render };
}

/** The Subresource Integrity hash of a built file, from dist/sri.json ('' when it is not built). */
function integrity(file) {
  try {
    const all = JSON.parse(readFileSync(new URL('../dist/sri.json', import.meta.url), 'utf8'));
    return typeof all[file] === 'string' ? all[file] : '';
  } catch {
    return '';
  }
}

/** A bare page: a title, and `scripts`. */
function labPage(scripts) {
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Lab</title></head>
<body><p>Lab page</p>${scripts}</body></html>
`;
}

/** The iframe `salla.auth.logout()` opens at `<login.url>/logout`; it answers the SDK's postMessage handshake. */
function accountsLogoutPage() {
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Signing out</title></head>
<body><script src="/assets/accounts-logout.js"></script></body></html>
`;
}

function collectorPage() {
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>Collector · twilight-tracker demo</title>
<link rel="stylesheet" href="/assets/styles.css"><link rel="stylesheet" href="/assets/collector.css"></head>
<body class="collector">
<header class="site-header"><a class="brand" href="/">← Storefront</a><h1>Collected events</h1></header>
<main>
  <form id="collector-filter" class="filters">
    <label>writeKey <input id="filter-wk" placeholder="all"></label>
    <label><input type="checkbox" id="filter-invalid"> invalid only</label>
    <button type="button" id="collector-reset" class="danger">Reset</button>
    <span id="collector-stats" class="muted"></span>
  </form>
  <table class="events"><thead><tr><th>Received</th><th>writeKey</th><th>Type</th><th>Event</th><th>Properties</th><th>Valid</th></tr></thead>
  <tbody id="collector-rows"></tbody></table>
</main>
<script src="/assets/collector-view.js"></script>
</body></html>
`;
}

/** `window.translations` for `<store.url>/languages/assets/<hash>.js`, the keys the SDK itself uses. */
export function translationsScript() {
  const en = {
    common: {
      messages: { must_login: 'Please sign in first', error: 'Something went wrong' },
      elements: { ok: 'OK', cancel: 'Cancel' },
    },
    pages: {
      checkout: { try_again: 'Please try again' },
      products: { quick_edit: 'Quick edit' },
      cart: { empty_cart: 'Your cart is empty' },
    },
    blocks: { header: { preview_mode: 'Preview mode' } },
  };
  return `window.translations = ${JSON.stringify({ 'en.trans': en })};\n`;
}
