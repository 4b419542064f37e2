// In-memory fake of Salla's store API: every request the Twilight SDK makes for
// the demo's actions, with bodies shaped like the SDK's types (types/api/*) and the
// `data.events` Salla's backend attaches, so the SDK fires its hooks as on a real store.
// State is per visitor (session cookie, see server.mjs): cart, coupon, signed-in customer.
// Handlers return {status, json, headers?, redirect?}; server.mjs writes the response.

import {
  STORE,
  PRODUCTS,
  findProduct,
  unitPrice,
  toApiProduct,
  toEventItem,
  searchProducts,
} from './catalog.mjs';

export const OTP_CODE = '1234';
export const COUPONS = Object.freeze({ SAVE10: { percent: 10, name: 'Save 10%' } });
export const CUSTOMER = Object.freeze({
  id: 501,
  first_name: 'Sara',
  last_name: 'Ali',
  email: 'sara@example.com',
  phone: { code: '+966', number: '501234567', country: 'SA' },
  avatar: null,
  gender: 'female',
  birthday: '1995-04-12',
  currency: 'SAR',
  language: 'en',
});
const SHIPPING_COST = 15;
const FREE_SHIPPING_MIN = 200;
/** Products per page of `GET products` (small, so the six-product catalogue has a page 2 to scroll to). */
export const PAGE_SIZE = 4;
/** The store's markets (`salla.scope.change({id})`); the country/currency/language codes Salla's engine reads. */
export const SCOPES = Object.freeze([
  {
    id: 6,
    name: 'Saudi Arabia',
    type: 'market',
    countries: ['SA'],
    currencies: ['SAR'],
    languages: ['ar', 'en'],
  },
  { id: 7, name: 'UAE', type: 'market', countries: ['AE'], currencies: ['AED'], languages: ['ar'] },
]);
/**
 * Special offers, as <salla-offer> lists them (`GET offers`, `offers/product/{id}`:
 * {id, title, description, type, details}). Offer 55 also has the <salla-offer-modal> shape
 * (`GET products/{id}/specialoffer`: {id, name, message, get, buy}) and is announced by adding its
 * product to the cart (`data.offer`, CartUpdatedData.offer: OfferSummary {id, product_id}).
 */
export const OFFERS = Object.freeze([
  {
    id: 55,
    title: 'Tea offer',
    description: '',
    message: 'Buy 2 get 1',
    type: 'buy_x_get_y',
    details: {
      buy: { source: 'products', source_value: [104], quantity: 2 },
      get: { source: 'products', source_value: [103], quantity: 1, discount_type: 'free-product' },
    },
  },
  {
    id: 56,
    title: 'Beans offer',
    description: '10% off',
    message: '10% off',
    type: 'percentage',
    details: { apply_to: 'products', targets: [101, 102], discount: 10 },
  },
]);

const ok = (data, extra = {}) => ({ status: 200, json: { status: 200, success: true, data, ...extra } });
const fail = (status, message, code = 'error', fields = undefined) => ({
  status,
  json: { status, success: false, error: { message, code, ...(fields ? { fields } : {}) } },
});
const round2 = (n) => Math.round(n * 100) / 100;
const digits = (s) => String(s ?? '').replace(/\D/g, '');
/** The products an offer's buy side or targets are about. */
const offerProducts = (o) => o.details.targets || o.details.buy?.source_value || [];
/** <salla-offer>'s list entry (the modal's `message` is not part of it). */
const offerListItem = ({ message: _message, ...o }) => structuredClone(o);

/** `filters[brand_id][]=1`, `filters[price][min]=10` … of a products query, as {brand_id: ['1'], price: {min: '10'}}. */
function queryFilters(q) {
  const out = {};
  q.forEach((value, key) => {
    const m = /^filters\[([^\]]+)\](?:\[([^\]]*)\])?$/.exec(key);
    if (!m) return;
    if (m[2] === undefined) out[m[1]] = value;
    else if (m[2] === '' || /^\d+$/.test(m[2])) (out[m[1]] = [].concat(out[m[1]] || [])).push(value);
    else (out[m[1]] = typeof out[m[1]] === 'object' ? out[m[1]] : {})[m[2]] = value;
  });
  return out;
}
const SORTS = {
  priceFromLowToTop: (a, b) => unitPrice(a) - unitPrice(b),
  priceFromTopToLow: (a, b) => unitPrice(b) - unitPrice(a),
};

