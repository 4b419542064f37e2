// Adapter: the no-library baseline (bench/pages/baseline-lib.js), one sendBeacon per event.
window.benchPeer = {
  init: function (cfg) {
    var b = window.BaselineBeacon(cfg.collector + '/beacon');
    return { track: b.track, ready: null, ownHook: false };
  },
};
