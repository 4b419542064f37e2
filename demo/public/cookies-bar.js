// The demo's cookie bar (page ?cookies=1; the store config lists the "website-cookies" feature). It
// does what Salla's `salla-cookies-bar` component does when the shopper chooses: emit
// `salla-cookies-bar::accepted` (or `::rejected`) on the SDK's bus FIRST, then store the choice with
// `Salla.storage.set('cookies-consent', 'accepted' | 'rejected')`. Once a choice is stored, the bar
// stays hidden on later pages. Announces `demo:cookies` ({choice}) on window for test scripts.
(function () {
  'use strict';
  var KEY = 'cookies-consent';

  function whenReady(fn) {
    (function poll() {
      if (window.Salla && typeof Salla.onReady === 'function' && Salla.event && Salla.storage)
        return Salla.onReady().then(fn);
      setTimeout(poll, 25);
    })();
  }

  function choose(bar, choice) {
    Salla.event.emit('salla-cookies-bar::' + choice);
    Salla.storage.set(KEY, choice);
    bar.hidden = true;
    window.dispatchEvent(new CustomEvent('demo:cookies', { detail: { choice: choice } }));
  }

  function start() {
    var bar = document.getElementById('cookie-bar');
    if (!bar) return;
    whenReady(function () {
      if (Salla.storage.get(KEY)) return;
      bar.hidden = false;
      bar.addEventListener('click', function (e) {
        var button = e.target.closest && e.target.closest('[data-cookies]');
        if (button) choose(bar, button.getAttribute('data-cookies'));
      });
    });
  }

  if (document.readyState === 'loading') document.addEventListener('DOMContentLoaded', start);
  else start();
})();
