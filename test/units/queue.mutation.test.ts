// The batching queue (src/delivery/queue.ts), case by case with fake timers. Written to kill its
// mutants (`npm run mutation`, docs/mutation.md); test/delivery/queue.test.ts has the main behaviour.
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { realClock } from '../../src/browser/clock';
import { createQueue, type Flight, type QueueDeps } from '../../src/delivery/queue';
import type { SendResult } from '../../src/delivery/retryPolicy';

beforeEach(() => {
  vi.useFakeTimers();
  vi.setSystemTime(1000);
});
afterEach(() => vi.useRealTimers());

type Over = Partial<QueueDeps<number>> & { batchSize?: number; flushInterval?: number };

/**
 * A queue of numbers whose sends wait for `answer(i, result)` (i: the send's index), recording each
 * batch with its time and flight, and every report.
 */
function setup(over: Over = {}) {
  const { batchSize = 3, flushInterval = 2000, ...rest } = over;
  const sends: Array<{
    at: number;
    items: number[];
    flight: Flight<number>;
    answer: (r: SendResult) => void;
  }> = [];
  const reports: Array<[string, number[], string?, number?, number?]> = [];
  const changed = vi.fn();
  const q = createQueue<number>({
    send: (items, flight) =>
      new Promise<SendResult>(
        (answer) => void sends.push({ at: Date.now(), items: items.slice(), flight, answer }),
      ),
    clock: realClock,
    random: () => 0.5,
    limits: { batchSize, flushInterval },
    timeout: 30000,
    maxItems: 100,
    report: (kind, items, reason, attempt, delay) =>
      void reports.push([kind, items.slice(), reason, attempt, delay]),
    changed,
    concurrency: 1,
    ...rest,
  });
  const batches = () => sends.map((s) => s.items);
  const answer = async (i: number, r: SendResult | number) => {
    sends[i]?.answer(typeof r === 'number' ? { status: r } : r);
    await vi.advanceTimersByTimeAsync(0);
  };
  return { q, sends, batches, reports, answer, changed };
}

const tick = (ms = 0) => vi.advanceTimersByTimeAsync(ms);

describe('createQueue: when batches go', () => {
  it('the interval counts from the first queued item, not the last', async () => {
    const { q, sends } = setup();
    q.add(1);
    await tick(1000);
    q.add(2);
    await tick(999);
    expect(sends).toEqual([]);
    await tick(1);
    expect(sends.map((s) => [s.at, s.items])).toEqual([[3000, [1, 2]]]);
  });

  it('a flush clears the interval timer: the next item waits a whole interval', async () => {
    const { q, sends, answer } = setup();
    q.add(1);
    await tick(500);
    const f = q.flush();
    await answer(0, 200);
    await f;
    q.add(2);
    await tick(1999);
    expect(sends).toHaveLength(1);
    await tick(1);
    expect(sends.map((s) => [s.at, s.items])).toEqual([
      [1500, [1]],
      [3500, [2]],
    ]);
  });

  it('after a flush emptied the queue, a partial batch waits for the interval again', async () => {
    const { q, sends, answer } = setup();
    q.add(1);
    const f = q.flush();
    await answer(0, 200);
    await f;
    q.add(2);
    await tick(0);
    expect(sends).toHaveLength(1);
    await tick(2000);
    expect(sends[1]?.items).toEqual([2]);
  });

  it('flush() resolves only once every batch is answered', async () => {
    const { q, answer } = setup();
    for (let i = 1; i <= 4; i++) q.add(i);
    let done = false;
    void q.flush().then(() => (done = true));
    await tick(0);
    await answer(0, 200);
    expect(done).toBe(false); // [4] is in flight
    await answer(1, 200);
    expect(done).toBe(true);
  });

  it('flush() on an empty queue resolves at once', async () => {
    const { q, sends } = setup();
    await q.flush();
    expect(sends).toEqual([]);
  });

  it('one batch in flight by default: the next whole batch waits for its answer', async () => {
    const { q, batches, answer } = setup();
    for (let i = 1; i <= 7; i++) q.add(i);
    await tick(0);
    expect(batches()).toEqual([[1, 2, 3]]);
    await tick(5000);
    expect(batches()).toEqual([[1, 2, 3]]);
    await answer(0, 200);
    expect(batches()).toEqual([
      [1, 2, 3],
      [4, 5, 6],
    ]);
  });

  it('with concurrency 2: two batches in flight, a third waits for a free slot', async () => {
    const { q, batches, answer } = setup({ concurrency: 2 });
    for (let i = 1; i <= 9; i++) q.add(i);
    await tick(0);
    expect(batches()).toEqual([
      [1, 2, 3],
      [4, 5, 6],
    ]);
    await answer(1, 200);
    expect(batches()[2]).toEqual([7, 8, 9]);
    expect(batches()).toHaveLength(3);
  });

  it('arms no timer while the batches in flight fill every slot', async () => {
    const set = vi.spyOn(realClock, 'set');
    try {
      const { q } = setup();
      for (let i = 1; i <= 3; i++) q.add(i);
      await tick(0);
      const n = set.mock.calls.filter((c) => c[1] !== 30000).length; // the send timeout aside
      q.add(4);
      q.add(5);
      expect(set.mock.calls.filter((c) => c[1] !== 30000).length).toBe(n);
    } finally {
      set.mockRestore();
    }
  });

  it('leaves no timer behind once a batch is answered (the send timeout is cleared)', async () => {
    const { q, answer } = setup();
    for (let i = 1; i <= 3; i++) q.add(i);
    await tick(0);
    expect(vi.getTimerCount()).toBe(1); // the send's timeout
    await answer(0, 200);
    expect(vi.getTimerCount()).toBe(0);
  });
});

