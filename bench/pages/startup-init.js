// Startup page (bench/server.mjs `/startup`), right after the library's script tag: the library's
// creation/init call with its default options (bench/peers/<lib>.js `init`; twilight-tracker started
// itself from its script tag, its adapter only picks up `window.twilightTracker`), and the one-line
// hook forwarder a site would add for a peer. The bench attributes this file's evaluation in the
// trace to the library's "create"; `initMs` is the same call timed in the page.
(function () {
  'use strict';
  var S = window.__startup;
  var peer = window.benchPeer;
  if (S.error) return;
  var lib;
  try {
    var t0 = performance.now();
    lib = peer.init(window.benchConfig);
    S.initMs = performance.now() - t0;
  } catch (e) {
    S.error = 'init: ' + e;
    return;
  }
  if (!lib.ownHook) {
    window.Salla.event.onAny(function (name, payload) {
      if (name === 'Product Added') lib.track('Product Added', payload[0]);
    });
  }
  Promise.resolve(lib.ready).then(
    function () {
      S.readyMs = performance.now();
    },
    function (e) {
      S.error = 'ready: ' + e;
    },
  );
})();
