// Adapter: @jitsu/js (bundled by bench/buildPeers.mjs into an IIFE) with its defaults (one POST per
// call to <host>/api/s/track), pointed at the bench collector.
window.benchPeer = {
  init: function (cfg) {
    var analytics = window.Jitsu.jitsuAnalytics({ host: cfg.collector, writeKey: 'bench' });
    return {
      track: function (name, props) {
        analytics.track(name, props);
      },
      ready: null,
      ownHook: false,
    };
  },
};
