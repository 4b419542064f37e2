// Adapter: twilight-tracker from its script tag (dist/tracker.js) with default options; it finds
// window.Salla (bench/pages/bus.js) and attaches to its event bus itself.
window.benchPeer = {
  attrs: function (cfg) {
    return { 'data-endpoint': cfg.collector + '/collect', 'data-write-key': 'bench' };
  },
  init: function () {
    var t = window.twilightTracker;
    return {
      track: function (name, props) {
        t.track(name, props);
      },
      ready: null,
      ownHook: true,
    };
  },
};