describe('createQueue: batches cut by bytes', () => {
  const bytes = (n: number) => n; // item n weighs n bytes

  it('cuts a batch at maxBytes, exactly, and sends a batch cut by bytes at once', async () => {
    const { q, batches, answer } = setup({ batchSize: 10, maxBytes: 10, bytes });
    for (const n of [3, 3, 4, 5]) q.add(n);
    await tick(0); // [3, 3, 4] is 10 bytes: a whole batch by bytes, sent without waiting
    expect(batches()).toEqual([[3, 3, 4]]);
    await answer(0, 200);
    expect(batches()).toEqual([[3, 3, 4]]); // [5] alone waits for the interval
    await tick(2000);
    expect(batches()[1]).toEqual([5]);
  });

  it('never more than batchSize items, however small they are', async () => {
    const { q, batches } = setup({ batchSize: 3, maxBytes: 1000, bytes });
    for (let i = 1; i <= 5; i++) q.add(1);
    await tick(0);
    expect(batches()).toEqual([[1, 1, 1]]);
  });

  it('an item larger than maxBytes goes alone', async () => {
    const { q, batches, answer } = setup({ batchSize: 10, maxBytes: 10, bytes });
    q.add(50);
    q.add(1);
    await tick(0);
    expect(batches()).toEqual([[50]]);
    await answer(0, 200);
    await tick(2000);
    expect(batches()[1]).toEqual([1]);
  });

  it('by count alone without maxBytes, or without bytes()', async () => {
    for (const over of [{ bytes }, { maxBytes: 1 }]) {
      const { q, batches } = setup(over);
      for (let i = 1; i <= 4; i++) q.add(100);
      await tick(0);
      expect(batches()).toEqual([[100, 100, 100]]);
    }
  });
});

