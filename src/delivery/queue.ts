import type { Clock } from '../lib/clock';
import { backoff, statusPolicy, type SendResult } from './retryPolicy';

export type QueueReport = 'delivered' | 'dropped' | 'retry';

export interface QueueDeps<T> {
  /** Deliver one batch; a throw or rejection counts as status 0. */
  send(items: T[]): Promise<SendResult>;
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
  changed?(): void;
}

export interface Queue<T> {
  /** Enqueue (cheap: no serialization); a flush is scheduled. */
  add(item: T): void;
  /** Send everything queued now, batch by batch; resolves when empty or when a batch failed. */
  flush(): Promise<void>;
  /** Remove and return the queued items, oldest first; with `flight`, the batch in flight too (its answer is then ignored). */
  take(flight?: boolean): T[];
  /** Put items back at the head (older than what is queued). */
  putBack(items: T[]): void;
  /** Items not yet delivered, the batch in flight first. */
  items(): T[];
  /** True while the last send failed (waiting for a retry). */
  failing(): boolean;
  /** Stop timers for good (what is queued stays queued). */
  stop(): void;
  /** Map every queued item (e.g. to strip identifiers after consent is denied). */
  map(fn: (item: T) => T): void;
}

/**
 * A batching queue: flushes at `batchSize` items or `flushInterval` ms after the first, retries
 * with capped jittered backoff honouring Retry-After, splits on 413, evicts the oldest beyond
 * `maxItems`. One batch in flight at a time, so order is kept. Pure: clock and transport injected.
 */
export function createQueue<T>(d: QueueDeps<T>): Queue<T> {
  const { clock, report } = d;
  let pending: T[] = [];
  let flying: T[] = [];
  let timer: unknown;
  /** The timer is a count-triggered flush (due now): more items do not need a new one. */
  let due = false;
  let attempt = 0;
  let waitUntil = 0;
  /** After a 413: a smaller batch size until caught up (0: the configured one). */
  let cap = 0;
  const size = () => cap || d.limits.batchSize;
  /** Bumped when the batch in flight is taken away: its answer is then ignored. */
  let flight = 0;
  let running: Promise<void> | undefined;
  let stopped = false;

  const unschedule = () => {
    clock.clear(timer);
    timer = undefined;
    due = false;
  };

  /** Schedule the next flush for what is pending (count, retry wait or interval). */
  const plan = () => {
    if (running || stopped || !pending.length) return;
    const full = pending.length >= size();
    if (due && full) return; // a burst: the flush due now is already set
    const wait = waitUntil - clock.now();
    // A count-triggered flush sends whole batches only; the rest waits for the interval (≥ batchSize per request).
    const whole = wait <= 0 && full;
    if (whole) unschedule();
    if (timer !== undefined) return;
    due = whole;
    timer = clock.set(
      () => {
        timer = undefined;
        due = false;
        void flush(whole);
      },
      wait > 0 ? wait : full ? 0 : d.limits.flushInterval,
    );
  };

  /** After the content grew: evict beyond the bound, tell, schedule. */
  const grown = () => {
    const over = pending.length + flying.length - d.maxItems;
    // One over (the steady case of a full queue): shift() is O(1) where splice() copies the array.
    if (over > 0) report('dropped', over < 2 ? [pending.shift() as T] : pending.splice(0, over), 'evicted');
    d.changed?.();
    plan();
  };

  /** Send one batch; true to go on with the next. */
  const sendOne = async (): Promise<boolean> => {
    const batch = (flying = pending.splice(0, size()));
    const mine = ++flight;
    let t: unknown;
    const res = await Promise.race([
      new Promise<SendResult>((r) => r(d.send(batch))),
      new Promise<SendResult>((r) => (t = clock.set(() => r({ status: 0, error: 'timeout' }), d.timeout))),
    ]).catch((): SendResult => ({ status: 0 }));
    clock.clear(t);
    if (mine != flight) return true; // taken away while in flight (page hidden): no longer ours
    const back = flying;
    const v = statusPolicy(res.status);
    const why = 'status ' + res.status;
    flying = [];
    if (v == 'ok' || v == 'drop' || (v == 'split' && batch.length < 2)) {
      attempt = waitUntil = 0;
      if (!pending.length) cap = 0; // after a 413, small batches until caught up
      report(v == 'ok' ? 'delivered' : 'dropped', back, v == 'ok' ? undefined : why);
      d.changed?.();
      return true;
    }
    pending = back.concat(pending);
    if (v == 'split') {
      cap = Math.ceil(batch.length / 2);
      return true;
    }
    const delay = Math.max(backoff(++attempt, d.random), res.retryAfter || 0);
    waitUntil = clock.now() + delay;
    report('retry', back, res.status ? why : res.error || 'network error', attempt, delay);
    return false;
  };

  const flush = (whole?: boolean): Promise<void> => {
    unschedule();
    return (running ||= (async () => {
      while (pending.length >= (whole ? size() : 1) && (await sendOne()));
    })().finally(() => {
      running = undefined;
      plan();
    }));
  };

  return {
    add(item) {
      pending.push(item);
      grown();
    },
    flush() {
      waitUntil = 0;
      return flush();
    },
    take(all) {
      if (all) {
        pending = flying.concat(pending);
        flying = [];
        flight++;
      }
      const out = pending;
      pending = [];
      return out;
    },
    putBack(items) {
      pending = items.concat(pending);
      grown();
    },
    items: () => flying.concat(pending),
    failing: () => attempt > 0,
    stop() {
      stopped = true;
      unschedule();
    },
    map(fn) {
      pending = pending.map(fn);
      flying = flying.map(fn);
    },
  };
}
