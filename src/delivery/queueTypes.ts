// The batching queue's types (src/delivery/queue.ts): what it sends, what it needs, what it offers.
import type { Clock } from '../lib/clock';
import type { SendResult } from './retryPolicy';

export type QueueReport = 'delivered' | 'dropped' | 'retry';

/** A batch being sent (with no prototype: a field not set is absent, not a page's Object.prototype value). */
export interface Flight<T> {
  items: T[];
  /** Set by the sender once the batch is with the browser in a way that outlives the page (keepalive, beacon). */
  kept?: boolean;
  /** Taken back (the page is going): its answer is ignored. */
  taken?: boolean;
  /** The queue no longer waits for this send (answered, timed out or taken back): a sender still waiting gives up. */
  over?: boolean;
}

export interface QueueDeps<T> {
  /** Deliver one batch; a throw or rejection counts as status 0. */
  send(items: T[], flight: Flight<T>): Promise<SendResult>;
  clock: Clock;
  random(): number;
  /** Batch size and flush interval, read when used (the store's settings may change them). */
  limits: { batchSize: number; flushInterval: number };
  /** A send that has not settled after this many ms counts as failed (status 0, `timeout`). */
  timeout: number;
  /** Upper bound of queued items (in flight included); the oldest are evicted beyond it. */
  maxItems: number;
  /** Delivery outcomes (`reason` for dropped/retry, `attempt` and `delay` for retry). */
  report(kind: QueueReport, items: T[], reason?: string, attempt?: number, delay?: number): void;
  /** Called after the content changed (persistence hooks here). */
  changed(): void;
  /** With `bytes` (an item's size in a batch), batches are cut at `maxBytes` too (a single item may be larger). */
  maxBytes?: number;
  bytes?(item: T): number;
  /** Batches in flight at once (1 keeps the order). */
  concurrency: number;
}

export interface Queue<T> {
  /** Enqueue (cheap: no serialization); a flush is scheduled. */
  add(item: T): void;
  /** Send everything queued now; resolves when nothing is left or a batch failed. */
  flush(): Promise<void>;
  /**
   * Remove and return the queued items, oldest first; `'unkept'` also takes the batches in flight that
   * would not outlive the page, `'all'` every batch in flight (their answers are then ignored).
   */
  take(flights?: 'unkept' | 'all'): T[];
  /** Put items back at the head (older than what is queued). */
  putBack(items: T[]): void;
  /** Items not yet delivered, those in flight first. */
  items(): T[];
  /** How many items are not yet delivered. */
  queued(): number;
  /**
   * Take every item, in flight included (their answers are then ignored), reported dropped for
   * `reason` (when any); `queued`: only those not sent yet (a batch in flight gets its own answer), and
   * for good: an item added later, or a batch in flight that fails, is reported dropped for `reason` too.
   */
  drop(reason: string, queued?: boolean): void;
  /** True while the last send failed (waiting for a retry). */
  failing(): boolean;
  /** Stop timers for good (what is queued stays queued). */
  stop(): void;
  /** Map every queued item (e.g. to strip identifiers after consent is denied). */
  map(fn: (item: T) => T): void;
}
