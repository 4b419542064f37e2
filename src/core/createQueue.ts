import { backoff } from './backoff';
import type { Clock } from './clock';
import { statusPolicy } from './statusPolicy';

/** How a send went: an HTTP status (0 = network error, throw or timeout), an optional Retry-After in ms and why. */
export interface SendResult {
  status: number;
  retryAfter?: number;
  error?: string;
}

export type QueueReport = 'delivered' | 'dropped' | 'retry';

export interface QueueDeps<T> {
  /** Deliver one batch; a throw or rejection counts as status 0. */
  send(items: T[]): Promise<SendResult>;
  clock: Clock;
  random(): number;
  batchSize: number;
  flushInterval: number;
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
  let pending: T[] = [];
  let flying: T[] = [];
  let timer: unknown;
  let attempt = 0;
  let waitUntil = 0;
  let cap = d.batchSize;
  let flight = 0;
  let running: Promise<void> | undefined;
  let stopped = false;

  const changed = () => d.changed && d.changed();

  function unschedule() {
    if (timer !== undefined) d.clock.clear(timer);
    timer = undefined;
  }

  function schedule(ms: number) {
    if (timer === undefined)
      timer = d.clock.set(() => {
        timer = undefined;
        void flush();
      }, ms);
  }

  /** Schedule the next flush for what is pending (count, retry wait or interval). */
  function plan() {
    if (running || stopped || !pending.length) return;
    const wait = waitUntil - d.clock.now();
    if (wait > 0) schedule(wait);
    else {
      if (pending.length >= cap) unschedule();
      schedule(pending.length >= cap ? 0 : d.flushInterval);
    }
  }

  function bound() {
    const over = pending.length + flying.length - d.maxItems;
    if (over > 0) d.report('dropped', pending.splice(0, over), 'evicted');
  }

  async function sendOne(): Promise<boolean> {
    const batch = (flying = pending.splice(0, cap));
    const mine = ++flight;
    let t: unknown;
    let res: SendResult;
    try {
      res = await Promise.race([
        d.send(batch),
        new Promise<SendResult>(
          (r) => (t = d.clock.set(() => r({ status: 0, error: 'timeout' }), d.timeout)),
        ),
      ]);
    } catch {
      res = { status: 0 };
    }
    d.clock.clear(t);
    if (mine !== flight) return true; // taken away while in flight (page hidden): no longer ours
    const back = flying;
    flying = [];
    const verdict = statusPolicy(res.status);
    if (verdict === 'ok' || verdict === 'drop' || (verdict === 'split' && batch.length < 2)) {
      attempt = 0;
      waitUntil = 0;
      if (!pending.length) cap = d.batchSize; // after a 413, small batches until caught up
      d.report(
        verdict === 'ok' ? 'delivered' : 'dropped',
        back,
        verdict === 'ok' ? undefined : 'status ' + res.status,
      );
      changed();
      return true;
    }
    pending = back.concat(pending);
    if (verdict === 'split') {
      cap = Math.ceil(batch.length / 2);
      return true;
    }
    const delay = Math.max(backoff(++attempt, d.random), res.retryAfter || 0);
    waitUntil = d.clock.now() + delay;
    d.report(
      'retry',
      back,
      res.status ? 'status ' + res.status : res.error || 'network error',
      attempt,
      delay,
    );
    return false;
  }

  function flush(): Promise<void> {
    unschedule();
    return (running =
      running ||
      (async () => {
        while (pending.length && (await sendOne()));
      })().finally(() => {
        running = undefined;
        plan();
      }));
  }

  return {
    add(item) {
      pending.push(item);
      bound();
      changed();
      plan();
    },
    flush() {
      waitUntil = 0;
      return flush();
    },
    take(all) {
      const out = (all ? flying : []).concat(pending);
      if (all) {
        flying = [];
        flight++;
      }
      pending = [];
      return out;
    },
    putBack(items) {
      pending = items.concat(pending);
      bound();
      changed();
      plan();
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
