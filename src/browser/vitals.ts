import { onCLS, onFCP, onINP, onLCP, onTTFB, type Metric } from 'web-vitals';
import type { WebVitalMeasured } from '../schema';

const round = (n: number) => Math.round(n * 1000) / 1000;

/** Report the page's own LCP, INP, CLS, FCP and TTFB (via `web-vitals`, final values, buffered). */
export function reportVitals(report: (m: WebVitalMeasured) => void): void {
  const cb = (m: Metric) =>
    report({
      metric: m.name,
      value: round(m.value),
      delta: round(m.delta),
      rating: m.rating,
      id: m.id,
      navigation_type: m.navigationType,
    });
  for (const on of [onCLS, onFCP, onINP, onLCP, onTTFB]) on(cb);
}
