import { onCLS, onFCP, onINP, onLCP, onTTFB, type Metric } from 'web-vitals';
import type { WebVitalMeasured } from '../schema';

/** Report the page's own LCP, INP, CLS, FCP and TTFB (final values, once each, via `web-vitals`). */
export function vitals(report: (m: WebVitalMeasured) => void): void {
  const cb = (m: Metric) =>
    report({
      metric: m.name,
      value: Math.round(m.value * 1000) / 1000,
      delta: Math.round(m.delta * 1000) / 1000,
      rating: m.rating,
      id: m.id,
      navigation_type: m.navigationType,
    });
  for (const on of [onCLS, onFCP, onINP, onLCP, onTTFB]) on(cb);
}
