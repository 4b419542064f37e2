import { backoff, statusPolicy, type SendResult } from './retryPolicy';
import type { Flight, Queue, QueueDeps } from './queueTypes';

export type { Flight, Queue, QueueDeps, QueueReport } from './queueTypes';

/**
 * A batching queue: flushes at `batchSize` items (or `maxBytes`) or `flushInterval` ms after the
 * first, retries with capped jittered backoff honouring Retry-After, splits a batch the server
 * refused as a whole (400, 413, 422) until the bad item is alone, evicts the oldest beyond
 * `maxItems`. Pure: clock and transport injected.
 */
export function createQueue<T>(d: QueueDeps<T>): Queue<T> {
  const { clock, report, concurrency } = d;
  let flights: Flight<T>[] = [];
  let pending: T[] = [];
  let timer: unknown;
  /** A pump is due at the end of this task. */
  let soon = false;
  let attempt = 0;
  let waitUntil = 0;
  /** Until when the endpoint asked to wait (Retry-After): a success of another batch does not lift it. */
  let hold = 0;
  /** After a split: a smaller batch size until caught up (0: the configured one). */
  let cap = 0;
  let stopped = false;
  /** Sending everything (a flush or the interval), not only whole batches, until the queue is empty. */
  let draining = false;
  /** Removed (`drop(reason, true)`): what reaches it or fails after is reported dropped with this reason. */
  let gone: string | undefined;
  /** `flush()` calls waiting for the queue to empty or fail. */
  const waiting: Array<() => void> = [];
  // (The functions below are declared in the order that packs tracker.js smallest: none runs before
  // createQueue returns.)
  const unschedule = () => {
    clock.clear(timer);
    timer = undefined;
  };
  const size = () => cap || d.limits.batchSize;

  /**
   * Is a whole batch (by count or by bytes) waiting? (Fewer than a batch: `next()` takes fewer only
   * when cut by bytes; none: it takes at least as many.)
   */
  const whole = () => pending.length >= size() || next() < pending.length;

  /** How many of the pending items the next batch takes (count, then bytes). */
  const next = (): number => {
    const n = Math.min(size(), pending.length);
    if (!d.maxBytes || !d.bytes) return n;
    let i = 0;
    for (let left = d.maxBytes; i < n && (left -= d.bytes(pending[i] as T)) >= 0;) i++;
    return i || 1;
  };
  /**
   * Send the whole batches pending at the end of this task (a microtask: not inside the add() or a
   * caller's loop, which a callback destination could re-enter, yet before a navigation's pagehide;
   * the pipeline adds outside the host page's task), or schedule the next flush (the retry wait or
   * the interval). A count-triggered flush sends whole batches only; the rest waits for the interval
   * (≥ batchSize per request).
   */
  const plan = () => {
    // Something to send, and room in flight (pump()'s own test; `concurrency` is a number, 1 or 4).
    if (!stopped && pending.length && flights.length < concurrency) {
      const wait = waitUntil - clock.now();
      if (wait <= 0 && whole()) {
        if (!soon) {
          soon = true;
          void Promise.resolve().then(() => {
            soon = false;
            pump();
          });
        }
      } else {
        // The retry wait, or the interval. (pump() unschedules: this timer is done.)
        timer ??= clock.set(
          () => {
            draining = true;
            pump();
          },
          wait > 0 ? wait : d.limits.flushInterval,
        );
      }
    }
  };

  /** Start batches while there is room in flight: whole ones, or everything while draining. */
  const pump = () => {
    unschedule();
    while (
      !stopped &&
      clock.now() >= waitUntil &&
      flights.length < concurrency &&
      (draining ? pending.length : whole())
    )
      start();
    // (Stopped: a flush() waits for nothing.)
    if (stopped || (!pending.length && !flights.length)) {
      draining = false;
      settleWaiters();
    }
    plan();
  };

  const settleWaiters = () => {
    waiting.splice(0).map((r) => r());
  };

  const items = () => flights.flatMap((f) => f.items).concat(pending);

  /** Send one batch; its answer decides what follows. */
  const start = () => {
    const f: Flight<T> = { __proto__: null, items: pending.splice(0, next()) } as Flight<T>;
    flights.push(f);
    // The attempts before this batch's: batches in flight together that fail together are one attempt.
    const a = attempt;
    let t: unknown;
    // The answer, or a timeout, whichever comes first (a throw or a rejection: status 0).
    void new Promise<SendResult>((r, reject) => {
      d.send(f.items, f).then(r, reject);
      t = clock.set(() => r({ status: 0, error: 'timeout' }), d.timeout);
    })
      .catch((): SendResult => ({ status: 0 }))
      // The answer decides what follows: its own fields (a page's Object.prototype.retryAfter, .via or
      // .error is not the answer's).
      .then((answer) => {
        const { status, via, retryAfter, error } = { __proto__: null, ...answer } as SendResult;
        clock.clear(t);
        f.over = true;
        flights = flights.filter((x) => x != f);
        // Each answer ends in a pump, unless the queue was removed for good (`drop(reason, true)`). (A
        // batch taken away while in flight, the page hidden, is no longer ours: only the pump.)
        if (!f.taken) {
          const batch = f.items;
          const v = statusPolicy(status);
          // Delivered or dropped (`ok`, `drop`), or refused as a whole with nothing to split: one event
          // alone, or stopped (a batch refused as a whole is not split any more; it is dropped whole).
          if (v != 'retry' && (v != 'split' || batch.length < 2 || stopped)) {
            // The endpoint answers again: no more backoff, but a Retry-After it gave still holds.
            attempt = 0;
            waitUntil = hold > clock.now() ? hold : 0;
            // After a split: small batches until caught up (413: the items are large), or, once the one
            // event the server refused (400, 422) is isolated and dropped, whole batches again.
            if (!pending.length || (v == 'split' && status != 413)) cap = 0;
            if (v == 'ok') report('delivered', batch, via);
            else report('dropped', batch, 'status ' + status);
            d.changed();
          } else if (gone) return report('dropped', batch, gone);
          else {
            pending = batch.concat(pending);
            if (v == 'split') cap = (batch.length + 1) >> 1;
            else {
              // One more than now, only for a batch sent since the last failure (after another batch's
              // success meanwhile, the first again); a batch of an earlier attempt that fails late (a
              // timeout) leaves it.
              attempt += +(a >= attempt);
              const delay = Math.max(backoff(attempt, d.random), retryAfter || 0);
              if (retryAfter) hold = clock.now() + retryAfter;
              // Another batch's shorter backoff does not cut short a wait the endpoint asked for.
              waitUntil = Math.max(clock.now() + delay, hold);
              report('retry', batch, status ? 'status ' + status : error || 'network error', attempt, delay);
              draining = false;
              settleWaiters();
            }
          }
        }
        // (pump(): nothing starts before `waitUntil`; after a retry it re-arms the timer for it, where an
        // interval armed for what came after this batch would hold the retry back.)
        pump();
      });
  };

  /** After the content grew: evict beyond the bound, tell, schedule. */
  const grown = () => {
    // (A loop, not `reduce()`: Prototype.js 1.6 replaces `Array.prototype.reduce`.)
    let over = pending.length - d.maxItems;
    for (const f of flights) over += f.items.length;
    // One over (the steady case of a full queue): shift() is O(1) where splice() copies the array.
    if (over > 0) report('dropped', over < 2 ? [pending.shift() as T] : pending.splice(0, over), 'evicted');
    d.changed();
    plan();
  };

  const take = (which?: 'unkept' | 'all') => {
    const taken: T[] = [];
    if (which)
      flights = flights.filter((f) => {
        if (which == 'unkept' && f.kept) return true;
        f.taken = f.over = true;
        taken.push(...f.items);
        return false;
      });
    // A flush() still waits for the batches left in flight.
    if (!flights.length) settleWaiters();
    // (and every pending item, which leaves the queue empty)
    return taken.concat(pending.splice(0));
  };

  // (members in the order that packs tracker.js smallest: the queue is read by name, its spread copies
  // included)
  return {
    add(item) {
      if (gone) return report('dropped', [item], gone);
      pending.push(item);
      grown();
    },
    queued: () => items().length,
    putBack(items) {
      pending = items.concat(pending);
      grown();
    },
    map(fn) {
      pending = pending.map(fn);
      for (const f of flights) f.items = f.items.map(fn);
    },
    flush: () =>
      new Promise<void>((r) => {
        waitUntil = 0;
        draining = true;
        waiting.push(r);
        pump();
      }),
    failing: () => attempt > 0,
    drop(reason, queued) {
      if (queued) gone ||= reason;
      const out = take(queued ? undefined : 'all');
      if (out.length) report('dropped', out, reason);
    },
    stop() {
      stopped = true;
      // (it unschedules, starts nothing and settles the waiters)
      pump();
    },
    take,
    items,
  };
}
