import type { ConsentState, TrackerEvent } from '../schema';
import type { Pair } from '../pipeline/orderedProtect';

/** Events replayed to a destination registered late. */
const HISTORY = 100;

/** Where events go: the endpoint and each registered callback are one of these. */
export interface Destination {
  /** The name in delivery reports (a callback's is its reporter's only). */
  name?: string;
  /**
   * Gets identity fields in clear (an in-page callback registered with `pii: 'keep'`). Like every
   * member the router reads, each destination has its own: a page's Object.prototype must not give one.
   */
  keep: boolean;
  /** Queue one event. */
  add(e: TrackerEvent): void;
  /** Send what is queued now. */
  flush(): Promise<void>;
  /** Events not yet delivered. */
  queued(): number;
  /** Replace every queued event (consent denied: identifiers stripped). */
  map(fn: (e: TrackerEvent) => TrackerEvent): void;
  /**
   * Drop every queued event, in flight too unless `queued` (then for good: what is added later, or in
   * flight and fails, is dropped too), reported with `reason`.
   */
  drop(reason: string, queued?: boolean): void;
  /** The consent now (and when added): a destination that stores events may do so only when granted. */
  consent(state: ConsentState): void;
  /** The page is hidden (`final`: pagehide) or shown again (`restored`: from the bfcache). */
  hidden(final: boolean): void;
  /** (Nothing for a callback to do: it lives and dies with the page.) */
  shown(restored: boolean): void;
  /** Stop for good. */
  stop(): void;
}

export interface Router {
  /**
   * Add a destination (with the recent history, unless `replay` is false); returns its removal, which
   * reports what it still had queued, not yet sent to it, as dropped (`unregistered`), and so what
   * it had that then fails, and what reaches it until `after` settles (the events made before,
   * still being hashed; else it is removed at once).
   */
  add(d: Destination, replay?: boolean): (after?: Promise<unknown>) => void;
  /** Deliver one event to every destination. */
  deliver(p: Pair): void;
  /**
   * The consent changed: every destination is told; when denied, what is queued and remembered is
   * made anonymous with `anonymize`, or (`drop`) dropped.
   */
  consent(state: ConsentState, anonymize: (e: TrackerEvent) => TrackerEvent, drop: boolean): void;
  flush(): Promise<void>;
  hidden(final: boolean): void;
  shown(restored: boolean): void;
  queued(): number;
  stop(): void;
}

/** The destinations, and the last 100 events for those registered late. */
export function createRouter(): Router {
  let dests: Destination[] = [];
  const history: Pair[] = [];
  let state: ConsentState = 'pending';
  // (`each` declared before `give`: the order that packs tracker.js smallest)
  const each = (fn: (d: Destination) => unknown) => dests.map(fn);
  const give = (d: Destination, p: Pair) => d.add(d.keep ? p.raw : p.safe);
  // (members in the order that packs tracker.js smallest: the router is only read by name)
  return {
    deliver(p) {
      if (history.push(p) > HISTORY) history.shift();
      for (const d of dests) give(d, p);
    },
    consent(next, anonymize, drop) {
      state = next;
      if (next == 'denied') {
        if (drop) history.length = 0;
        for (const p of history) {
          p.safe = anonymize(p.safe);
          p.raw = anonymize(p.raw);
        }
        each((d) => (drop ? d.drop('consent denied') : d.map(anonymize)));
      }
      each((d) => d.consent(next));
    },
    flush: () => Promise.all(each((d) => d.flush())).then(() => undefined),
    hidden(final) {
      each((d) => d.hidden(final));
    },
    stop() {
      each((d) => d.stop());
    },
    shown(restored) {
      each((d) => d.shown(restored));
    },
    queued() {
      // (A loop, not `reduce()`: Prototype.js 1.6 replaces `Array.prototype.reduce`.)
      let n = 0;
      for (const d of dests) n += d.queued();
      return n;
    },
    add(d, replay) {
      dests.push(d);
      d.consent(state);
      if (replay !== false) for (const p of history) give(d, p);
      return (after) => {
        // What it still had queued is not sent to it: reported dropped (a batch it has is its own,
        // but for a failure then); so is what reaches it until `after` (events made before, hashed).
        d.drop('unregistered', true);
        d.stop();
        const rm = () => void (dests = dests.filter((x) => x != d));
        if (after) void after.then(rm);
        else rm();
      };
    },
  };
}
