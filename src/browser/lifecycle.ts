/**
 * Page lifecycle without `unload`/`beforeunload` (they cost the back/forward cache):
 * `hidden(false)` on visibilitychange→hidden, `hidden(true)` on pagehide; `shown(restored)` on
 * visibilitychange→visible and on pageshow (restored = came back from the bfcache).
 */
export function lifecycle(hidden: (final: boolean) => void, shown: (restored: boolean) => void): () => void {
  const onVis = () => {
    if (document.visibilityState === 'hidden') hidden(false);
    else shown(false);
  };
  const onHide = () => hidden(true);
  const onShow = (e: PageTransitionEvent) => {
    if (e.persisted) shown(true);
  };
  addEventListener('visibilitychange', onVis, true);
  addEventListener('pagehide', onHide, true);
  addEventListener('pageshow', onShow, true);
  return () => {
    removeEventListener('visibilitychange', onVis, true);
    removeEventListener('pagehide', onHide, true);
    removeEventListener('pageshow', onShow, true);
  };
}
