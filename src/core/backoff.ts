/**
 * Capped exponential backoff with jitter: attempt 1 → ~base, attempt 2 → ~2·base, … capped at `cap`.
 * The jitter spreads ±25 % so that many tabs or pages do not retry in lockstep.
 */
export function backoff(attempt: number, random: () => number, base = 1000, cap = 30000): number {
  const exp = Math.min(cap, base * Math.pow(2, Math.max(0, attempt - 1)));
  return Math.round(Math.min(cap, exp * (0.75 + random() * 0.5)));
}
