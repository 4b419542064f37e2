// The page salla.auth.logout() opens in a hidden iframe at `<login.url>/logout`.
// The SDK waits for {source:'login', type:'iframe::ready'}, answers with an `init`
// message, then waits for 'iframe::logged-out' before going to `<store.url>/logout`.
(function () {
  'use strict';
  if (window.parent === window) return;
  var parentOrigin = location.origin;
  window.addEventListener('message', function (e) {
    if (e.origin !== parentOrigin || !e.data || e.data.source !== 'logout' || e.data.type !== 'init') return;
    window.parent.postMessage({ source: 'login', type: 'iframe::logged-out' }, parentOrigin);
  });
  window.parent.postMessage({ source: 'login', type: 'iframe::ready' }, parentOrigin);
})();
