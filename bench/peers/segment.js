// Adapter: Segment analytics-next (its UMD build, as its CDN serves it) with its defaults (standard
// delivery: one request per event). CDN settings are given locally and `_cdn` points at the bench
// origin, so nothing is fetched from Segment's CDN; events go to the bench collector.
window.benchPeer = {
  before: function () {
    window.analytics = { _cdn: location.origin };
  },
  init: function (cfg) {
    var apiHost = cfg.collector.replace(/^https?:\/\//, '') + '/v1';
    var seg = { apiKey: 'bench', apiHost: apiHost, protocol: 'http' };
    var analytics = window.AnalyticsNext.AnalyticsBrowser.load({
      writeKey: 'bench',
      cdnURL: location.origin,
      cdnSettings: { integrations: { 'Segment.io': seg }, metrics: { sampleRate: 0, host: apiHost } },
    });
    return {
      track: function (name, props) {
        analytics.track(name, props);
      },
      ready: analytics,
      ownHook: false,
    };
  },
};
