/** What to do with a batch after a send answered `status` (0 = network error, timeout or throw). */
export type Verdict = 'ok' | 'retry' | 'split' | 'drop';

/**
 * Retry network errors, 408, 429 and 5xx (a retry can fix them); split on 413; drop other 4xx
 * (400, 401, 403, 422…: the same body would fail again); 1xx/3xx are treated as network errors.
 */
export function statusPolicy(status: number): Verdict {
  if (status >= 200 && status < 300) return 'ok';
  if (status === 413) return 'split';
  if (status >= 400 && status < 500 && status !== 408 && status !== 429) return 'drop';
  return 'retry';
}
