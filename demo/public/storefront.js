// Wires the demo storefront's buttons to the Twilight SDK's public methods.
// Every action's outcome is shown in #action-status, recorded in window.__demoActions
// and announced as a `demo:action` DOM event ({action, ok, error?}) for test scripts.
(function () {
  'use strict';
  var actions = (window.__demoActions = window.__demoActions || []);
  var $ = function (sel, root) {
    return (root || document).querySelector(sel);
  };
  var money = function (n) {
    return Number(n || 0).toFixed(2) + ' SAR';
  };

  function status(text, ok) {
    var el = $('#action-status');
    if (!el) return;
    el.textContent = text;
    el.className = 'action-status ' + (ok ? 'ok' : 'fail');
  }

  function record(name, promise) {
    return Promise.resolve(promise).then(
      function (res) {
        var entry = { action: name, ok: true };
        actions.push(entry);
        status(name + ': done', true);
        window.dispatchEvent(new CustomEvent('demo:action', { detail: entry }));
        return res;
      },
      function (err) {
        var data = err && err.response && err.response.data;
        var message = (data && data.error && data.error.message) || (err && err.message) || String(err);
        var entry = {
          action: name,
          ok: false,
          error: message,
          status: err && err.response ? err.response.status : null,
        };
        actions.push(entry);
        status(name + ': ' + message, false);
        window.dispatchEvent(new CustomEvent('demo:action', { detail: entry }));
      },
    );
  }

  /** Resolves once the SDK exists and is ready (it may load late, see boot.js). */
  function whenReady() {
    return new Promise(function (resolve) {
      (function poll() {
        if (window.Salla && typeof Salla.onReady === 'function' && Salla.event)
          return Salla.onReady().then(resolve);
        setTimeout(poll, 25);
      })();
    });
  }

  function val(sel) {
    var el = $(sel);
    return el ? el.value.trim() : '';
  }

  var handlers = {
    add: function (el) {
      var id = Number(el.getAttribute('data-product'));
      var qtyEl = $('[data-qty-for="' + id + '"]');
      var quantity = qtyEl ? Math.max(1, Number(qtyEl.value) || 1) : 1;
      var list = el.closest('[data-list-source]');
      if (!list) return salla.cart.addItem({ id: id, quantity: quantity });
      // A card of a product list, as Salla's salla-add-product-button in a salla-products-list: it
      // records where the product was listed, then passes the list's source to addItem.
      var card = el.closest('[data-product-card]');
      var cards = Array.prototype.slice.call(list.querySelectorAll('[data-product-card]'));
      try {
        sessionStorage.setItem('s-viewed-position', String(cards.indexOf(card) + 1));
        sessionStorage.setItem('s-request-id', list.getAttribute('data-request-id') || '');
      } catch (err) {
        /* no sessionStorage */
      }
      return salla.cart.addItem({
        id: id,
        quantity: quantity,
        source: list.getAttribute('data-list-source'),
      });
    },
    update: function (el) {
      var id = Number(el.getAttribute('data-item'));
      var qtyEl = $('[data-qty-item="' + id + '"]');
      return salla.cart.updateItem({ id: id, quantity: Number(qtyEl && qtyEl.value) || 1 });
    },
    remove: function (el) {
      return salla.cart.deleteItem({ id: Number(el.getAttribute('data-item')) });
    },
    'coupon-add': function () {
      return salla.cart.addCoupon({ coupon: val('#coupon-code') });
    },
    'coupon-remove': function () {
      return salla.cart.deleteCoupon();
    },
    'wishlist-add': function (el) {
      return salla.wishlist.add(Number(el.getAttribute('data-product')));
    },
    'wishlist-remove': function (el) {
      return salla.wishlist.remove(Number(el.getAttribute('data-product')));
    },
    'login-send': function () {
      return salla.auth.login({ type: 'mobile', phone: val('#login-mobile'), country_code: 'SA' });
    },
    'login-verify': function () {
      return salla.auth.verify({
        type: 'mobile',
        phone: val('#login-mobile'),
        country_code: 'SA',
        code: val('#login-code'),
      });
    },
    'profile-update': function () {
      return salla.profile.update({
        first_name: val('#profile-first-name'),
        last_name: val('#profile-last-name'),
        email: val('#profile-email'),
      });
    },
    logout: function () {
      return salla.auth.logout();
    },
    search: function () {
      return salla.product.search(val('#search-input')).then(function (res) {
        renderSearch(res && res.data);
        return res;
      });
    },
  };

  function run(name, el) {
    if (!window.salla || window.Salla.status !== 'ready') {
      status(name + ': the SDK is not ready yet', false);
      return;
    }
    return record(name, handlers[name](el));
  }

  document.addEventListener('click', function (e) {
    var el = e.target.closest && e.target.closest('[data-action]');
    if (!el || !handlers[el.getAttribute('data-action')]) return;
    if (el.type === 'submit') return; // handled by the form's submit event
    e.preventDefault();
    run(el.getAttribute('data-action'), el);
  });

  document.addEventListener('submit', function (e) {
    if (e.target.id === 'coupon-form') {
      e.preventDefault();
      run('coupon-add', e.target);
    }
  });

  function renderSearch(list) {
    var ul = $('#search-results');
    if (!ul) return;
    ul.textContent = '';
    (list || []).forEach(function (p) {
      var li = document.createElement('li');
      var a = document.createElement('a');
      a.href = '/p/' + p.id + location.search;
      a.textContent = p.name + ' — ' + money(p.price);
      li.appendChild(a);
      ul.appendChild(li);
    });
    if (!list || !list.length) {
      var none = document.createElement('li');
      none.textContent = 'No results';
      ul.appendChild(none);
    }
    ul.hidden = false;
  }

  function renderCart(cart) {
    if (!cart || typeof cart !== 'object') return;
    var count = $('#cart-count');
    if (count && cart.count != null) count.textContent = String(cart.count);
    if (document.body.getAttribute('data-page') !== 'cart' || !Array.isArray(cart.items)) return;
    var ids = cart.items.map(function (it) {
      return String(it.id);
    });
    Array.prototype.forEach.call(document.querySelectorAll('[data-item-row]'), function (row) {
      var id = row.getAttribute('data-item-row');
      var it = cart.items[ids.indexOf(id)];
      if (!it) return row.parentNode.removeChild(row);
      var qty = row.querySelector('[data-qty-item]');
      if (qty && document.activeElement !== qty) qty.value = it.quantity;
      row.querySelector('[data-item-total]').textContent = money(it.total);
    });
    var set = function (sel, text) {
      var el = $(sel);
      if (el) el.textContent = text;
    };
    set('#cart-subtotal', money(cart.sub_total));
    set('#cart-discount', money(cart.discount));
    set('#cart-shipping', money(cart.real_shipping_cost));
    set('#cart-total', money(cart.total));
    set('#cart-coupon', cart.coupon || '—');
  }

  function renderAuth() {
    var user = salla.config.isUser();
    var login = $('#login-section');
    var profile = $('#profile-section');
    if (login) login.hidden = user;
    if (profile) profile.hidden = !user;
    var nav = $('#nav-account');
    if (nav) nav.textContent = user ? salla.config.get('user.first_name') || 'Account' : 'Sign in';
  }

  /**
   * The product page's "frequently bought together" block, as Salla's salla-bought-together does it:
   * fetch the selected products, then emit `salla-bought-together::list.viewed` with `{products}`.
   */
  function boughtTogether() {
    var box = $('[data-bought-together]');
    // Shown where the store turned the widget on (store.settings.product.bought_together).
    if (!box || !salla.config.get('store.settings.product.bought_together')) return;
    var ids = box.getAttribute('data-bought-together').split(',');
    // Like the component: once 10 % of it is in view (which comes after the page's load).
    var seen = new Promise(function (resolve) {
      var start = function () {
        var io = new IntersectionObserver(
          function (entries) {
            if (
              !entries.some(function (e) {
                return e.isIntersecting;
              })
            )
              return;
            io.disconnect();
            resolve();
          },
          { threshold: 0.1 },
        );
        io.observe(box);
      };
      if (document.readyState === 'complete') start();
      else window.addEventListener('load', start);
    });
    record(
      'fbt-viewed',
      seen
        .then(function () {
          return salla.product.fetch({ source: 'selected', source_value: ids });
        })
        .then(function (res) {
          var products = (res && res.data) || [];
          box.textContent =
            'Bought together: ' +
            products
              .map(function (p) {
                return p.name;
              })
              .join(', ');
          Salla.event.emit('salla-bought-together::list.viewed', { products: products });
        }),
    );
  }

  whenReady().then(function () {
    boughtTogether();
    Salla.event.on('cart::updated', renderCart);
    Salla.event.on('auth::logged.in', renderAuth);
    Salla.event.on('profile::updated', renderAuth);
    var nav = document.querySelector('[data-nav="' + salla.config.get('page.slug') + '"]');
    if (nav) nav.classList.add('active');
    document.documentElement.classList.add('salla-ready');
  });
})();
