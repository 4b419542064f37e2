// Beacon planning at unload (src/delivery/beacon.ts): order by value, chunks by bytes, the room.
// Written to kill its mutants (`npm run mutation`, docs/mutation.md).
import { describe, expect, it } from 'vitest';
import { planBeacons } from '../../src/delivery/beacon';
import type { TrackerEvent } from '../../src/schema';

/** An event whose JSON is `s` (so sizes are exact: an event costs its UTF-8 bytes and a comma). */
const ev = (name: string, s = name) =>
  ({ type: 'track', event: name, properties: {}, s }) as unknown as TrackerEvent;
const json = (e: TrackerEvent) => (e as unknown as { s: string }).s;
const names = (chunks: ReturnType<typeof planBeacons>) =>
  chunks.map((c) => c.map((e) => (e as { event?: string }).event ?? 'page'));
/** An event whose JSON has `n` characters (n + 1 bytes with its comma). */
const sized = (name: string, n: number) => ev(name, 'x'.repeat(n));
/** The high-value events, most valuable first, as the README lists them. */
const RANKED = [
  'Order Completed',
  'Product Added',
  'Cart Viewed',
  'Coupon Applied',
  'Product Removed',
  'Signed Up',
  'Signed In',
];

describe('planBeacons', () => {
  it('takes the events a merchant can least afford to lose first, and keeps their order within a beacon', () => {
    // Room for two of the three: Signed In (tracked last) is taken first, then the oldest other.
    const items = [sized('Z', 50), sized('Y', 50), sized('Signed In', 50)];
    expect(names(planBeacons(items, json, 10 + 2 * 51, 10, 1e6))).toEqual([['Z', 'Signed In']]);
  });

  it('with room for all, one beacon in the order they came', () => {
    const page = { type: 'page', properties: {}, s: 'page' } as unknown as TrackerEvent;
    const items = [
      ev('Z'),
      ...RANKED.slice()
        .reverse()
        .map((n) => ev(n)),
      page,
      ev(''),
      ev('Y'),
    ];
    const chunks = planBeacons(items, json, 1e6, 10, 1e6);
    const came = ['Z', ...RANKED.slice().reverse(), 'page', '', 'Y'];
    expect(names(chunks)).toEqual([came]);
    expect(chunks[0]?.map(json)).toEqual(came);
  });

  it('ranks the high-value events as the README lists them: with room for k events, the k most valuable go', () => {
    // Tracked in reverse order of value, after an ordinary event: every one is 51 bytes with its comma.
    const came = ['Z', ...RANKED.slice().reverse()];
    const items = came.map((n) => sized(n, 50));
    for (let k = 1; k <= RANKED.length; k++) {
      const chosen = RANKED.slice(0, k);
      const expected = came.filter((n) => chosen.indexOf(n) >= 0); // in the order they came
      expect(names(planBeacons(items, json, 10 + k * 51, 10, 1e6))).toEqual([expected]);
    }
  });

  it('nothing to send: no beacon', () => {
    expect(planBeacons([], json, 1000, 10, 100)).toEqual([]);
  });

  it('a chunk takes events up to exactly `max` bytes', () => {
    const [a, b, c] = [sized('A', 9), sized('B', 9), sized('C', 0)]; // 10, 10 and 1 bytes
    expect(names(planBeacons([a, b, c] as TrackerEvent[], json, 1e6, 10, 20))).toEqual([['A', 'B'], ['C']]);
    expect(names(planBeacons([a, b] as TrackerEvent[], json, 1e6, 10, 19))).toEqual([['A'], ['B']]);
  });

  it('counts UTF-8 bytes, not characters', () => {
    const ar = ev('ع', 'عع'); // 4 bytes and a comma
    const b = sized('B', 4);
    expect(names(planBeacons([ar, b], json, 1e6, 0, 10))).toEqual([['ع', 'B']]);
    expect(names(planBeacons([ar, b], json, 1e6, 0, 9))).toEqual([['ع'], ['B']]);
  });

  it('all beacons, with their heads, stay within the room, exactly', () => {
    const items = [sized('A', 9), sized('B', 9), sized('C', 0)];
    // room = head + 20: A and B fit exactly, C does not.
    expect(names(planBeacons(items, json, 30, 10, 100))).toEqual([['A', 'B']]);
    expect(names(planBeacons(items, json, 29, 10, 100))).toEqual([['A', 'C']]);
    expect(names(planBeacons(items, json, 31, 10, 100))).toEqual([['A', 'B', 'C']]);
  });

  it('a new chunk costs its head: an event goes there only if it fits with it, and the room shrinks', () => {
    const a = sized('A', 9); // 10 bytes
    const b = sized('B', 9); // 10
    const c = sized('C', 9); // 10
    const d = sized('D', 0); // 1
    // Two heads of 10, A+B in the first chunk (max 20): 40 + 10 leaves exactly C for the second.
    expect(names(planBeacons([a, b, c, d], json, 50, 10, 20))).toEqual([['A', 'B'], ['C']]);
    // One byte less: C does not fit a new chunk and is skipped; D then goes in one.
    expect(names(planBeacons([a, b, c, d], json, 49, 10, 20))).toEqual([['A', 'B'], ['D']]);
    // One byte more: D fits after C.
    expect(names(planBeacons([a, b, c, d], json, 51, 10, 20))).toEqual([
      ['A', 'B'],
      ['C', 'D'],
    ]);
  });

  it('keeps skipping what does not fit and still takes what does', () => {
    const big = sized('Big', 99);
    const items = [sized('A', 4), big, sized('B', 4), big, sized('C', 4)];
    expect(names(planBeacons(items, json, 10 + 15, 10, 100))).toEqual([['A', 'B', 'C']]);
  });

  it('an event larger than `max` goes alone when the room takes it', () => {
    const items = [sized('S', 4), sized('Big', 49), sized('T', 4)];
    const chunks = planBeacons(items, json, 1000, 10, 20);
    expect(names(chunks)).toEqual([['S'], ['Big'], ['T']]);
    expect(chunks.map((c) => c.map((e) => json(e).length))).toEqual([[4], [49], [4]]);
  });

  it('an event larger than `max` alone, first: no empty beacon before it', () => {
    const chunks = planBeacons([sized('Big', 49)], json, 1000, 10, 20);
    expect(names(chunks)).toEqual([['Big']]);
    expect(planBeacons([sized('Big', 49)], json, 40, 10, 20)).toEqual([]);
  });
});
