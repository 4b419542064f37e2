/** What a send's answer means for its batch: deliver, retry (and when), split or drop. */

/** How a send went: an HTTP status (0 = network error, throw or timeout), an optional Retry-After in ms and why. */
export interface SendResult {
  status: number;
  retryAfter?: number;
  error?: string;
  /** How a delivered batch went when it was not a plain answer (`beacon`: handed over, no answer). */
  via?: string;
}

/** What to do with a batch after a send answered `status` (0 = network error, timeout or throw). */
export type Verdict = 'ok' | 'retry' | 'split' | 'drop';

/**
 * Capped exponential backoff with jitter: attempt 1 → ~1 s, attempt 2 → ~2 s, … capped at 30 s.
 * The jitter spreads ±25 % so that many tabs or pages do not retry in lockstep. `attempt` ≥ 1.
 */
export const backoff = (attempt: number, random: () => number): number =>
  Math.round(Math.min(3e4, Math.min(3e4, 500 * 2 ** attempt) * (0.75 + random() / 2)));

/**
 * Retry network errors, 408, 429 and 5xx (a retry can fix them); split a batch refused as a whole
 * (413 too large; 400 and 422, which engines answer for a whole request when one event is bad) until
 * the bad event is alone; drop other 4xx (401, 403…: the same body would fail again); 1xx/3xx are
 * treated as network errors.
 */
export const statusPolicy = (s: number): Verdict =>
  s == 413 || s == 400 || s == 422
    ? 'split'
    : s > 199 && s < 300
      ? 'ok'
      : s != 408 && s != 429 && s > 399 && s < 500
        ? 'drop'
        : 'retry';

/** Retry-After (seconds, or an HTTP date) in ms from `now`; undefined when absent or past; at most an hour. */
export function retryAfterMs(header: string | null | undefined, now: number): number | undefined {
  const v = (header || '').trim();
  // (empty: +'' is 0)
  const ms = isFinite(+v) ? +v * 1e3 : Date.parse(v) - now;
  return ms > 0 ? Math.min(36e5, ms) : undefined;
}
