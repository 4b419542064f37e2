import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { realClock } from '../../src/browser/clock';
import { createQueue, type QueueDeps } from '../../src/delivery/queue';
import { backoff, statusPolicy, type SendResult } from '../../src/delivery/retryPolicy';

beforeEach(() => {
  vi.useFakeTimers();
  vi.setSystemTime(0);
});
afterEach(() => vi.useRealTimers());

/** A queue of numbers whose sends answer from `answers` (then 200), recording each batch with its time. */
type Over = Partial<QueueDeps<number>> & { batchSize?: number; flushInterval?: number };

function setup(answers: Array<SendResult | number | 'hang'> = [], over: Over = {}) {
  const { batchSize = 3, flushInterval = 2000, ...rest } = over;
  const sends: Array<{ at: number; items: number[] }> = [];
  const reports: Array<[string, number[], string?, number?, number?]> = [];
  const q = createQueue<number>({
    send: async (items) => {
      sends.push({ at: Date.now(), items: items.slice() });
      const a = answers.shift() ?? 200;
      if (a === 'hang') return new Promise<SendResult>(() => undefined);
      return typeof a === 'number' ? { status: a } : a;
    },
    clock: realClock,
    random: () => 0.5,
    limits: { batchSize, flushInterval },
    timeout: 10000,
    maxItems: 10,
    report: (kind, items, reason, attempt, delay) =>
      void reports.push([kind, items.slice(), reason, attempt, delay]),
    concurrency: 1,
    changed: () => undefined,
    ...rest,
  });
  return { q, sends, reports };
}

describe('backoff', () => {
  it('doubles from 1 s with ±25 % jitter and caps at 30 s', () => {
    const r = [0, 0.25, 0.5, 0.75, 0, 1, 0, 0.5];
    const seq = r.map((x, i) => backoff(i + 1, () => x));
    expect(seq).toEqual([750, 1750, 4000, 9000, 12000, 30000, 22500, 30000]);
  });
});

describe('status policy', () => {
  it.each([
    [200, 'ok'],
    [204, 'ok'],
    [0, 'retry'],
    [302, 'retry'],
    [408, 'retry'],
    [429, 'retry'],
    [500, 'retry'],
    [502, 'retry'],
    [503, 'retry'],
    [413, 'split'],
    [400, 'split'],
    [401, 'drop'],
    [403, 'drop'],
    [404, 'drop'],
    [422, 'split'],
  ])('%i → %s', (status, verdict) => expect(statusPolicy(status)).toBe(verdict));
});

