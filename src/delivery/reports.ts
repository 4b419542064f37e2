import type { TrackerEvent } from '../schema';
import type { DeliveryReport, ReportKind, TrackerStats } from '../types';
import type { Log } from '../lib/log';
import type { QueueReport } from './queue';

export interface Reports {
  /**
   * The reporter of outcomes at `name` (a destination, or `tracker`); a drop for reason `evicted`
   * (for lack of room) is counted apart too.
   */
  reporter(
    name: string,
  ): (kind: QueueReport, events: TrackerEvent[], r?: string, a?: number, d?: number) => void;
  on(kind: ReportKind, handler: (r: DeliveryReport) => void): () => void;
  /** The live counters (without `queued`, which the destinations know): copy them to hand out. */
  counts(): Omit<TrackerStats, 'queued'>;
}

/** Delivery outcomes: counted, logged when debugging, and given to `tracker.on` listeners. */
export function createReports(log: Log, debug: boolean): Reports {
  /** The `on` listeners: replaced, never changed, by `on` and its unbind, so a report runs on a copy. */
  let listeners: Array<[ReportKind, (r: DeliveryReport) => void]> = [];
  const counts = { delivered: 0, dropped: 0, retried: 0, evicted: 0 };
  return {
    reporter: (destination) => (kind, events, reason, attempt, delay) => {
      if (reason == 'evicted') counts.evicted += events.length;
      counts[kind == 'retry' ? 'retried' : kind] += events.length;
      if (debug)
        if (DEBUG)
          log(kind + ' ' + events.length + ' → ' + destination + (reason ? ' (' + reason + ')' : ''), counts);
      const report = { destination, events, reason, attempt, delay };
      for (const [k, fn] of listeners)
        try {
          if (k == kind) fn(report);
        } catch {
          /* a listener's error stays with the listener */
        }
    },
    on(kind, handler) {
      const e: [ReportKind, typeof handler] = [kind, handler];
      // (not a function, or no such report: not listed, and its unbind finds nothing to remove)
      if (typeof handler == 'function' && ['delivered', 'dropped', 'retry'].indexOf(kind) >= 0)
        listeners = listeners.concat([e]);
      return () => void (listeners = listeners.filter((x) => x != e));
    },
    counts: () => counts,
  };
}
