import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { installGlobal, type GlobalTracker } from '../src/browser/installGlobal';
import { createCore } from '../src/core/createCore';
import type { TrackerEvent } from '../src/schema';
import { fakeEnv } from './helpers/fakeEnv';

let warn: ReturnType<typeof vi.spyOn>;
beforeEach(() => {
  vi.useFakeTimers();
  warn = vi.spyOn(console, 'warn').mockImplementation(() => undefined);
});
afterEach(() => {
  warn.mockRestore();
  vi.useRealTimers();
});

const label = (e: TrackerEvent) => (e.type === 'page' ? 'page' : e.event);

function setup(prior?: unknown) {
  const t = fakeEnv();
  const win: { twilightTracker?: unknown } = prior === undefined ? {} : { twilightTracker: prior };
  const created: unknown[][] = [];
  const create = (o: unknown[], defaults: unknown[]) => (created.push(o), createCore(o, t.env, defaults));
  return {
    t,
    win,
    created,
    install: () => installGlobal(win, { endpoint: '/collect', webVitals: false, autoPage: false }, create),
  };
}

describe('installGlobal (script-tag global)', () => {
  it('replays the calls pushed before load, in order, then exposes the tracker with push()', async () => {
    const got: string[] = [];
    const salla: string[] = [];
    const queue: unknown[] = [];
    queue.push(['track', 'Before Register', { n: 1 }]);
    queue.push(['register', (events: TrackerEvent[]) => void got.push(...events.map(label))]);
    queue.push([
      'register',
      { name: 'pixel', track: (name: string) => void salla.push(name), page: () => void salla.push('page') },
    ]);
    queue.push((tracker: GlobalTracker) => tracker.track('From Function'));
    queue.push(['page', { title: 'Queued page' }]);
    const s = setup(queue);
    const g = s.install();
    expect(g).toBeDefined();
    expect(s.win.twilightTracker).toBe(g);
    expect(s.created).toEqual([[{ endpoint: '/collect', webVitals: false, autoPage: false }]]);
    g?.push(['track', 'After Load']);
    await g?.flush();
    const order = ['Before Register', 'From Function', 'page', 'After Load'];
    expect(s.t.events().map((e) => e.event ?? 'page')).toEqual(order);
    expect(got).toEqual(order); // history replayed to the callback registered second
    expect(salla).toEqual(order);
    expect(s.t.events()[0]?.properties).toEqual({ n: 1 });
    expect(typeof g?.stats).toBe('function');
    expect(g?.version).toBe('0.1.0');
    expect(warn).not.toHaveBeenCalled();
  });

  it('a queued function that pushes through the kept array while the queue is replayed: that call runs too', async () => {
    const q: unknown[] = [];
    q.push((t: GlobalTracker) => {
      q.push(['track', 'Via Kept Array', { a: 1 }]);
      t.push(['track', 'Via Tracker', { a: 2 }]);
    });
    q.push(['track', 'Queued After', { a: 3 }]);
    const { t, win, install } = setup(q);
    install();
    (win.twilightTracker as GlobalTracker).push(['track', 'After Load']);
    await (win.twilightTracker as GlobalTracker).flush();
    expect(t.events().map((e) => e.event)).toEqual([
      'Via Kept Array',
      'Via Tracker',
      'Queued After',
      'After Load',
    ]);
    expect(warn).not.toHaveBeenCalled();
  });

  it('skips bad queued calls with a warning and runs the rest', async () => {
    const queue = [
      'track',
      ['explode', 1],
      ['track'],
      () => {
        throw new Error('snippet bug');
      },
      ['consent', 'maybe'],
      ['track', 'Still Here'],
    ];
    const s = setup(queue);
    const g = s.install();
    await g?.flush();
    expect(s.t.events().map((e) => e.event)).toEqual(['Still Here']);
    expect(warn.mock.calls.map((c: unknown[]) => c[0])).toEqual([
      'twilight-tracker: E4 string (an unknown or malformed queued call was ignored)',
      'twilight-tracker: E4 explode (an unknown or malformed queued call was ignored)',
      'twilight-tracker: E5 Error: snippet bug (a queued call failed)',
    ]);
  });

  it('a hole in the queue pushed before load (`q[1] = …`) is an E4 like any other malformed entry', async () => {
    // eslint-disable-next-line no-sparse-arrays
    const s = setup([, ['track', 'After The Hole']]);
    await s.install()?.flush();
    expect(s.t.events().map((e) => e.event)).toEqual(['After The Hole']);
    expect(warn.mock.calls.map((c: unknown[]) => c[0])).toEqual([
      'twilight-tracker: E4 undefined (an unknown or malformed queued call was ignored)',
    ]);
  });

  it("a queued `init` wins over the tag's data-* attributes, key by key (README: configuration order)", async () => {
    const t = fakeEnv();
    const win = { twilightTracker: [['init', { batchSize: 2 }]] as unknown };
    const create = (o: unknown[], defaults: unknown[]) => createCore(o, t.env, defaults);
    // data-batch-size="5" on the tag; its endpoint and the rest still apply.
    const dataset = { endpoint: '/collect', webVitals: 'false', autoPage: 'false', batchSize: '5' };
    const g = installGlobal(win, dataset, create);
    g?.track('A');
    g?.track('B');
    await vi.advanceTimersByTimeAsync(0);
    // A whole batch of 2 goes at once (of 5, it would wait for the 2 s flush interval).
    expect(t.sent.map((s) => [s.url, s.body.batch.map((e) => e.event)])).toEqual([['/collect', ['A', 'B']]]);
  });

  it('loading twice keeps the first tracker and does not attach again', () => {
    const s = setup();
    const first = s.install();
    expect(s.install()).toBeUndefined();
    expect(s.win.twilightTracker).toBe(first);
    expect(s.created).toHaveLength(1);
  });

  it('a snippet loading after a theme tag: its `defaults` push is ignored quietly, a late `init` is an E4', async () => {
    const s = setup();
    const g = s.install();
    g?.push(['defaults', { writeKey: 'from-snippet' }]);
    g?.push(['init', { writeKey: 'too-late' }]);
    g?.push(['track', 'Still Here']);
    await g?.flush();
    expect(s.t.events().map((e) => e.event)).toEqual(['Still Here']);
    expect(JSON.stringify(s.t.sent)).not.toMatch(/from-snippet|too-late/);
    expect(warn.mock.calls.map((c: unknown[]) => c[0])).toEqual([
      'twilight-tracker: E4 init (an unknown or malformed queued call was ignored)',
    ]);
  });

  it('replaces a non-queue value a theme left on the name', () => {
    const s = setup({ legacy: true });
    const g = s.install();
    expect(s.win.twilightTracker).toBe(g);
    expect(Object.keys(s.win)).toEqual(['twilightTracker']);
  });
});
