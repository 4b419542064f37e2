// The page's keepalive budget (src/delivery/budget.ts). Written to kill its mutants
// (`npm run mutation`, docs/mutation.md).
import { describe, expect, it } from 'vitest';
import { createBudget } from '../../src/delivery/budget';

const ticks = async (n = 5) => {
  for (let i = 0; i < n; i++) await Promise.resolve();
};

describe('createBudget', () => {
  it('take(): exactly the room fits, one byte more does not', () => {
    const b = createBudget(100);
    expect(b.room()).toBe(100);
    expect(b.take(101)).toBe(false);
    expect(b.room()).toBe(100);
    expect(b.take(40)).toBe(true);
    expect(b.take(60)).toBe(true);
    expect(b.room()).toBe(0);
    expect(b.take(1)).toBe(false);
    expect(b.take(0)).toBe(true);
  });

  it('give(): back up to the whole budget, never more', () => {
    const b = createBudget(100);
    b.take(70);
    b.give(30);
    expect(b.room()).toBe(60);
    b.give(100);
    expect(b.room()).toBe(100);
    expect(b.take(101)).toBe(false);
  });

  it('reserve(): false at once, nothing taken, when the sender already gave up', async () => {
    const b = createBudget(100);
    expect(await b.reserve(10, () => true)).toBe(false);
    expect(b.room()).toBe(100);
  });

  it('reserve(): the whole budget waits for bodies in flight, more than it never fits', async () => {
    const b = createBudget(100);
    b.take(1);
    let got: boolean | undefined;
    void b.reserve(100, () => false).then((ok) => (got = ok));
    await ticks();
    expect(got).toBeUndefined();
    b.give(1);
    await ticks();
    expect(got).toBe(true);
    expect(b.room()).toBe(0);
  });

  it('reserve(): with nothing in flight, what does not fit never will', async () => {
    const b = createBudget(100);
    expect(await b.reserve(101, () => false)).toBe(false);
    b.take(1);
    expect(await b.reserve(101, () => false)).toBe(false); // more than the whole budget, even with one in flight
    expect(b.room()).toBe(99);
  });

  it('give() wakes every waiter; the one that fits takes it, the other waits on', async () => {
    const b = createBudget(100);
    b.take(100);
    const got: string[] = [];
    void b.reserve(60, () => false).then((ok) => got.push('60:' + ok));
    void b.reserve(50, () => false).then((ok) => got.push('50:' + ok));
    await ticks();
    b.give(60);
    await ticks(10);
    expect(got).toEqual(['60:true']);
    expect(b.room()).toBe(0);
    b.give(60);
    await ticks(10);
    expect(got).toEqual(['60:true', '50:true']);
    expect(b.room()).toBe(10);
    b.give(1000);
    await ticks(10);
    expect(got).toEqual(['60:true', '50:true']); // each was woken and settled once
  });

  it('a waiter that gave up meanwhile takes nothing when woken', async () => {
    const b = createBudget(100);
    b.take(100);
    let gone = false;
    let got: boolean | undefined;
    void b.reserve(10, () => gone).then((ok) => (got = ok));
    await ticks();
    gone = true;
    b.give(50);
    await ticks();
    expect(got).toBe(false);
    expect(b.room()).toBe(50);
  });
});
