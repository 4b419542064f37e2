/** What a send's answer means for its batch: deliver, retry (and when), split or drop. */

/** How a send went: an HTTP status (0 = network error, throw or timeout), an optional Retry-After in ms and why. */
export interface SendResult {
  status: number;
  retryAfter?: number;
  error?: string;
}

/** What to do with a batch after a send answered `status` (0 = network error, timeout or throw). */
export type Verdict = 'ok' | 'retry' | 'split' | 'drop';

/**
 * Capped exponential backoff with jitter: attempt 1 → ~1 s, attempt 2 → ~2 s, … capped at 30 s.
 * The jitter spreads ±25 % so that many tabs or pages do not retry in lockstep. `attempt` ≥ 1.
 */
export const backoff = (attempt: number, random: () => number): number =>
  Math.round(Math.min(3e4, Math.min(3e4, 1e3 * 2 ** (attempt - 1)) * (0.75 + random() * 0.5)));

/**
 * Retry network errors, 408, 429 and 5xx (a retry can fix them); split on 413; drop other 4xx
 * (400, 401, 403, 422…: the same body would fail again); 1xx/3xx are treated as network errors.
 */
export const statusPolicy = (s: number): Verdict =>
  s > 199 && s < 300
    ? 'ok'
    : s == 413
      ? 'split'
      : s > 399 && s < 500 && s != 408 && s != 429
        ? 'drop'
        : 'retry';
