// A minimal stand-in for the Twilight SDK (`window.Salla`), the shape the tracker attaches to
// (see test/helpers/fakeSdk.ts): an `event.onAny` bus, `emittedEvents`, `config.get`, `onReady`.
// Every bench page loads it, so every library pays for the same hook dispatch.
(function () {
  'use strict';
  var config = {
    store: { id: 1001, name: 'Bench Store', url: location.origin },
    user: { type: 'guest', currency_code: 'SAR', language_code: 'en' },
    page: { slug: 'product.single', id: 101, title: 'Bench product' },
    events: {},
  };
  var listeners = [];
  var emitted = new Set();
  function get(key) {
    return key.split('.').reduce(function (o, k) {
      return o && typeof o === 'object' ? o[k] : undefined;
    }, config);
  }
  window.Salla = {
    status: 'ready',
    event: {
      emittedEvents: emitted,
      onAny: function (fn) {
        listeners.push(fn);
      },
      offAny: function (fn) {
        var i = listeners.indexOf(fn);
        if (i >= 0) listeners.splice(i, 1);
      },
      emit: function (name) {
        emitted.add(name);
        for (var i = 0; i < listeners.length; i++) listeners[i].apply(null, arguments);
      },
    },
    config: {
      get: get,
      currency: function () {
        return { code: 'SAR' };
      },
    },
    storage: { get: function () {} },
    onReady: function (cb) {
      cb(config);
      return Promise.resolve();
    },
  };
})();
