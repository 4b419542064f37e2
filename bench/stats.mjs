// Small statistics for the bench: medians and quartiles of a list of numbers (nulls ignored).

const nums = (xs) => xs.filter((x) => typeof x === 'number' && Number.isFinite(x)).sort((a, b) => a - b);

/** The q-quantile (0..1) with linear interpolation; null for an empty list. */
export function quantile(xs, q) {
  const s = nums(xs);
  if (!s.length) return null;
  const i = (s.length - 1) * q;
  const lo = Math.floor(i);
  return s[lo] + (s[Math.min(lo + 1, s.length - 1)] - s[lo]) * (i - lo);
}

export const median = (xs) => quantile(xs, 0.5);

/** Interquartile range: the spread of the middle half of the runs. */
export const iqr = (xs) => {
  const a = quantile(xs, 0.25);
  return a === null ? null : quantile(xs, 0.75) - a;
};
