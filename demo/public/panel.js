// The demo storefront's live event panel (not part of the library): it uses only the public
// script-tag API. Loaded BEFORE tracker.js, it queues two calls on `window.twilightTracker`:
//   ['register', callback, {name: 'panel'}]  → every normalized event, as it is batched;
//   function (tracker) { tracker.on(…) }      → delivery reports (delivered / retry / dropped).
// It renders a compact row per event into #tt-panel: name, key properties, and each destination's
// status (queued → delivered / retry n / dropped). Styles live in panel.css (the page's CSP is
// style-src 'self': classes only, no inline styles). Rows carry data-* attributes for tests.
(function () {
  'use strict';
  var SELF = 'panel';
  var MAX_ROWS = 80;
  var STORE_KEY = 'tt-demo-panel-collapsed';
  var q = (window.twilightTracker = window.twilightTracker || []);
  var rows = {}; // messageId -> {li, dests: {name: chip}}
  var total = 0;
  /**
   * Does the page's tracker send to an endpoint? A tracker.js tag with data-endpoint, or the App Snippet
   * (its endpoint is an app setting). Read late: those tags come after this script.
   */
  var endpoint = function () {
    return document.querySelector(
      'script[src*="tracker.js"][data-endpoint], script[src^="/assets/snippet.js"]',
    )
      ? 'endpoint'
      : null;
  };
  var ui = null;

  function el(tag, cls, text) {
    var e = document.createElement(tag);
    if (cls) e.className = cls;
    if (text != null) e.textContent = String(text);
    return e;
  }

  function build() {
    if (ui) return ui;
    var root = document.getElementById('tt-panel');
    if (!root) return null;
    var collapsed = false;
    try {
      collapsed = localStorage.getItem(STORE_KEY) === '1';
    } catch (e) {
      /* storage blocked */
    }
    root.className = 'tt-panel' + (collapsed ? ' tt-collapsed' : '');
    root.setAttribute('aria-label', 'twilight-tracker live events');
    var head = el('header', 'tt-head');
    var title = el('h2', 'tt-title');
    title.appendChild(el('span', 'tt-logo', 'twilight-tracker'));
    title.appendChild(el('span', 'tt-sub', ' live events'));
    var count = el('span', 'tt-count', '0');
    count.title = 'events on this page';
    var link = el('a', 'tt-link', 'collector ↗');
    link.href = '/collector';
    var toggle = el('button', 'tt-toggle', collapsed ? 'show' : 'hide');
    toggle.type = 'button';
    toggle.setAttribute('aria-expanded', String(!collapsed));
    toggle.addEventListener('click', function () {
      var now = !root.classList.contains('tt-collapsed');
      root.classList.toggle('tt-collapsed', now);
      document.documentElement.classList.toggle('tt-panel-min', now);
      toggle.textContent = now ? 'show' : 'hide';
      toggle.setAttribute('aria-expanded', String(!now));
      try {
        localStorage.setItem(STORE_KEY, now ? '1' : '0');
      } catch (e) {
        /* storage blocked */
      }
    });
    head.appendChild(title);
    head.appendChild(count);
    head.appendChild(link);
    head.appendChild(toggle);
    var list = el('ol', 'tt-list');
    list.setAttribute('role', 'log');
    var empty = el('li', 'tt-empty', 'Waiting for events… (they appear when a batch is sent)');
    list.appendChild(empty);
    root.textContent = '';
    root.appendChild(head);
    root.appendChild(list);
    document.documentElement.classList.add('tt-panel-on');
    if (collapsed) document.documentElement.classList.add('tt-panel-min');
    ui = { root: root, list: list, count: count, empty: empty };
    return ui;
  }

  function num(v) {
    return typeof v === 'number' && isFinite(v) ? String(Math.round(v * 100) / 100) : String(v);
  }

  function money(v, cur) {
    return num(v) + (cur ? ' ' + cur : '');
  }

  /** The properties a person wants to see at a glance, as "a · b · c". */
  function summary(e) {
    var p = e.properties || {};
    var parts = [];
    if (e.type === 'page') {
      parts.push(p.path || '/');
      if (p.title) parts.push(p.title);
      return parts.join(' · ');
    }
    if (p.product_id != null) parts.push('#' + p.product_id);
    if (p.name) parts.push(p.name);
    if (p.price != null) parts.push(money(p.price, p.currency));
    if (p.quantity != null && !p.products) parts.push('× ' + p.quantity);
    if (p.coupon_code) parts.push('coupon ' + p.coupon_code);
    else if (p.coupon) parts.push('coupon ' + p.coupon);
    if (p.discount) parts.push('discount ' + money(p.discount, p.currency));
    if (p.reason) parts.push(p.reason);
    if (p.query != null)
      parts.push(
        '“' + p.query + '”' + (p.total_results != null ? ' → ' + p.total_results + ' result(s)' : ''),
      );
    if (p.order_id) parts.push('order #' + p.order_id);
    if (Array.isArray(p.products)) {
      parts.push(
        p.products
          .slice(0, 4)
          .map(function (x) {
            return '#' + (x && x.product_id) + (x && x.quantity ? '×' + x.quantity : '');
          })
          .join(', ') + (p.products.length > 4 ? ', …' : '') || 'no products',
      );
    }
    var value = p.total != null ? p.total : p.value;
    if (value != null && !p.metric) parts.push('total ' + money(value, p.currency));
    if (Array.isArray(p.updated_fields)) parts.push('changed: ' + p.updated_fields.join(', '));
    if (p.metric) parts.push(p.metric + ' ' + num(p.value) + (p.rating ? ' (' + p.rating + ')' : ''));
    if (p.email_sha256) parts.push('email sha256 ' + String(p.email_sha256).slice(0, 8) + '…');
    if (!parts.length) {
      var keys = Object.keys(p);
      if (keys.length) parts.push(keys.slice(0, 5).join(', '));
    }
    return parts.join(' · ');
  }

  function time(iso) {
    var d = new Date(iso);
    return isNaN(d) ? '' : d.toTimeString().slice(0, 8);
  }

  function setStatus(row, dest, status, text) {
    var chip = row.dests[dest];
    if (!chip) {
      chip = row.dests[dest] = el('span', 'tt-dest');
      chip.setAttribute('data-dest', dest);
      row.destBox.appendChild(chip);
    }
    chip.className = 'tt-dest tt-' + status;
    chip.setAttribute('data-status', status);
    chip.textContent = dest + ': ' + (text || status);
  }

  function rowFor(e) {
    var id = e && e.messageId;
    if (!id) return null;
    if (rows[id]) return rows[id];
    var u = build();
    if (!u) return null;
    if (u.empty.parentNode) u.list.removeChild(u.empty);
    var name = e.type === 'page' ? 'page' : e.event;
    var li = el('li', 'tt-row' + (e.type === 'page' ? ' tt-page' : ''));
    li.setAttribute('data-event', name);
    li.setAttribute('data-message-id', id);
    var top = el('div', 'tt-top');
    top.appendChild(el('span', 'tt-name', e.type === 'page' ? 'page · ' + (e.name || '') : name));
    if (e.userId) top.appendChild(el('span', 'tt-user', 'user ' + e.userId));
    top.appendChild(el('time', 'tt-time', time(e.timestamp)));
    li.appendChild(top);
    var props = summary(e);
    if (props) li.appendChild(el('div', 'tt-props', props));
    var destBox = el('div', 'tt-dests');
    li.appendChild(destBox);
    u.list.insertBefore(li, u.list.firstChild);
    var row = (rows[id] = { li: li, dests: {}, destBox: destBox });
    if (endpoint()) setStatus(row, endpoint(), 'queued');
    total++;
    u.count.textContent = String(total);
    while (u.list.children.length > MAX_ROWS) {
      var last = u.list.lastChild;
      delete rows[last.getAttribute('data-message-id')];
      u.list.removeChild(last);
    }
    return row;
  }

  function onReport(kind) {
    return function (r) {
      if (!r || r.destination === SELF || !Array.isArray(r.events)) return;
      var text =
        kind === 'retry'
          ? 'retry ' + (r.attempt || '') + (r.reason ? ' · ' + r.reason : '')
          : kind === 'dropped'
            ? 'dropped' + (r.reason ? ' · ' + r.reason : '')
            : 'delivered' + (r.reason === 'beacon' ? ' (beacon)' : '');
      r.events.forEach(function (e) {
        var row = rowFor(e);
        if (row) setStatus(row, r.destination, kind, text);
      });
    };
  }

  q.push([
    'register',
    function (events) {
      (events || []).forEach(rowFor);
    },
    { name: SELF },
  ]);
  q.push(function (t) {
    t.on('delivered', onReport('delivered'));
    t.on('retry', onReport('retry'));
    t.on('dropped', onReport('dropped'));
  });

  if (!build()) document.addEventListener('DOMContentLoaded', build);
})();
