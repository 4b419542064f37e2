// The no-library baseline: one sendBeacon per event with a body comparable to a tracker's event.
window.BaselineBeacon = function (url) {
  'use strict';
  var anonymousId = crypto.randomUUID();
  return {
    track: function (event, properties) {
      return navigator.sendBeacon(
        url,
        JSON.stringify({
          type: 'track',
          event: event,
          properties: properties,
          context: {
            page: { path: location.pathname, url: location.href, title: document.title },
            userAgent: navigator.userAgent,
          },
          anonymousId: anonymousId,
          messageId: crypto.randomUUID(),
          timestamp: new Date().toISOString(),
        }),
      );
    },
  };
};