describe('createQueue: answers', () => {
  it('marks the flight over once answered, and not before', async () => {
    const { q, sends, answer } = setup();
    for (let i = 1; i <= 3; i++) q.add(i);
    await tick(0);
    const f = sends[0]?.flight as Flight<number>;
    expect(f.over).toBe(undefined);
    expect(f.items).toEqual([1, 2, 3]);
    await answer(0, 200);
    expect(f.over).toBe(true);
    expect(f.taken).toBe(undefined);
  });

  it('a send that times out: over, retried, and its late answer ignored', async () => {
    const { q, sends, reports, answer } = setup({ timeout: 5000 });
    for (let i = 1; i <= 3; i++) q.add(i);
    await tick(4999);
    expect(reports).toEqual([]);
    await tick(1);
    expect(sends[0]?.flight.over).toBe(true);
    expect(reports).toEqual([['retry', [1, 2, 3], 'timeout', 1, 1000]]);
    await answer(0, 200); // too late
    expect(reports).toHaveLength(1);
    expect(q.items()).toEqual([1, 2, 3]);
  });

  it('a send that throws or rejects is a network error', async () => {
    const reports: string[] = [];
    let n = 0;
    const q = createQueue<number>({
      send: () => {
        if (n++ === 0) throw new Error('sync');
        return Promise.reject(new Error('async'));
      },
      clock: realClock,
      random: () => 0.5,
      limits: { batchSize: 1, flushInterval: 2000 },
      timeout: 30000,
      maxItems: 10,
      concurrency: 1,
      changed: () => undefined,
      report: (kind, items, reason, attempt, delay) =>
        void reports.push([kind, reason, attempt, delay].join()),
    });
    q.add(1);
    await tick(0);
    await tick(1000);
    expect(reports).toEqual(['retry,network error,1,1000', 'retry,network error,2,2000']);
    expect(q.failing()).toBe(true);
  });

  it('reports the error a send gives with status 0, and how a delivered batch went', async () => {
    const { q, reports, answer } = setup({ batchSize: 1 });
    q.add(1);
    await tick(0);
    await answer(0, { status: 0, error: 'offline' });
    await tick(1000);
    await answer(1, { status: 200, via: 'beacon' });
    expect(reports).toEqual([
      ['retry', [1], 'offline', 1, 1000],
      ['delivered', [1], 'beacon', undefined, undefined],
    ]);
  });

  it('tells `changed` after a delivery, a drop, an add and an eviction', async () => {
    const { q, answer, changed } = setup({ batchSize: 1, maxItems: 1 });
    q.add(1);
    expect(changed).toHaveBeenCalledTimes(1);
    await tick(0);
    await answer(0, 200);
    expect(changed).toHaveBeenCalledTimes(2);
    q.add(2);
    await tick(0);
    await answer(1, 403);
    expect(changed).toHaveBeenCalledTimes(4);
  });

  /** A queue of numbers in batches of 2, with no `changed` and no reports. */
  const plain = (send: (items: number[]) => Promise<SendResult>, maxItems: number) =>
    createQueue<number>({
      send,
      clock: realClock,
      random: () => 0.5,
      limits: { batchSize: 2, flushInterval: 2000 },
      timeout: 30000,
      maxItems,
      concurrency: 1,
      changed: () => undefined,
      report: () => undefined,
    });

  it('sends a whole batch at the end of the task that completed it (a microtask), not inside add() nor a task later', async () => {
    const sends: number[][] = [];
    const q = plain((items) => (sends.push(items), new Promise(() => undefined)), 100);
    q.add(1);
    q.add(2);
    q.add(3);
    expect(sends).toEqual([]); // not inside add(): a callback destination could re-enter its caller
    await Promise.resolve(); // (no timer runs: fake timers are not advanced)
    expect(sends).toEqual([[1, 2]]); // (one in flight at a time: concurrency 1)
  });

  it('works without `changed`', async () => {
    const sends: number[][] = [];
    const q = plain(async (items) => (sends.push(items), { status: items.includes(2) ? 413 : 200 }), 2);
    q.add(1);
    q.add(2);
    q.add(3); // evicts 1
    q.putBack([0]); // evicts 0
    await q.flush();
    expect(sends).toEqual([[2, 3], [2], [3]]);
  });

  it('after a split, a 413 keeps small batches until the queue is empty', async () => {
    const { q, batches, answer } = setup({ batchSize: 4, maxItems: 100 });
    for (let i = 1; i <= 8; i++) q.add(i);
    await tick(0);
    expect(batches()).toEqual([[1, 2, 3, 4]]);
    await answer(0, 413);
    expect(batches()[1]).toEqual([1, 2]);
    await answer(1, 200);
    expect(batches()[2]).toEqual([3, 4]);
    await answer(2, 200);
    expect(batches()[3]).toEqual([5, 6]); // still halves: the items are large
    await answer(3, 200);
    expect(batches()[4]).toEqual([7, 8]);
    await answer(4, 200);
    for (let i = 9; i <= 12; i++) q.add(i); // caught up: whole batches again
    await tick(0);
    expect(batches()[5]).toEqual([9, 10, 11, 12]);
  });

  it('a retry resends the whole queue once its wait is over, in order, and flush() gives up at the failure', async () => {
    const { q, batches, reports, answer } = setup({ batchSize: 3 });
    for (let i = 1; i <= 4; i++) q.add(i);
    let done = false;
    void q.flush().then(() => (done = true));
    await tick(0);
    await answer(0, 503);
    expect(done).toBe(true);
    expect(q.failing()).toBe(true);
    expect(reports[0]).toEqual(['retry', [1, 2, 3], 'status 503', 1, 1000]);
    await tick(999);
    expect(batches()).toHaveLength(1);
    await tick(1);
    expect(batches()[1]).toEqual([1, 2, 3]);
    await answer(1, 200);
    expect(batches()[2]).toEqual([4]);
    expect(q.failing()).toBe(false);
  });
});

