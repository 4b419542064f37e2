// Reads the server-rendered config and boots the Twilight SDK: `Salla.init(config)`.
// With `data-sdk-late="MS"` on this script tag (page ?sdk=late), it first waits MS
// milliseconds and loads /assets/twilight.min.js itself, so tracker.js runs before the SDK exists.
// With `data-sdk-module` (page ?sdk=module), the SDK arrives with @salla.sa/twilight-components' module
// build after every classic script: on its window event `salla::created`, this dispatches
// `twilight::init` with the config, the event that SDK inits on (as a Salla theme does).
(function () {
  'use strict';
  var me = document.currentScript;
  var late = me && me.getAttribute('data-sdk-late');
  var moduleSdk = me && me.hasAttribute('data-sdk-module');

  function readConfig() {
    var el = document.getElementById('salla-config');
    try {
      return JSON.parse(el.textContent);
    } catch (err) {
      console.error('[demo] cannot read #salla-config', err);
      return null;
    }
  }

  function toast(message, type) {
    var el = document.getElementById('toast');
    if (!el) return;
    el.textContent = String(message == null ? '' : message);
    el.className = 'toast toast-' + (type || 'info');
    el.hidden = false;
    clearTimeout(toast.timer);
    toast.timer = setTimeout(function () {
      el.hidden = true;
    }, 3500);
  }

  function init() {
    var config = readConfig();
    if (!config || !window.Salla) return;
    // The SDK's default notifier is window.alert(); show a toast instead.
    Salla.notify.setNotifier(function (message, type) {
      toast(message, type);
    });
    // Lets test scripts attach Salla.event.onAny before init dispatches config.events.
    window.dispatchEvent(new CustomEvent('demo:before-init', { detail: { config: config } }));
    if (moduleSdk) salla.event.dispatchEvents({ 'twilight::init': config });
    else Salla.init(config);
  }

  if (moduleSdk) {
    // The module defines Salla, then fires this synchronously; it also inits on `twilight::init` only.
    window.addEventListener('salla::created', init, { once: true });
    return;
  }
  if (!late) return init();
  setTimeout(
    function () {
      var s = document.createElement('script');
      s.src = '/assets/twilight.min.js';
      s.onload = init;
      s.onerror = function () {
        console.error('[demo] could not load the Twilight SDK');
      };
      document.head.appendChild(s);
    },
    Number(late) || 0,
  );
})();
