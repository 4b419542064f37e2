import { backoff } from './backoff';
import type { Clock } from './clock';
import { statusPolicy } from './statusPolicy';

/** How a send went: an HTTP status (0 = network error, throw or timeout) and an optional Retry-After in ms. */
export interface SendResult {
  status: number;
  retryAfter?: number;
}

export type QueueReport = 'delivered' | 'dropped' | 'retry';

export interface QueueDeps<T> {
  /** Deliver one batch. Must not throw; a rejection counts as status 0. */
  send(items: T[]): Promise<SendResult>;
  clock: Clock;
  random(): number;
  batchSize: number;
  flushInterval: number;
  /** Upper bound of queued items; the oldest are evicted beyond it. */
  maxItems: number;
  /** Delivery outcomes (`reason` for dropped/retry, `attempt` and `delay` for retry). */
  report(kind: QueueReport, items: T[], reason?: string, attempt?: number, delay?: number): void;
  /** Called after every change of the queue's content (persistence hooks here). */
  changed?(): void;
  /** Priority for unload ordering: higher first. */
  priority?(item: T): number;
}

export interface Queue<T> {
  /** Enqueue (cheap: no serialization; a flush is scheduled). */
  add(item: T): void;
  /** Send everything queued now, batch by batch; resolves when done or when a batch failed. */
  flush(): Promise<void>;
  /** Take every item that is not in flight (for an unload beacon), highest priority first. */
  take(): T[];
  /** Put items back at the head (what an unload beacon could not carry). */
  putBack(items: T[]): void;
  /** Items not yet delivered, in flight included. */
  items(): T[];
  /** Replace the content (e.g. after another tab adopted or changed the stored queue). */
  replace(items: T[]): void;
  /** Stop timers. */
  stop(): void;
  /** Map every queued item (e.g. to strip identifiers after consent is denied). */
  map(fn: (item: T) => T): void;
}

/**
 * A batching queue with count/timer flush, capped jittered backoff honouring Retry-After,
 * 413 splitting and bounded size. Pure: no DOM, clock and transport are injected.
 */
export function createQueue<T>(d: QueueDeps<T>): Queue<T> {
  let pending: T[] = [];
  let flying: T[] = [];
  let timer: unknown;
  let attempt = 0;
  let waitUntil = 0;
  let cap = d.batchSize;
  let running: Promise<void> | undefined;

  const changed = () => d.changed && d.changed();

  function schedule(ms: number) {
    if (timer !== undefined) return;
    timer = d.clock.set(() => {
      timer = undefined;
      void flush();
    }, ms);
  }

  function reschedule(ms: number) {
    if (timer !== undefined) d.clock.clear(timer);
    timer = undefined;
    schedule(ms);
  }

  async function sendOne(): Promise<boolean> {
    const batch = pending.splice(0, cap);
    flying = batch;
    let res: SendResult;
    try {
      res = await d.send(batch);
    } catch {
      res = { status: 0 };
    }
    flying = [];
    const verdict = statusPolicy(res.status);
    if (verdict === 'ok') {
      attempt = 0;
      cap = d.batchSize;
      d.report('delivered', batch);
      changed();
      return true;
    }
    if (verdict === 'drop' || (verdict === 'split' && batch.length < 2)) {
      d.report('dropped', batch, 'status ' + res.status);
      changed();
      return true;
    }
    pending = batch.concat(pending);
    if (verdict === 'split') {
      cap = Math.ceil(batch.length / 2);
      return true;
    }
    attempt++;
    const delay = Math.max(backoff(attempt, d.random), res.retryAfter || 0);
    waitUntil = d.clock.now() + delay;
    d.report('retry', batch, res.status ? 'status ' + res.status : 'network error', attempt, delay);
    reschedule(delay);
    return false;
  }

  function flush(): Promise<void> {
    if (running) return running;
    if (timer !== undefined) d.clock.clear(timer);
    timer = undefined;
    running = (async () => {
      while (pending.length && (await sendOne()));
    })().finally(() => {
      running = undefined;
    });
    return running;
  }

  return {
    add(item) {
      pending.push(item);
      const over = pending.length + flying.length - d.maxItems;
      if (over > 0) d.report('dropped', pending.splice(0, over), 'evicted');
      changed();
      if (running) return;
      const wait = waitUntil - d.clock.now();
      if (wait > 0) schedule(wait);
      else if (pending.length >= cap) reschedule(0);
      else schedule(d.flushInterval);
    },
    flush() {
      waitUntil = 0;
      return flush();
    },
    take() {
      const out = pending;
      pending = [];
      if (d.priority) {
        const p = d.priority;
        out.sort((a, b) => p(b) - p(a));
      }
      return out;
    },
    putBack(items) {
      pending = items.concat(pending);
      if (pending.length) schedule(d.flushInterval);
    },
    items: () => flying.concat(pending),
    replace(items) {
      pending = items.slice();
      if (pending.length) schedule(d.flushInterval);
    },
    stop() {
      if (timer !== undefined) d.clock.clear(timer);
      timer = undefined;
    },
    map(fn) {
      pending = pending.map(fn);
      flying = flying.map(fn);
    },
  };
}
