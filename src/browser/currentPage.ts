import type { PageProperties } from '../schema';

/** URL facts of the current page. */
export const currentPage = (): PageProperties => ({
  url: location.href,
  path: location.pathname,
  search: location.search || undefined,
  title: document.title || undefined,
  referrer: document.referrer || undefined,
});
