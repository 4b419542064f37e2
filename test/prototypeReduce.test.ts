// Prototype.js 1.6.0.x (still on some old themes) replaces Array.prototype.reduce with a function that
// returns the array itself (or its only item). Options, the queue bound and the queued count must not
// depend on it: each is a plain loop.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { realClock } from '../src/browser/clock';
import { parseOptions } from '../src/core/options';
import { createQueue } from '../src/delivery/queue';
import { createRouter, type Destination } from '../src/delivery/router';

const nativeReduce = Array.prototype.reduce;
beforeEach(() => {
  // Prototype.js 1.6.0.3, src/array.js: `reduce: function() { return this.length > 1 ? this : this[0]; }`
  Object.defineProperty(Array.prototype, 'reduce', {
    configurable: true,
    writable: true,
    value: function (this: unknown[]) {
      return this.length > 1 ? this : this[0];
    },
  });
});
afterEach(() => {
  Object.defineProperty(Array.prototype, 'reduce', {
    configurable: true,
    writable: true,
    value: nativeReduce,
  });
});

describe("a page with Prototype.js 1.6's Array.prototype.reduce", () => {
  it('options: layers merge key by key, later ones winning', () => {
    const o = parseOptions(
      undefined,
      { endpoint: 'https://c.example/collect', batchSize: 5 },
      { batchSize: '7' },
    );
    expect(o).toMatchObject({
      endpoint: 'https://c.example/collect',
      batchSize: 7,
      debug: false,
      webVitals: true,
    });
    expect(o.events).toBeUndefined();
  });

  it('the queue evicts beyond its bound', () => {
    const dropped: number[] = [];
    const q = createQueue<number>({
      send: () => new Promise(() => undefined),
      clock: realClock,
      random: () => 0.5,
      limits: { batchSize: 100, flushInterval: 60000 },
      timeout: 30000,
      maxItems: 3,
      report: (kind, items) => void (kind === 'dropped' && dropped.push(...items)),
    });
    for (let i = 1; i <= 5; i++) q.add(i);
    expect(dropped).toEqual([1, 2]);
    expect(q.items()).toEqual([3, 4, 5]);
    q.stop();
  });

  it("the router's queued count adds up every destination's", () => {
    const r = createRouter();
    const dest = (n: number): Destination =>
      ({
        add() {},
        flush: () => Promise.resolve(),
        queued: () => n,
        map() {},
        drop() {},
        hidden() {},
        shown() {},
        stop() {},
      }) as unknown as Destination;
    r.add(dest(2));
    r.add(dest(3));
    expect(r.queued()).toBe(5);
  });
});