describe('createQueue: Retry-After across batches in flight', () => {
  it('a success of another batch ends the backoff, not the wait the endpoint asked for', async () => {
    const { q, sends, answer } = setup({ concurrency: 2 });
    for (let i = 1; i <= 6; i++) q.add(i);
    await tick(0);
    expect(sends.length).toBe(2);
    await answer(0, { status: 429, retryAfter: 60000 }); // [1,2,3] again in 60 s
    await answer(1, 200); // [4,5,6] delivered meanwhile
    await tick(59000);
    expect(sends.length).toBe(2);
    await tick(1000);
    expect(sends.map((s) => [s.at - 1000, s.items])).toEqual([
      [0, [1, 2, 3]],
      [0, [4, 5, 6]],
      [60000, [1, 2, 3]],
    ]);
  });

  it('nor does a failure of another batch without Retry-After (its backoff is shorter)', async () => {
    const { q, sends, answer } = setup({ concurrency: 2 });
    for (let i = 1; i <= 6; i++) q.add(i);
    await tick(0);
    await answer(0, { status: 429, retryAfter: 60000 });
    await answer(1, 503); // backoff 2 s
    await tick(5000);
    q.add(7);
    q.add(8);
    q.add(9); // a full batch waiting
    await tick(50000);
    expect(sends.length).toBe(2);
    await tick(5000);
    expect(sends.length).toBeGreaterThan(2);
    expect(sends[2]?.at).toBe(61000);
  });

  it('without Retry-After, a success of another batch retries at once', async () => {
    const { q, sends, answer } = setup({ concurrency: 2 });
    for (let i = 1; i <= 6; i++) q.add(i);
    await tick(0);
    await answer(0, 503);
    await answer(1, 200);
    expect(sends.map((s) => [s.at - 1000, s.items])).toEqual([
      [0, [1, 2, 3]],
      [0, [4, 5, 6]],
      [0, [1, 2, 3]],
    ]);
  });
});

