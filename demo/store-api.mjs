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

const ok = (data, extra = {}) => ({ status: 200, json: { status: 200, success: true, data, ...extra } });
const fail = (status, message, code = 'error', fields = undefined) => ({
  status,
  json: { status, success: false, error: { message, code, ...(fields ? { fields } : {}) } },
});
const round2 = (n) => Math.round(n * 100) / 100;
const digits = (s) => String(s ?? '').replace(/\D/g, '');

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
  let nextCartId = 70001;
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
      return s.customer ? ok({ message: null }) : fail(401, 'Unauthenticated', 'unauthenticated');
    }
    if (path === '/auth/refresh') {
      return s.customer
        ? ok({ token: makeToken(s.customer.id) })
        : fail(401, 'Unauthenticated', 'unauthenticated');
    }
    if (path === '/logout' && method === 'GET') {
      s.customer = null;
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
      return cartUpdate(
        cart,
        s,
        origin,
        { message: 'Added to cart', product_id: p.id, item_id: it.id },
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
      return {
        status: 200,
        headers: { 's-request-id': 'req-' + Date.now().toString(36) },
        json: {
          status: 200,
          success: true,
          data: list.map((p) => toApiProduct(p, origin)),
          cursor: { current: 1, previous: null, next: null, count: list.length },
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
      const known =
        m[1] === 'mobile'
          ? digits(body.phone).replace(/^0+/, '').endsWith(CUSTOMER.phone.number)
          : String(body.email).toLowerCase() === CUSTOMER.email;
      if (!known) return ok({ case: 'new_customer', verification: { type: m[1], status: 'success' } });
      s.customer = { ...CUSTOMER, phone: { ...CUSTOMER.phone } };
      return ok({
        case: 'authenticated',
        token: makeToken(s.customer.id),
        verification: { type: m[1], status: 'success' },
      });
    }
    if (path === 'auth/register' && method === 'POST') {
      return fail(422, 'Registration is disabled in the demo store', 'validation', {
        email: ['Registration is disabled in the demo store'],
      });
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
