/** Call `cb` once the page has loaded and the browser is idle: for work that can wait. */
export function whenIdleAfterLoad(cb: () => void): void {
  // Called unbound: on the global object that is the window (WebIDL).
  const later = () => (window.requestIdleCallback || setTimeout)(cb);
  if (document.readyState === 'complete') later();
  else addEventListener('load', later, { once: true });
}
