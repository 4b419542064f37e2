// Adapter: Snowplow browser tracker v4 (its UMD build) with its defaults (bufferSize 1, localStorage
// queue, POST to /com.snowplowanalytics.snowplow/tp2), product events as self-describing events.
window.benchPeer = {
  init: function (cfg) {
    var sp = window.snowplowBrowserTracking;
    sp.newTracker('sp', cfg.collector, { appId: 'bench' });
    return {
      track: function (name, props) {
        sp.trackSelfDescribingEvent({
          event: {
            schema: 'iglu:com.example/' + name.toLowerCase().replace(/ /g, '_') + '/jsonschema/1-0-0',
            data: props,
          },
        });
      },
      ready: null,
      ownHook: false,
    };
  },
};