describe('createQueue: take, drop, putBack, items, map, stop', () => {
  it("take('unkept') takes the batches in flight that would not outlive the page, and keeps the others", async () => {
    const { q, sends, reports, answer } = setup({ concurrency: 2 });
    for (let i = 1; i <= 7; i++) q.add(i);
    await tick(0);
    (sends[0] as { flight: Flight<number> }).flight.kept = true;
    expect(q.take('unkept')).toEqual([4, 5, 6, 7]);
    expect(sends[1]?.flight.taken).toBe(true);
    expect(sends[1]?.flight.over).toBe(true);
    expect(sends[0]?.flight.taken).toBe(undefined);
    expect(q.items()).toEqual([1, 2, 3]);
    await answer(1, 503); // taken: its answer is ignored
    expect(reports).toEqual([]);
    expect(q.items()).toEqual([1, 2, 3]);
    await answer(0, 200);
    expect(reports.map((r) => r[0])).toEqual(['delivered']);
    expect(q.items()).toEqual([]);
  });

  it("take('all') takes kept batches too", async () => {
    const { q, sends } = setup();
    for (let i = 1; i <= 4; i++) q.add(i);
    await tick(0);
    (sends[0] as { flight: Flight<number> }).flight.kept = true;
    expect(q.take('all')).toEqual([1, 2, 3, 4]);
    expect(sends[0]?.flight.taken).toBe(true);
    expect(q.items()).toEqual([]);
  });

  it('take() lets a waiting flush() go', async () => {
    const { q } = setup();
    for (let i = 1; i <= 3; i++) q.add(i);
    let done = false;
    void q.flush().then(() => (done = true));
    await tick(0);
    expect(done).toBe(false);
    q.take('all');
    await tick(0);
    expect(done).toBe(true);
  });

  it('take() leaves a waiting flush() until the batches in flight are answered', async () => {
    const { q, answer } = setup();
    for (let i = 1; i <= 5; i++) q.add(i);
    let done = false;
    void q.flush().then(() => (done = true));
    await tick(0); // [1, 2, 3] in flight, [4, 5] queued
    expect(q.take()).toEqual([4, 5]);
    await tick(0);
    expect(done).toBe(false);
    await answer(0, 200);
    expect(done).toBe(true);
  });

  it('drop() takes the batches in flight too: one report of them all, their answers ignored, a waiting flush() goes', async () => {
    const { q, sends, reports, answer } = setup();
    for (let i = 1; i <= 3; i++) q.add(i);
    let done = false;
    void q.flush().then(() => (done = true));
    await tick(0); // [1, 2, 3] in flight, nothing queued
    q.drop('consent denied');
    expect(reports).toEqual([['dropped', [1, 2, 3], 'consent denied', undefined, undefined]]);
    expect(sends[0]?.flight.taken).toBe(true);
    expect(q.queued()).toBe(0);
    await tick(0);
    expect(done).toBe(true);
    await answer(0, 503); // nothing is retried or reported after the drop
    await tick(60000);
    expect(sends).toHaveLength(1);
    expect(reports).toHaveLength(1);
    q.drop('again'); // nothing queued: no report
    expect(reports).toHaveLength(1);

    const b = setup();
    for (let i = 1; i <= 4; i++) b.q.add(i);
    await tick(0); // [1, 2, 3] in flight, [4] queued
    b.q.drop('consent denied');
    expect(b.reports).toEqual([['dropped', [1, 2, 3, 4], 'consent denied', undefined, undefined]]);
  });

  it('counts the items in flight against maxItems', async () => {
    const { q, reports } = setup({ maxItems: 4 });
    for (let i = 1; i <= 4; i++) q.add(i);
    await tick(0); // [1, 2, 3] in flight, [4] queued
    q.add(5);
    expect(reports).toEqual([['dropped', [4], 'evicted', undefined, undefined]]);
    expect(q.items()).toEqual([1, 2, 3, 5]);
  });

  it('putBack() puts items at the head, older than what is queued', async () => {
    const { q, batches } = setup({ batchSize: 10 });
    q.add(3);
    q.putBack([1, 2]);
    expect(q.items()).toEqual([1, 2, 3]);
    await tick(2000);
    expect(batches()).toEqual([[1, 2, 3]]);
  });

  it('map() maps queued items and those in flight; a batch that fails comes back mapped', async () => {
    const { q, answer } = setup();
    for (let i = 1; i <= 4; i++) q.add(i);
    await tick(0);
    q.map((n) => n * 10);
    expect(q.items()).toEqual([10, 20, 30, 40]);
    await answer(0, 503);
    expect(q.items()).toEqual([10, 20, 30, 40]);
  });

  it('stop() clears its timer, lets a waiting flush() go, and sends nothing more', async () => {
    const { q, sends } = setup();
    q.add(1);
    expect(vi.getTimerCount()).toBe(1);
    q.stop();
    expect(vi.getTimerCount()).toBe(0);

    const b = setup();
    for (let i = 1; i <= 3; i++) b.q.add(i);
    let done = false;
    void b.q.flush().then(() => (done = true));
    await tick(0);
    b.q.add(4);
    b.q.stop();
    await tick(0);
    expect(done).toBe(true);
    await b.answer(0, 503);
    await tick(60000);
    expect(b.sends).toHaveLength(1);
    expect(sends).toEqual([]);
  });
});
