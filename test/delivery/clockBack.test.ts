// After a success, a Retry-After hold that has passed is forgotten: Date.now() is not monotonic, and a
// clock set back would make it hold whole batches again (review).
import { afterEach, beforeEach, expect, it, vi } from 'vitest';
import { realClock } from '../../src/browser/clock';
import { createQueue } from '../../src/delivery/queue';
import type { SendResult } from '../../src/delivery/retryPolicy';

beforeEach(() => {
  vi.useFakeTimers();
  vi.setSystemTime(1_000_000);
});
afterEach(() => vi.useRealTimers());

it('a Retry-After hold that has passed does not delay a batch after the clock is set back', async () => {
  const sends: Array<[number, number[]]> = [];
  const answers: Array<SendResult> = [{ status: 503, retryAfter: 10000 }];
  const q = createQueue<number>({
    send: async (items) => {
      sends.push([Date.now(), items.slice()]);
      return answers.shift() ?? { status: 200 };
    },
    clock: realClock,
    random: () => 0.5,
    limits: { batchSize: 2, flushInterval: 60000 },
    concurrency: 1,
    changed: () => undefined,
    timeout: 10000,
    maxItems: 100,
    report: () => undefined,
  });
  q.add(1);
  q.add(2); // a whole batch: sent, 503 Retry-After 10 s
  await vi.advanceTimersByTimeAsync(0);
  await vi.advanceTimersByTimeAsync(20000); // retried after the hold, 200
  expect(sends.map((s) => s[1])).toEqual([
    [1, 2],
    [1, 2],
  ]);
  // The shopper's clock is corrected back by 15 s (NTP, a manual fix): the old hold is "ahead" again.
  vi.setSystemTime(Date.now() - 15000);
  q.add(3);
  q.add(4); // a whole batch: goes at the end of this task (nothing holds it)
  await vi.advanceTimersByTimeAsync(0);
  expect(sends.map((s) => s[1])).toEqual([
    [1, 2],
    [1, 2],
    [3, 4],
  ]);
});
