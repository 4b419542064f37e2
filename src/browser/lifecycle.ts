/**
 * Page lifecycle without `unload`/`beforeunload` (they cost the back/forward cache):
 * `hidden(false)` on visibilitychange→hidden, `hidden(true)` on pagehide; `shown(restored)` on
 * visibilitychange→visible and on pageshow (restored = came back from the bfcache); `stored(event)` on
 * `storage` (another tab of the store set or removed a key); `leaving()` on the Navigation API's
 * `navigate` (Chromium; the page starts a navigation, before its `pagehide`). Returns the unbind.
 */
export function lifecycle(
  hidden: (final: boolean) => void,
  shown: (restored: boolean) => void,
  stored: (change: StorageEvent) => void,
  leaving: () => void,
): () => void {
  const on: Record<string, (e: Event) => void> = {
    visibilitychange: () => (document.visibilityState == 'hidden' ? hidden(false) : shown(false)),
    pagehide: () => hidden(true),
    pageshow: (e) => (e as PageTransitionEvent).persisted && shown(true),
    storage: stored as (e: Event) => void,
  };
  // Called unbound: on the global object that is the window (WebIDL). `navigate` on `navigation`
  // (without one, on the window, which never fires it; a theme's own `navigation` global is no
  // EventTarget: the call throws, and is left).
  function each(f: typeof addEventListener) {
    // (not a for-of: it runs at destroy too, when the page may have broken the Array iterator)
    Object.keys(on).map((k) => f(k, on[k] as EventListener, true));
    try {
      f.call((globalThis as { navigation?: EventTarget }).navigation, 'navigate', leaving);
    } catch {
      /* not the Navigation API */
    }
  }
  each(addEventListener);
  return () => each(removeEventListener);
}
