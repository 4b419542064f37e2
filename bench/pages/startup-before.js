// Startup page (bench/server.mjs `/startup`), before the library's script tag: what the adapter must
// set up first (Segment's `window.analytics._cdn`). Nothing is timed here.
(function () {
  'use strict';
  var peer = window.benchPeer;
  window.__startup = { error: null, initMs: null, readyMs: null };
  try {
    if (peer.before) peer.before(window.benchConfig);
  } catch (e) {
    window.__startup.error = 'before: ' + e;
  }
})();
