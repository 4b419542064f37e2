// Bench page driver (runs in the page, driven by bench/run.mjs through window.__bench):
// loads the library, times its parse+execute+init, and runs the bursts, the steady stream and the
// immediate navigation with the same product payloads for every library.
(function () {
  'use strict';
  var cfg = window.benchConfig;
  var peer = window.benchPeer;
  var B = (window.__bench = { longTasks: [], loaded: null, error: null, lib: null, payloads: null });

  try {
    new PerformanceObserver(function (list) {
      list.getEntries().forEach(function (e) {
        B.longTasks.push({ start: e.startTime, duration: e.duration });
      });
    }).observe({ type: 'longtask', buffered: true });
  } catch (e) {
    B.noLongTasks = String(e);
  }

  /** A server event payload as the SDK emits it with `Product Added` (test/fixtures/sdk-hooks.json). */
  function item(i) {
    var id = 100000 + i;
    return {
      id: id,
      product_id: id,
      name: 'Ethiopian Yirgacheffe Beans ' + i,
      price: 68,
      quantity: 1 + (i % 3),
      sku: 'COF-ETH-' + id,
      category: 'Coffee',
      brand: 'Najd Roasters',
      variant: null,
      currency: 'SAR',
      value: 68 * (1 + (i % 3)),
      url: location.origin + '/p/' + id,
      image_url: location.origin + '/assets/img/amber.svg',
      cart_id: 70001,
      cart_item_id: 900000 + i,
      coupon: null,
    };
  }

  /** The same product as `track()` properties (Segment Ecommerce v2 names). */
  function props(i) {
    var p = item(i);
    return {
      cart_id: String(p.cart_id),
      product_id: String(p.product_id),
      sku: p.sku,
      name: p.name,
      brand: p.brand,
      category: p.category,
      price: p.price,
      quantity: p.quantity,
      currency: p.currency,
      value: p.value,
      url: p.url,
      image_url: p.image_url,
      cart_item_id: String(p.cart_item_id),
    };
  }

  function fail(msg) {
    B.error = String(msg);
  }

  function load() {
    try {
      if (peer.before) peer.before(cfg);
    } catch (e) {
      return fail('before: ' + e);
    }
    var files = cfg.files.slice();
    var t0 = performance.now();
    (function next() {
      var src = files.shift();
      if (!src) return done();
      var s = document.createElement('script');
      s.src = src;
      var attrs = peer.attrs ? peer.attrs(cfg) : {};
      for (var k in attrs) s.setAttribute(k, attrs[k]);
      s.onload = next;
      s.onerror = function () {
        fail('could not load ' + src);
      };
      document.head.appendChild(s);
    })();
    function done() {
      var lib;
      try {
        lib = peer.init(cfg);
      } catch (e) {
        return fail('init: ' + e);
      }
      var t1 = performance.now();
      var end = 0;
      performance.getEntriesByType('resource').forEach(function (r) {
        if (cfg.files.some((f) => r.name.indexOf(f) >= 0)) end = Math.max(end, r.responseEnd);
      });
      B.lib = lib;
      if (!lib.ownHook) {
        // A minimal hook forwarder, the way a site would wire a peer to the Twilight bus.
        window.Salla.event.onAny(function (name, payload) {
          if (name === 'Product Added') lib.track('Product Added', payload[0]);
        });
      }
      Promise.resolve(lib.ready).then(
        function () {
          B.loaded = { evalMs: t1 - end, loadMs: t1 - t0, readyMs: performance.now() - t0 };
        },
        function (e) {
          fail('ready: ' + e);
        },
      );
    }
  }

  /** Build the payloads before timing, so the timed loop holds only the library's work. */
  B.prepare = function (n, offset, via) {
    var out = new Array(n);
    for (var i = 0; i < n; i++) out[i] = via === 'hook' ? [item(offset + i)] : props(offset + i);
    B.payloads = out;
    return n;
  };

  /**
   * Emit the prepared payloads in tasks of `chunk` (the SDK's hooks arrive in separate tasks),
   * yielding to the event loop in between; returns the summed time spent inside the loops and
   * how many events were emitted before `maxMs` ran out.
   */
  B.burst = function (chunk, via, maxMs) {
    // Yield with a MessageChannel task: setTimeout(0) would be clamped to 4 ms after 5 nested calls.
    var ch = new MessageChannel();
    return new Promise(function (resolve) {
      var p = B.payloads;
      var n = p.length;
      var lib = B.lib;
      var emit = window.Salla.event.emit;
      var sum = 0;
      var perEvent = [];
      var i = 0;
      var start = performance.now();
      function step() {
        var end = Math.min(n, i + chunk);
        var count = end - i;
        var t = performance.now();
        if (via === 'hook') for (; i < end; i++) emit('Product Added', p[i]);
        else for (; i < end; i++) lib.track('Product Added', p[i]);
        var dt = performance.now() - t;
        sum += dt;
        perEvent.push((dt * 1000) / count);
        // A library whose cost explodes is cut short after maxMs of wall time; `done` tells how far it got.
        if (i < n && performance.now() - start < maxMs) ch.port2.postMessage(0);
        else {
          B.payloads = null;
          ch.port1.close();
          perEvent.sort(function (a, b) {
            return a - b;
          });
          resolve({
            syncMs: sum,
            medianUs: perEvent[perEvent.length >> 1],
            done: i,
            start: start,
            end: performance.now(),
            isolated: window.crossOriginIsolated,
          });
        }
      }
      ch.port1.onmessage = step;
      step();
    });
  };

  /** A steady stream: `perTick` track() calls every `tickMs`. */
  B.steady = function (n, perTick, tickMs, offset) {
    return new Promise(function (resolve) {
      var i = 0;
      (function tick() {
        var end = Math.min(n, i + perTick);
        for (; i < end; i++) B.lib.track('Product Added', props(offset + i));
        if (i < n) setTimeout(tick, tickMs);
        else resolve(n);
      })();
    });
  };

  /** Track `n` events, then leave the page at once. */
  B.navAway = function (n, url, offset) {
    for (var i = 0; i < n; i++) B.lib.track('Product Added', props(offset + i));
    location.href = url;
  };

  load();
})();
