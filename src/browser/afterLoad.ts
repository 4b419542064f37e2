/** Call `cb` once the page has loaded (now, if it has). */
export function afterLoad(cb: () => void): void {
  if (document.readyState == 'complete') cb();
  // (No prototype: the browser reads each option through the chain.)
  else addEventListener('load', cb, { __proto__: null, once: true } as AddEventListenerOptions);
}

/** Call `cb` once the page has loaded and the browser is idle: for work that can wait. */
export function whenIdleAfterLoad(cb: () => void): void {
  // Called unbound: on the global object that is the window (WebIDL).
  afterLoad(() => (window.requestIdleCallback || setTimeout)(cb));
}
