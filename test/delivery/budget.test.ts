import { describe, expect, it } from 'vitest';
import { planBeacons } from '../../src/delivery/beacon';
import { createBudget } from '../../src/delivery/budget';
import { retryAfterMs } from '../../src/delivery/retryPolicy';
import type { TrackerEvent } from '../../src/schema';

describe('createBudget (the page keepalive budget)', () => {
  it('takes what fits, refuses what does not, and gives back', () => {
    const b = createBudget(1000);
    expect(b.take(600)).toBe(true);
    expect(b.room()).toBe(400);
    expect(b.take(401)).toBe(false);
    expect(b.room()).toBe(400);
    b.give(600);
    expect(b.room()).toBe(1000);
    b.give(50); // never more than the whole budget
    expect(b.room()).toBe(1000);
  });

  it('reserve(): at once if it fits; after bodies in flight are given back; never for what cannot fit', async () => {
    const b = createBudget(1000);
    expect(await b.reserve(1000, () => false)).toBe(true); // taken
    expect(b.room()).toBe(0);
    b.give(1000);
    expect(await b.reserve(1001, () => false)).toBe(false); // more than the whole budget
    b.take(700);
    const order: string[] = [];
    const w = b.reserve(500, () => false).then((ok) => order.push('500:' + ok));
    await Promise.resolve();
    expect(order).toEqual([]); // waits: 300 left
    b.give(100);
    await Promise.resolve();
    expect(order).toEqual([]); // 400 left: still waits
    b.give(600);
    await w;
    expect(order).toEqual(['500:true']);
    expect(b.room()).toBe(500); // 1000 - 700 + 700 given back, 500 reserved
  });

  it('reserve(): senders that start together share the room, the last one waits', async () => {
    const b = createBudget(65536);
    const got: boolean[] = [];
    // Four batches of 21,680 bytes asked for in the same task: three fit, the fourth waits.
    const all = [1, 2, 3, 4].map(() => b.reserve(21680, () => false).then((ok) => void got.push(ok)));
    await Promise.resolve();
    await Promise.resolve();
    expect(got).toEqual([true, true, true]);
    expect(b.room()).toBe(65536 - 3 * 21680);
    b.give(21680);
    await Promise.all(all);
    expect(got).toEqual([true, true, true, true]);
  });

  it('reserve(): false at once with nothing in flight to give back, and false when its sender gave up', async () => {
    const b = createBudget(1000);
    b.take(1000);
    let gone = false;
    const w = b.reserve(10, () => gone);
    gone = true;
    b.give(1); // wakes it: it gave up meanwhile
    expect(await w).toBe(false);
    const empty = createBudget(100);
    expect(await empty.reserve(200, () => false)).toBe(false);
  });
});

describe('retryAfterMs', () => {
  const now = Date.parse('2026-12-02T10:00:00Z');
  it.each([
    ['120', 120000],
    [' 1.5 ', 1500],
    ['Wed, 02 Dec 2026 10:00:30 GMT', 30000],
    ['Wed, 02 Dec 2026 09:59:00 GMT', undefined], // in the past
    ['0', undefined],
    ['-5', undefined],
    ['soon', undefined],
    ['', undefined],
    [null, undefined],
    ['86400', 3600000], // at most an hour
  ])('%j → %j', (header, ms) => expect(retryAfterMs(header, now)).toBe(ms));
});

describe('planBeacons', () => {
  const ev = (event: string, size: number): TrackerEvent =>
    ({ type: 'track', event, properties: { x: 'x'.repeat(size) } }) as unknown as TrackerEvent;
  const json = (e: TrackerEvent) => JSON.stringify(e);
  const names = (chunks: ReturnType<typeof planBeacons>) =>
    chunks.map((c) => c.map((e) => (e as { event: string }).event));

  it('puts high-value events first, cuts chunks at `max` bytes and stays within the room', () => {
    const [a, oc, b, pa, c] = [
      ev('A', 900),
      ev('Order Completed', 900),
      ev('B', 900),
      ev('Product Added', 900),
      ev('C', 900),
    ];
    const size = (e: TrackerEvent) => json(e).length + 1;
    const head = 100;
    // Room for two chunks of two events each and their heads, not for a fifth event.
    const room = head + size(oc) + size(pa) + head + size(a) + size(b) + size(c) - 1;
    const chunks = planBeacons([a, oc, b, pa, c] as TrackerEvent[], json, room, head, size(oc) + size(pa));
    expect(names(chunks)).toEqual([
      ['Order Completed', 'Product Added'],
      ['A', 'B'],
    ]);
    expect(chunks.map((ch) => ch.map((e) => json(e)))).toEqual([
      [json(oc), json(pa)],
      [json(a), json(b)],
    ]);
  });

  it('sends one event larger than a chunk alone, and leaves out what does not fit the room', () => {
    const items = [ev('Small', 100), ev('Big', 3000), ev('Small2', 100)];
    const chunks = planBeacons(items, json, 10000, 60, 1000);
    expect(names(chunks)).toEqual([['Small'], ['Big'], ['Small2']]);
    expect(names(planBeacons(items, json, 2000, 60, 1000))).toEqual([['Small', 'Small2']]);
  });
});