/** base64url JSON, for a JWT the SDK can decode (it never verifies the signature). */
function b64url(obj) {
  return Buffer.from(JSON.stringify(obj)).toString('base64url');
}
function makeToken(customerId) {
  const now = Math.floor(Date.now() / 1000);
  return [
    b64url({ alg: 'HS256', typ: 'JWT' }),
    b64url({ sub: customerId, iat: now, exp: now + 24 * 3600, iss: 'twilight-tracker-demo' }),
    'demo-signature',
  ].join('.');
}

export function createStoreApi() {
  const sessions = new Map(); // sid -> {sid, cartId, customer, orders: Map}
  const carts = new Map(); // cartId -> {id, sid, items: [{id, product_id, quantity}], coupon}
  const wishlists = new Map(); // customerId -> Set<productId>
  const registered = new Map(); // phone digits -> customer signed up with salla.auth.register()
  let nextCartId = 70001;
  let nextCustomerId = 601;
  let nextItemId = 900001;
  let nextOrderId = 300001;

  function session(sid) {
    if (!sessions.has(sid)) sessions.set(sid, { sid, cartId: null, customer: null, orders: new Map() });
    return sessions.get(sid);
  }

  function cartFor(s, create = true) {
    if (s.cartId && carts.has(s.cartId)) return carts.get(s.cartId);
    if (!create) return null;
    const cart = { id: nextCartId++, sid: s.sid, items: [], coupon: null };
    carts.set(cart.id, cart);
    s.cartId = cart.id;
    return cart;
  }

  function wishlistOf(customer) {
    if (!wishlists.has(customer.id)) wishlists.set(customer.id, new Set());
    return wishlists.get(customer.id);
  }

  function totals(cart) {
    const subTotal = round2(
      cart.items.reduce((sum, it) => sum + unitPrice(findProduct(it.product_id)) * it.quantity, 0),
    );
    const coupon = cart.coupon && COUPONS[cart.coupon];
    const discount = coupon ? round2((subTotal * coupon.percent) / 100) : 0;
    const count = cart.items.reduce((n, it) => n + it.quantity, 0);
    const hasFree = subTotal - discount >= FREE_SHIPPING_MIN;
    const shipping = count === 0 || hasFree ? 0 : SHIPPING_COST;
    const taxable = subTotal - discount;
    const tax = round2((taxable * 0.15) / 1.15); // prices include 15% VAT
    return { subTotal, discount, count, shipping, hasFree, tax, total: round2(taxable + shipping) };
  }

  /** CartSummary (types/api/cart/response.d.ts) plus the fields the SDK reads (coupon, tax_amount, total_discount). */
  function cartSummary(cart, s, origin) {
    const t = totals(cart);
    return {
      id: cart.id,
      user_id: s.customer ? s.customer.id : null,
      store_id: STORE.id,
      currency: STORE.currency,
      sub_total: t.subTotal,
      discount: t.discount,
      total_discount: t.discount,
      tax_amount: t.tax,
      real_shipping_cost: t.shipping,
      total: t.total,
      count: t.count,
      coupon: cart.coupon || null,
      free_shipping_bar: {
        minimum_amount: FREE_SHIPPING_MIN,
        has_free_shipping: t.hasFree,
        percent: Math.min(100, Math.round(((t.subTotal - t.discount) / FREE_SHIPPING_MIN) * 100)),
        remaining: Math.max(0, round2(FREE_SHIPPING_MIN - (t.subTotal - t.discount))),
      },
      items: cart.items.map((it) => cartItem(it, origin)),
    };
  }

  function cartItem(it, origin) {
    const p = findProduct(it.product_id);
    const price = unitPrice(p);
    return {
      id: it.id,
      product_id: p.id,
      name: p.name,
      sku: p.sku,
      url: origin + `/p/${p.id}`,
      image: toApiProduct(p, origin).image,
      product_price: p.price,
      price,
      special_price: p.sale_price || 0,
      total: round2(price * it.quantity),
      total_special_price: round2((p.sale_price || 0) * it.quantity),
      quantity: it.quantity,
      is_available: true,
      options: [],
    };
  }

  /** The first element of a server-sent cart event payload (`Product Added`, `Product Removed`). */
  function cartEventItem(cart, it, origin, quantity = it.quantity) {
    return toEventItem(findProduct(it.product_id), origin, {
      cart_id: cart.id,
      cart_item_id: it.id,
      quantity,
      coupon: cart.coupon || null,
    });
  }

  /** CartResponse.update: {data: {product_id?, cart, events?}} */
  function cartUpdate(cart, s, origin, extra = {}, events = null) {
    return ok({ ...extra, cart: cartSummary(cart, s, origin), ...(events ? { events } : {}) });
  }

  function resolveCart(s, id) {
    const cart = carts.get(Number(id));
    if (!cart || cart.sid !== s.sid) return null;
    return cart;
  }

  function profileData(customer) {
    return {
      ...customer,
      phone: { ...customer.phone },
      pending_orders: 0,
      notifications: 0,
      is_notifiable: true,
      is_hidden_name: false,
    };
  }

  // ---- routes -------------------------------------------------------------------------------

  /** Web endpoints (under store.url): cart/latest, auth/jwt, auth/refresh, logout. */
  function web(method, path, ctx) {
    const s = session(ctx.sid);
    if (path === '/cart/latest' && method === 'GET')
      return ok({ cart: cartSummary(cartFor(s), s, ctx.origin) });
    if (path === '/auth/jwt') {
      // The SDK calls it after every verify, also one that found no customer (`new_customer`, who signs up next).
      return s.customer || s.verified
        ? ok({ message: null })
        : fail(401, 'Unauthenticated', 'unauthenticated');
    }
    if (path === '/auth/refresh') {
      return s.customer
        ? ok({ token: makeToken(s.customer.id) })
        : fail(401, 'Unauthenticated', 'unauthenticated');
    }
    if (path === '/logout' && method === 'GET') {
      s.customer = null;
      s.verified = null;
      s.cartId = null; // Salla starts a fresh guest cart after sign-out
      // The SDK navigates to `<store.url>/logout?from=twilight`: keep the demo's params from the page it left.
      return { status: 302, redirect: '/' + (ctx.refererKeepQuery || ctx.keepQuery || '') };
    }
    return null;
  }

  /** Store API under /api/v1/ (`path` is relative, without a leading slash). */
  function api(method, path, ctx) {
    const s = session(ctx.sid);
    const body = ctx.body || {};
    const origin = ctx.origin;
    let m;
    // The SDK tunnels PUT through POST with `_method`.
    if (method === 'POST' && typeof body._method === 'string') method = body._method.toUpperCase();

    if (path === 'store/settings' && method === 'GET')
      return ok({ store: { id: STORE.id, name: STORE.name, url: origin, api: origin + '/api/v1/' } });
    if (path === 'languages' && method === 'GET')
      return ok([{ code: 'en', iso_code: 'en', name: 'English', is_rtl: false }]);
    if (path === 'currencies' && method === 'GET')
      return ok([{ code: 'SAR', name: 'Saudi Riyal', symbol: 'SAR', amount: 1 }]);
    if (path === 'cart/latest' && method === 'GET') return ok({ cart: cartSummary(cartFor(s), s, origin) });

    // ---- cart ----
    if ((m = /^cart\/(\d+)$/.exec(path)) && method === 'GET') {
      const cart = resolveCart(s, m[1]);
      return cart ? ok({ cart: cartSummary(cart, s, origin) }) : fail(404, 'Cart not available', 'not_found');
    }
    if ((m = /^cart\/(\d+)\/item\/(\d+)\/(add|quick-add)$/.exec(path)) && method === 'POST') {
      const cart = resolveCart(s, m[1]);
      if (!cart) return fail(404, 'Cart not available', 'not_found');
      const p = findProduct(m[2]);
      if (!p)
        return fail(422, 'The product is not available', 'validation', {
          id: ['The product does not exist'],
        });
      const qty = Math.max(1, parseInt(body.quantity, 10) || 1);
      let it = cart.items.find((i) => i.product_id === p.id);
      if (it && it.quantity + qty > p.stock)
        return fail(422, 'The requested quantity is not available', 'validation', {
          quantity: [`Only ${p.stock} left`],
        });
      if (it) it.quantity += qty;
      else cart.items.push((it = { id: nextItemId++, product_id: p.id, quantity: qty }));
      const events = { 'Product Added': [cartEventItem(cart, it, origin, qty)] };
      // CartUpdatedData.offer: the SDK announces it as product::offer.existed (<salla-offer-modal> opens).
      const offer = OFFERS.find((o) => o.details.buy?.source_value.includes(p.id));
      return cartUpdate(
        cart,
        s,
        origin,
        {
          message: 'Added to cart',
          product_id: p.id,
          item_id: it.id,
          ...(offer ? { offer: { id: offer.id, product_id: p.id } } : {}),
        },
        events,
      );
    }
    if ((m = /^cart\/(\d+)\/item\/(\d+)$/.exec(path)) && (method === 'PUT' || method === 'DELETE')) {
      const cart = resolveCart(s, m[1]);
      if (!cart) return fail(404, 'Cart not available', 'not_found');
      const idx = cart.items.findIndex((i) => i.id === Number(m[2]));
      if (idx < 0) return fail(404, 'The item is not in the cart', 'not_found');
      const it = cart.items[idx];
      if (method === 'DELETE') {
        cart.items.splice(idx, 1);
        const events = { 'Product Removed': [cartEventItem(cart, it, origin)] };
        return cartUpdate(
          cart,
          s,
          origin,
          { message: 'Removed from cart', product_id: it.product_id },
          events,
        );
      }
      const qty = parseInt(body.quantity, 10);
      const p = findProduct(it.product_id);
      if (!(qty >= 1))
        return fail(422, 'The quantity must be at least 1', 'validation', {
          quantity: ['The quantity must be at least 1'],
        });
      if (qty > p.stock)
        return fail(422, 'The requested quantity is not available', 'validation', {
          quantity: [`Only ${p.stock} left`],
        });
      const delta = qty - it.quantity;
      it.quantity = qty;
      // Salla's backend reports a quantity change as the matching add/remove event.
      const events =
        delta > 0
          ? { 'Product Added': [cartEventItem(cart, it, origin, delta)] }
          : delta < 0
            ? { 'Product Removed': [cartEventItem(cart, it, origin, -delta)] }
            : null;
      return cartUpdate(cart, s, origin, { message: 'Cart updated', product_id: it.product_id }, events);
    }
    if ((m = /^cart\/(\d+)\/coupon(?:\/([^/]+))?$/.exec(path))) {
      const cart = resolveCart(s, m[1]);
      if (!cart) return fail(404, 'Cart not available', 'not_found');
      if (method === 'POST' && !m[2]) {
        const code = String(body.coupon || '')
          .trim()
          .toUpperCase();
        if (!COUPONS[code]) {
          return fail(400, 'The coupon is invalid or expired', 'coupon_invalid', {
            coupon: ['The coupon is invalid or expired'],
          });
        }
        if (cart.items.length === 0)
          return fail(400, 'Add products before using a coupon', 'coupon_invalid', {
            coupon: ['The cart is empty'],
          });
        cart.coupon = code;
        return cartUpdate(cart, s, origin, { message: 'Coupon applied' });
      }
      if (method === 'PUT' || method === 'DELETE') {
        cart.coupon = null;
        return cartUpdate(cart, s, origin, { message: 'Coupon removed' }, null);
      }
    }
    if ((m = /^cart\/(\d+)\/assign$/.exec(path)) && method === 'POST') {
      const cart = resolveCart(s, m[1]);
      if (!cart) return fail(404, 'Cart not available', 'not_found');
      return ok({ cart_id: cart.id });
    }
    if ((m = /^cart\/(\d+)\/status$/.exec(path)) && method === 'GET') {
      const cart = resolveCart(s, m[1]);
      if (!cart) return fail(404, 'Cart not available', 'not_found');
      return ok({
        active: true,
        next_step: { to: 'checkout', url: origin + '/checkout' + (ctx.keepQuery || '') },
      });
    }
    if ((m = /^offers\/cart\/(\d+)$/.exec(path)) && method === 'GET') return ok([]);

    // ---- products ----
    // salla.product.fetch() and <salla-products-list>'s infinite scroll: source, filters[…], sort, page.
    if (path === 'products' && method === 'GET') {
      const q = ctx.query;
      const source = q.get('source');
      let list = PRODUCTS;
      if (source === 'search') list = searchProducts(q.get('source_value'));
      else if (source === 'categories') {
        const ids = q.getAll('source_value[]').concat(q.getAll('source_value')).map(Number);
        list = PRODUCTS.filter((p) => ids.includes(p.category_id));
      } else if (source === 'selected') {
        const ids = q.getAll('source_value[]').concat(q.getAll('source_value')).map(Number);
        list = PRODUCTS.filter((p) => ids.includes(p.id));
      }
      const f = queryFilters(q);
      const any = (v) => [].concat(v).map(Number);
      if (f.brand_id) list = list.filter((p) => any(f.brand_id).includes(toApiProduct(p, origin).brand.id));
      if (f.category_id) list = list.filter((p) => any(f.category_id).includes(p.category_id));
      if (f.price && typeof f.price === 'object') {
        const min = Number(f.price.min) || 0;
        const max = Number(f.price.max) || Infinity;
        list = list.filter((p) => unitPrice(p) >= min && unitPrice(p) <= max);
      }
      if (SORTS[q.get('sort')]) list = [...list].sort(SORTS[q.get('sort')]);
      const perPage = Math.min(32, parseInt(q.get('per_page'), 10) || PAGE_SIZE);
      const current = Math.max(1, parseInt(q.get('page'), 10) || 1);
      const pageUrl = (n) => {
        const u = new URL(ctx.url, origin);
        u.searchParams.set('page', String(n));
        return origin + u.pathname + u.search;
      };
      const last = Math.max(1, Math.ceil(list.length / perPage));
      const items = list.slice((current - 1) * perPage, current * perPage);
      return {
        status: 200,
        headers: { 's-request-id': 'req-' + Date.now().toString(36) },
        json: {
          status: 200,
          success: true,
          data: items.map((p) => toApiProduct(p, origin)),
          cursor: {
            current,
            previous: current > 1 ? pageUrl(current - 1) : null,
            next: current < last ? pageUrl(current + 1) : null,
            count: items.length,
          },
          filters: [],
        },
      };
    }
    if (path === 'products/search' && method === 'GET') {
      const query = ctx.query.get('query') || '';
      const list = searchProducts(query);
      return {
        status: 200,
        json: {
          status: 200,
          success: true,
          data: list.map((p) => toApiProduct(p, origin)),
          cursor: { current: 1, previous: null, next: null, count: list.length },
        },
      };
    }
    if ((m = /^products\/(\d+)\/details$/.exec(path)) && method === 'GET') {
      const p = findProduct(m[1]);
      return p ? ok(toApiProduct(p, origin)) : fail(404, 'Product not found', 'not_found');
    }

    // ---- offers: <salla-offer> (`offers`, `offers/product/{id}`), <salla-offer-modal> (`specialoffer`) ----
    if (path === 'offers' && method === 'GET') return ok(OFFERS.map(offerListItem));
    if ((m = /^offers\/product\/(\d+)$/.exec(path)) && method === 'GET')
      return ok(OFFERS.filter((o) => offerProducts(o).includes(Number(m[1]))).map(offerListItem));
    if ((m = /^products\/(\d+)\/specialoffer$/.exec(path)) && method === 'GET') {
      const id = Number(m[1]);
      return ok(
        OFFERS.filter((o) => o.details.buy?.source_value.includes(id)).map((o) => ({
          id: o.id,
          name: o.title,
          message: o.message,
          type: o.type,
          buy: {
            quantity: o.details.buy.quantity,
            products: o.details.buy.source_value.map((pid) => toApiProduct(findProduct(pid), origin)),
          },
          get: {
            quantity: o.details.get.quantity,
            products: o.details.get.source_value.map((pid) => toApiProduct(findProduct(pid), origin)),
          },
        })),
      );
    }

    // ---- wishlist (customers only) ----
    if (path === 'products/favorites' && method === 'GET') {
      if (!s.customer) return fail(401, 'Unauthenticated', 'unauthenticated');
      return ok([...wishlistOf(s.customer)].map((id) => toApiProduct(findProduct(id), origin)));
    }
    if ((m = /^products\/favorites\/(\d+)$/.exec(path)) && (method === 'POST' || method === 'DELETE')) {
      if (!s.customer) return fail(401, 'Unauthenticated', 'unauthenticated');
      const p = findProduct(m[1]);
      if (!p) return fail(404, 'Product not found', 'not_found');
      const list = wishlistOf(s.customer);
      if (method === 'POST') list.add(p.id);
      else list.delete(p.id);
      return ok({
        message: method === 'POST' ? 'Added to wishlist' : 'Removed from wishlist',
        product: toApiProduct(p, origin),
      });
    }

    // ---- auth ----
    if ((m = /^auth\/(mobile|email)\/send_verification$/.exec(path)) && method === 'POST') {
      if (m[1] === 'mobile' && !digits(body.phone))
        return fail(422, 'The phone field is required', 'validation', {
          phone: ['The phone field is required'],
        });
      if (m[1] === 'email' && !body.email)
        return fail(422, 'The email field is required', 'validation', {
          email: ['The email field is required'],
        });
      return ok({ message: 'The verification code has been sent', type: m[1], status: 'pending' });
    }
    if (path === 'auth/resend_verification' && method === 'POST')
      return ok({ message: 'The verification code has been sent', resend_counter: 2 });
    if ((m = /^auth\/(mobile|email)\/verify$/.exec(path)) && method === 'POST') {
      if (String(body.code) !== OTP_CODE)
        return fail(422, 'The verification code is wrong', 'validation', {
          code: ['The verification code is wrong'],
        });
      const known = [CUSTOMER, ...registered.values()].find((c) =>
        m[1] === 'mobile'
          ? digits(body.phone).replace(/^0+/, '').endsWith(c.phone.number)
          : String(body.email).toLowerCase() === c.email,
      );
      if (!known) {
        s.verified = { type: m[1], phone: digits(body.phone), email: body.email || null };
        return ok({ case: 'new_customer', verification: { type: m[1], status: 'success' } });
      }
      s.customer = { ...known, phone: { ...known.phone } };
      return ok({
        case: 'authenticated',
        token: makeToken(s.customer.id),
        verification: { type: m[1], status: 'success' },
      });
    }
    // salla.auth.register(AuthRequest.register): the sign-up after a verify that said `new_customer`.
    if (path === 'auth/register' && method === 'POST') {
      const number = digits(body.phone).replace(/^0+/, '');
      const fields = {};
      if (String(body.code) !== OTP_CODE) fields.code = ['The verification code is wrong'];
      for (const k of ['first_name', 'last_name'])
        if (!String(body[k] || '').trim()) fields[k] = [`The ${k.replace('_', ' ')} field is required`];
      if (number.length < 8) fields.phone = ['The phone field is required'];
      if (body.email && !/^[^@\s]+@[^@\s]+$/.test(body.email)) fields.email = ['The email must be valid'];
      if (number.endsWith(CUSTOMER.phone.number) || registered.has(number))
        fields.phone = ['The phone has already been taken'];
      if (Object.keys(fields).length) return fail(422, Object.values(fields)[0][0], 'validation', fields);
      const customer = {
        id: nextCustomerId++,
        first_name: String(body.first_name).trim(),
        last_name: String(body.last_name).trim(),
        email: body.email ? String(body.email).trim().toLowerCase() : null,
        phone: { code: '+966', number, country: String(body.country_code || 'SA') },
        avatar: null,
        gender: null,
        birthday: null,
        currency: STORE.currency,
        language: 'en',
      };
      registered.set(number, customer);
      s.customer = { ...customer, phone: { ...customer.phone } };
      s.verified = null;
      return ok({ case: 'authenticated', token: makeToken(customer.id) });
    }
    if (path === 'auth/user' && method === 'GET') {
      return s.customer ? ok(profileData(s.customer)) : fail(401, 'Unauthenticated', 'unauthenticated');
    }

    // ---- profile ----
    if (path === 'profile/update' && method === 'POST') {
      if (!s.customer) return fail(401, 'Unauthenticated', 'unauthenticated');
      const next = { ...s.customer };
      for (const k of ['first_name', 'last_name', 'email', 'gender', 'birthday']) {
        if (typeof body[k] === 'string' && body[k].trim()) next[k] = body[k].trim();
      }
      if (next.email && !/^[^@\s]+@[^@\s]+$/.test(next.email))
        return fail(422, 'The email must be valid', 'validation', { email: ['The email must be valid'] });
      s.customer = next;
      return ok({ ...profileData(next), message: 'Profile updated' });
    }
    if (path === 'profile/notifications/unread' && method === 'GET')
      return ok({ count: 0, is_notifiable: true });
    if (path === 'profile/loyalty/points' && method === 'GET') return ok({ points: 0 });

    // ---- orders (customers only): salla.order.createCartFromOrder(id), salla.order.reorderProduct(id) ----
    // The SDK navigates to `data.url` afterwards: keep the demo's params of the page it leaves.
    const cartUrl = () => origin + '/cart' + (ctx.refererKeepQuery || ctx.keepQuery || '');
    if ((m = /^reorder\/(\d+)$/.exec(path)) && method === 'GET') {
      if (!s.customer) return fail(401, 'Unauthenticated', 'unauthenticated');
      const order = s.orders.get(Number(m[1]));
      if (!order) return fail(404, 'The order does not exist', 'not_found');
      // CreateCartFromOrderResponse {data: {cart_id, url}}: a new cart holding the order's lines.
      const cart = { id: nextCartId++, sid: s.sid, items: [], coupon: null };
      for (const it of order.cart.items)
        cart.items.push({ id: nextItemId++, product_id: it.product_id, quantity: it.quantity });
      carts.set(cart.id, cart);
      s.cartId = cart.id;
      return ok({ cart_id: cart.id, url: cartUrl() });
    }
    if ((m = /^reorder\/product\/(\d+)$/.exec(path)) && method === 'POST') {
      if (!s.customer) return fail(401, 'Unauthenticated', 'unauthenticated');
      const pid = Number(m[1]);
      // The customer's latest order with the product (the SDK reads `data.order_id` and `data.url`).
      const order = [...s.orders.values()]
        .reverse()
        .find((o) => o.cart.items.some((i) => i.product_id === pid));
      if (!order) return fail(404, 'The product is not in your orders', 'not_found');
      const cart = cartFor(s);
      const qty = order.cart.items.find((i) => i.product_id === pid).quantity;
      const it = cart.items.find((i) => i.product_id === pid);
      if (it) it.quantity += qty;
      else cart.items.push({ id: nextItemId++, product_id: pid, quantity: qty });
      return ok({ cart_id: cart.id, order_id: order.id, url: cartUrl() });
    }

    // ---- ratings (customers only): salla.rating.products(RatingProductsPayload {products, order_id}) ----
    if (path === 'rating/products' && method === 'POST') {
      if (!s.customer) return fail(401, 'Unauthenticated', 'unauthenticated');
      const order = s.orders.get(Number(body.order_id));
      if (!order) return fail(404, 'The order does not exist', 'not_found');
      const rated = Array.isArray(body.products) ? body.products : [];
      const bad = rated.findIndex(
        (r) =>
          !order.cart.items.some((i) => i.product_id === Number(r && r.product_id)) ||
          !(Number(r.rating) >= 1 && Number(r.rating) <= 5),
      );
      if (!rated.length || bad >= 0)
        return fail(422, 'Rate the products of the order from 1 to 5', 'validation', {
          [`products.${Math.max(bad, 0)}`]: ['Rate the products of the order from 1 to 5'],
        });
      order.ratings = rated.map((r) => ({ product_id: Number(r.product_id), rating: Number(r.rating) }));
      return ok({ message: 'Thank you for your rating' });
    }

    // ---- markets: salla.scope.change({id}) (SuccessResponse, data: the selected Scope) ----
    if (path === 'scopes' && method === 'POST') {
      const scope = SCOPES.find((x) => x.id === Number(body.id));
      if (!scope)
        return fail(422, 'The market does not exist', 'validation', { id: ['The market does not exist'] });
      s.scopeId = scope.id;
      return ok({ ...structuredClone(scope), selected: true });
    }

    return null;
  }

  // ---- helpers for pages.mjs ------------------------------------------------------------------

  /** Turn the session cart into an order (the demo's stand-in for checkout) and return its id. */
  function checkout(sid, origin) {
    const s = session(sid);
    const cart = cartFor(s, false);
    if (!cart || cart.items.length === 0) return null;
    const summary = cartSummary(cart, s, origin);
    const id = nextOrderId++;
    s.orders.set(id, { id, cart: summary, coupon: cart.coupon });
    cart.items = [];
    cart.coupon = null;
    return id;
  }

  /** `Order Completed` payload item: the order fields Salla's backend renders on the thank-you page. */
  function orderCompletedItem(sid, orderId, origin) {
    const s = session(sid);
    const order = s.orders.get(Number(orderId)) || syntheticOrder(Number(orderId) || 300000, origin);
    const c = order.cart;
    return {
      order_id: String(order.id),
      checkout_id: String(c.id),
      total: c.total,
      subtotal: c.sub_total,
      revenue: round2(c.sub_total - c.discount),
      shipping: c.real_shipping_cost,
      tax: c.tax_amount,
      discount: c.discount,
      coupon: order.coupon || null,
      currency: STORE.currency,
      products: c.items.map((it, i) => ({
        product_id: String(it.product_id),
        sku: it.sku,
        name: it.name,
        price: it.price,
        quantity: it.quantity,
        category: toEventItem(findProduct(it.product_id), origin).category,
        url: it.url,
        image_url: it.image.url,
        position: i + 1,
      })),
    };
  }

  /** A fixed order so `/thank-you?order=ID` renders without a prior checkout (benchmarks). */
  function syntheticOrder(id, origin) {
    const fake = {
      id: 0,
      sid: '',
      items: [
        { id: 1, product_id: 101, quantity: 2 },
        { id: 2, product_id: 105, quantity: 1 },
      ],
      coupon: null,
    };
    return { id, cart: cartSummary(fake, { customer: null }, origin), coupon: null };
  }

  return {
    web,
    api,
    checkout,
    orderCompletedItem,
    session,
    /** The visitor's cart summary, or null when they have none yet. */
    cartSummaryFor(sid, origin) {
      const s = session(sid);
      const cart = cartFor(s, false);
      return cart ? cartSummary(cart, s, origin) : null;
    },
    /** `Cart Viewed` payload item: {cart_id, products: [...]} */
    cartViewedItem(sid, origin) {
      const s = session(sid);
      const cart = cartFor(s, false);
      return {
        cart_id: cart ? cart.id : null,
        currency: STORE.currency,
        value: cart ? totals(cart).total : 0,
        products: cart
          ? cart.items.map((it, i) => ({ ...cartEventItem(cart, it, origin), position: i + 1 }))
          : [],
      };
    },
    wishlistFor(sid) {
      const s = session(sid);
      return s.customer ? [...wishlistOf(s.customer)].map(findProduct) : [];
    },
  };
}
