import type { PageProperties } from '../schema';

/** URL facts of the current page (never throws). */
export function currentPage(): PageProperties {
  try {
    return {
      url: location.href.slice(0, 2000),
      path: location.pathname,
      search: location.search || undefined,
      title: document.title.slice(0, 300) || undefined,
      referrer: document.referrer.slice(0, 2000) || undefined,
    };
  } catch {
    return {};
  }
}