describe('createQueue', () => {
  it('flushes at batchSize right away, and the remainder after flushInterval', async () => {
    const { q, sends } = setup();
    for (let i = 1; i <= 4; i++) q.add(i);
    await vi.advanceTimersByTimeAsync(0);
    // Only whole batches go at once (so requests carry batchSize events); the rest waits.
    expect(sends).toEqual([{ at: 0, items: [1, 2, 3] }]);
    q.add(5);
    await vi.advanceTimersByTimeAsync(1999);
    expect(sends).toHaveLength(1);
    q.add(6); // a whole batch again: it goes at once
    await vi.advanceTimersByTimeAsync(0);
    expect(sends[1]).toEqual({ at: 1999, items: [4, 5, 6] });
    q.add(7); // alone: after the interval
    await vi.advanceTimersByTimeAsync(1999);
    expect(sends).toHaveLength(2);
    await vi.advanceTimersByTimeAsync(1);
    expect(sends[2]).toEqual({ at: 3999, items: [7] });
  });

  it('retries network errors, 408, 429 and 5xx with the backoff sequence, in order, then delivers', async () => {
    const r = [0, 0.25, 0.5, 0.75];
    const { q, sends, reports } = setup([0, 408, 429, 503], { random: () => r.shift() ?? 0.5 });
    q.add(1);
    q.add(2);
    await vi.advanceTimersByTimeAsync(60000);
    expect(sends.map((s) => s.at)).toEqual([2000, 2750, 4500, 8500, 17500]);
    expect(sends.every((s) => s.items.join() === '1,2')).toBe(true);
    expect(reports).toEqual([
      ['retry', [1, 2], 'network error', 1, 750],
      ['retry', [1, 2], 'status 408', 2, 1750],
      ['retry', [1, 2], 'status 429', 3, 4000],
      ['retry', [1, 2], 'status 503', 4, 9000],
      ['delivered', [1, 2], undefined, undefined, undefined],
    ]);
  });

  it('batches in flight together that fail together are one attempt: retried after 1 s, then 2 s (README, Retry)', async () => {
    const { q, sends, reports } = setup([503, 503, 503, 0, 0, 0], { concurrency: 4 });
    for (let i = 1; i <= 9; i++) q.add(i);
    await vi.advanceTimersByTimeAsync(0);
    expect(sends.map((s) => [s.at, s.items.length])).toEqual([
      [0, 3],
      [0, 3],
      [0, 3],
    ]);
    await vi.advanceTimersByTimeAsync(60000);
    // One outage, one attempt: not 1, 2, 3 (a 4 s wait) for three batches of the same failure.
    expect(reports.filter((r) => r[0] == 'retry').map((r) => [r[3], r[4]])).toEqual([
      [1, 1000],
      [1, 1000],
      [1, 1000],
      [2, 2000],
      [2, 2000],
      [2, 2000],
    ]);
    expect(sends.map((s) => s.at)).toEqual([0, 0, 0, 1000, 1000, 1000, 3000, 3000, 3000]);
    expect(
      reports
        .filter((r) => r[0] == 'delivered')
        .flatMap((r) => r[1])
        .sort(),
    ).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9]);
  });

  it('a batch that fails after another succeeded is a first attempt again', async () => {
    const { q, reports } = setup([503, 503, 503, 0, 200, 0], { concurrency: 4, random: () => 0.5 });
    for (let i = 1; i <= 9; i++) q.add(i);
    await vi.advanceTimersByTimeAsync(0);
    // Retried together at 1 s: the first fails, the second succeeds, then the third fails.
    await vi.advanceTimersByTimeAsync(1000);
    expect(reports.filter((r) => r[0] == 'retry').map((r) => [r[3], r[4]])).toEqual([
      [1, 1000],
      [1, 1000],
      [1, 1000],
      [2, 2000],
      [1, 1000],
    ]);
  });

  it('a batch of an earlier attempt that fails late (a timeout) does not lower the attempt of the outage', async () => {
    // The first batch hangs until the timeout (10 s); the second fails at once, and again at each retry.
    const { q, sends, reports } = setup(['hang', 503, 503, 503, 503], { concurrency: 4 });
    for (let i = 1; i <= 6; i++) q.add(i);
    await vi.advanceTimersByTimeAsync(60000);
    // The timeout at 10 s belongs to the first attempt: the outage stays at its 4th (8 s), not back to 1 s.
    expect(reports.filter((r) => r[0] == 'retry').map((r) => [r[2], r[3], r[4]])).toEqual([
      ['status 503', 1, 1000],
      ['status 503', 2, 2000],
      ['status 503', 3, 4000],
      ['status 503', 4, 8000],
      ['timeout', 4, 8000],
    ]);
    expect(sends.map((s) => s.at)).toEqual([0, 0, 1000, 3000, 7000, 18000, 18000]);
    expect(
      reports
        .filter((r) => r[0] == 'delivered')
        .flatMap((r) => r[1])
        .sort(),
    ).toEqual([1, 2, 3, 4, 5, 6]);
  });

  it('a retry is not held back by the interval timer armed for what came after the batch', async () => {
    // Item 4 arms the 20 s interval while [1, 2, 3] is in flight; that batch times out at 100 ms.
    const { q, sends, reports } = setup(['hang'], { concurrency: 4, flushInterval: 20000, timeout: 100 });
    for (let i = 1; i <= 4; i++) q.add(i);
    await vi.advanceTimersByTimeAsync(25000);
    expect(reports.filter((r) => r[0] == 'retry').map((r) => [r[2], r[3], r[4]])).toEqual([
      ['timeout', 1, 1000],
    ]);
    // Retried 1 s after the failure (with the rest, as the retry drains), not when the interval ends.
    expect(sends).toEqual([
      { at: 0, items: [1, 2, 3] },
      { at: 1100, items: [1, 2, 3] },
      { at: 1100, items: [4] },
    ]);
  });

  it('waits for Retry-After when it is longer than the backoff, and resets the backoff after a success', async () => {
    const { q, sends, reports } = setup([{ status: 503, retryAfter: 7000 }, 503]);
    q.add(1);
    await vi.advanceTimersByTimeAsync(2000);
    q.add(2); // queued during the wait: goes with the retry, not before it
    await vi.advanceTimersByTimeAsync(6999);
    expect(sends).toHaveLength(1);
    await vi.advanceTimersByTimeAsync(1);
    expect(sends[1]).toEqual({ at: 9000, items: [1, 2] });
    expect(reports[0]).toEqual(['retry', [1], 'status 503', 1, 7000]);
    expect(reports[1]).toEqual(['retry', [1, 2], 'status 503', 2, 2000]);
    await vi.advanceTimersByTimeAsync(2000);
    expect(reports[2]?.[0]).toBe('delivered');
    q.add(3);
    await vi.advanceTimersByTimeAsync(2000);
    expect(sends[3]).toEqual({ at: 13000, items: [3] });
  });

  it('drops a batch answered 401/403/404 and goes on with the next', async () => {
    const { q, sends, reports } = setup([401, 403]);
    for (let i = 1; i <= 5; i++) q.add(i);
    await q.flush();
    expect(sends.map((s) => s.items)).toEqual([
      [1, 2, 3],
      [4, 5],
    ]);
    expect(reports).toEqual([
      ['dropped', [1, 2, 3], 'status 401', undefined, undefined],
      ['dropped', [4, 5], 'status 403', undefined, undefined],
    ]);
    expect(q.items()).toEqual([]);
    expect(q.failing()).toBe(false);
  });

  it.each([400, 422])(
    'a poison event costs only itself: a batch answered %i is split until the bad event is alone',
    async (status) => {
      // The engine refuses any request that carries event 7 (RudderStack: 400 for one event without ids).
      const sends: number[][] = [];
      const { q, reports } = setup([], {
        batchSize: 20,
        maxItems: 100,
        send: async (items) => (sends.push(items.slice()), { status: items.includes(7) ? status : 200 }),
      });
      for (let i = 1; i <= 20; i++) q.add(i);
      await q.flush();
      expect(sends).toEqual([
        Array.from({ length: 20 }, (_, i) => i + 1),
        [1, 2, 3, 4, 5, 6, 7, 8, 9, 10],
        [1, 2, 3, 4, 5],
        [6, 7, 8, 9, 10],
        [6, 7, 8],
        [6, 7],
        [6],
        [7],
        Array.from({ length: 13 }, (_, i) => i + 8),
      ]);
      const delivered = reports.filter((r) => r[0] === 'delivered').flatMap((r) => r[1]);
      expect(delivered.sort((a, b) => a - b)).toEqual([
        1, 2, 3, 4, 5, 6, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20,
      ]);
      expect(reports.filter((r) => r[0] === 'dropped')).toEqual([
        ['dropped', [7], 'status ' + status, undefined, undefined],
      ]);
    },
  );

  it('splits a batch answered 413 in halves until it passes; a single item that is too large is dropped', async () => {
    const { q, sends, reports } = setup([413, 413, 200, 200, 413, 200], { batchSize: 4 });
    for (let i = 1; i <= 5; i++) q.add(i);
    await vi.advanceTimersByTimeAsync(0);
    await q.flush();
    expect(sends.map((s) => s.items)).toEqual([[1, 2, 3, 4], [1, 2], [1], [2], [3], [4], [5]]);
    expect(reports.map((r) => [r[0], r[1], r[2]])).toEqual([
      ['delivered', [1], undefined],
      ['delivered', [2], undefined],
      ['dropped', [3], 'status 413'],
      ['delivered', [4], undefined],
      ['delivered', [5], undefined],
    ]);
    for (let i = 6; i <= 9; i++) q.add(i); // caught up: full batches again
    await vi.advanceTimersByTimeAsync(0);
    expect(sends[7]?.items).toEqual([6, 7, 8, 9]);
  });

  it('evicts the oldest beyond maxItems and reports them', async () => {
    const { q, reports } = setup([], { batchSize: 100, maxItems: 4 });
    for (let i = 1; i <= 6; i++) q.add(i);
    expect(q.items()).toEqual([3, 4, 5, 6]);
    expect(reports).toEqual([
      ['dropped', [1], 'evicted', undefined, undefined],
      ['dropped', [2], 'evicted', undefined, undefined],
    ]);
    q.putBack([10, 11]);
    expect(q.items()).toEqual([3, 4, 5, 6]);
    expect(reports[2]).toEqual(['dropped', [10, 11], 'evicted', undefined, undefined]);
  });

  it('a burst into a full queue arms one timer (the interval), not one per event, and sends whole batches', async () => {
    const set = vi.fn(realClock.set);
    const clear = vi.fn(realClock.clear);
    const { q, sends } = setup([], { clock: { ...realClock, set, clear }, maxItems: 1000 });
    for (let i = 0; i < 300; i++) q.add(i);
    // The interval at the first item; from the third, whole batches are due at the end of this task.
    expect(set).toHaveBeenCalledTimes(1);
    expect(clear).toHaveBeenCalledTimes(0);
    await vi.advanceTimersByTimeAsync(0);
    expect(sends.map((s) => s.items.length)).toEqual(Array(100).fill(3));
  });

  it('times out a send that never settles and retries it', async () => {
    const { q, sends, reports } = setup(['hang'], { timeout: 5000 });
    q.add(1);
    await vi.advanceTimersByTimeAsync(2000 + 5000);
    expect(reports).toEqual([['retry', [1], 'timeout', 1, 1000]]);
    await vi.advanceTimersByTimeAsync(1000);
    expect(sends.map((s) => s.at)).toEqual([2000, 8000]);
    expect(reports[1]?.[0]).toBe('delivered');
  });

  it('take() empties the queue but leaves the batch in flight, whose failure puts it back', async () => {
    let answer: (r: SendResult) => void = () => undefined;
    const { q, reports } = setup([], {
      send: () => new Promise<SendResult>((r) => (answer = r)),
    });
    for (let i = 1; i <= 5; i++) q.add(i);
    await vi.advanceTimersByTimeAsync(0);
    expect(q.take()).toEqual([4, 5]);
    expect(q.items()).toEqual([1, 2, 3]);
    answer({ status: 0 });
    await vi.advanceTimersByTimeAsync(0);
    expect(q.items()).toEqual([1, 2, 3]);
    expect(reports[0]?.[0]).toBe('retry');
    expect(q.failing()).toBe(true);
  });

  it("take('all') also takes the batch in flight and ignores its answer", async () => {
    let answer: (r: SendResult) => void = () => undefined;
    const { q, reports } = setup([], {
      send: () => new Promise<SendResult>((r) => (answer = r)),
    });
    for (let i = 1; i <= 4; i++) q.add(i);
    await vi.advanceTimersByTimeAsync(0);
    expect(q.take('all')).toEqual([1, 2, 3, 4]);
    answer({ status: 503 });
    await vi.advanceTimersByTimeAsync(60000);
    expect(q.items()).toEqual([]);
    expect(reports).toEqual([]);
  });

  it('stop() ends its timers for good', async () => {
    const { q, sends } = setup();
    q.add(1);
    q.stop();
    q.add(2);
    await vi.advanceTimersByTimeAsync(10000);
    expect(sends).toEqual([]);
    expect(q.items()).toEqual([1, 2]);
  });
});
