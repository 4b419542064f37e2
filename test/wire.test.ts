import { readFileSync } from 'node:fs';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { createCore } from '../src/core/createCore';
import { batchBody } from '../src/delivery/wire';
import { utf8Length } from '../src/lib/json';
import { fakeEnv } from './helpers/fakeEnv';
import { withThrowingToJSON } from './helpers/throwingToJSON';
import { fakeSdk, storeConfig } from './helpers/fakeSdk';

let n = 0;
vi.mock('../src/browser/uuid', () => ({ uuid: () => 'id-' + ++n }));

beforeEach(() => {
  n = 0;
  vi.useFakeTimers();
  vi.setSystemTime(new Date('2026-11-22T10:00:00.000Z'));
});
afterEach(() => vi.useRealTimers());

const context = {
  library: { name: 'twilight-tracker', version: '0.1.0' },
  locale: 'ar-SA',
  page: {
    url: 'http://127.0.0.1:4400/p/1',
    path: '/p/1',
    title: 'Shirt',
    slug: 'product.single',
    page_id: '1',
  },
  store: { id: '1001', currency: 'SAR' },
  session_id: 'id-2',
  consent: { categoryPreferences: { analytics: true } },
  consent_state: 'granted',
};

describe('wire format', () => {
  it('POSTs a Segment-compatible batch with writeKey and sentAt, each event fully formed', async () => {
    const s = fakeSdk(storeConfig({ page: { slug: 'product.single', id: 1, title: 'Shirt' } }));
    const t = fakeEnv({ sdk: s.sdk });
    const tracker = createCore({ endpoint: '/collect', writeKey: 'wk_1', webVitals: false }, t.env);
    s.init();
    s.emit('Product Added', [{ product_id: 1, name: 'Shirt', price: '99.5', quantity: 2, cart_id: 77 }]);
    await vi.advanceTimersByTimeAsync(2000);
    expect(t.sent).toHaveLength(1);
    expect(t.sent[0]).toEqual({
      url: '/collect',
      via: 'fetch',
      body: {
        sentAt: '2026-11-22T10:00:02.000Z',
        writeKey: 'wk_1',
        batch: [
          {
            type: 'page',
            name: 'product.single',
            properties: context.page,
            context,
            messageId: 'id-3',
            // (drawn when the first event is finished, after the events built in the same task)
            anonymousId: 'id-4',
            timestamp: '2026-11-22T10:00:00.000Z',
          },
          {
            type: 'track',
            event: 'Product Added',
            properties: {
              cart_id: '77',
              product_id: '1',
              name: 'Shirt',
              price: 99.5,
              quantity: 2,
              currency: 'SAR',
            },
            context,
            messageId: 'id-5',
            anonymousId: 'id-4',
            timestamp: '2026-11-22T10:00:00.000Z',
          },
        ],
      },
    });
    tracker.destroy();
  });

  it("is the README's batch, byte for byte: its keys in the order sent", async () => {
    const readme = readFileSync(new URL('../README.md', import.meta.url), 'utf8');
    const block = /A batch as the tracker writes it[\s\S]*?```json\n([\s\S]*?)```/.exec(readme)?.[1];
    const s = fakeSdk(storeConfig({ page: { slug: 'product.single', id: 1, title: 'Shirt' } }));
    const t = fakeEnv({ sdk: s.sdk });
    const tracker = createCore({ endpoint: '/collect', writeKey: 'wk_1', webVitals: false }, t.env);
    s.init();
    s.emit('Product Added', [{ product_id: 1, name: 'Shirt', price: '99.5', quantity: 2, cart_id: 77 }]);
    await vi.advanceTimersByTimeAsync(2000);
    const post = t.env.post as ReturnType<typeof vi.fn>;
    expect((post.mock.calls[0]?.[1] as () => string)()).toBe(JSON.stringify(JSON.parse(block ?? 'null')));
    tracker.destroy();
  });

  it('gives batch callbacks the same events as the endpoint: the same JSON text', async () => {
    const s = fakeSdk(storeConfig());
    const t = fakeEnv({ sdk: s.sdk });
    const tracker = createCore({ endpoint: '/collect', webVitals: false, autoPage: false }, t.env);
    const got: unknown[] = [];
    tracker.register((events) => void got.push(...events));
    s.init();
    tracker.track('Newsletter Joined', { list: 'weekly', note: 'é "q" \u2028 😀', n: 1.5e-7 });
    s.emit('Product Added', [{ product_id: 1, name: 'Shirt', price: '99.5', quantity: 2, cart_id: 77 }]);
    // @ts-expect-error `total` a string, a number product id, as a JS caller may give them
    tracker.track('Order Completed', {
      order_id: 'o1',
      total: '10',
      products: [{ product_id: 1, price: 10 }],
    });
    await tracker.flush();
    const post = t.env.post as ReturnType<typeof vi.fn>;
    expect(post).toHaveBeenCalledTimes(1);
    // The text the endpoint got is the callback's events, each written as JSON, in a batch body.
    expect((post.mock.calls[0]?.[1] as () => string)()).toBe(
      '{"batch":[' + got.map((e) => JSON.stringify(e)).join(',') + '],"sentAt":"2026-11-22T10:00:00.000Z"}', // flushed at once
    );
    expect(got.map((e) => (e as { event: string }).event)).toEqual([
      'Newsletter Joined',
      'Product Added',
      'Order Completed',
    ]);
  });

  it('serializes bodies by hand identically to JSON.stringify', () => {
    const events = [{ a: 1, c: [null, -0, 1e21] }, { b: 'é "q" \\ \u2028 😀' }];
    const sentAt = '2026-01-01T00:00:00.000Z';
    const parts = events.map((e) => JSON.stringify(e));
    expect(batchBody(parts, sentAt, 'k"1')).toBe(JSON.stringify({ batch: events, sentAt, writeKey: 'k"1' }));
    expect(batchBody(parts, sentAt)).toBe(JSON.stringify({ batch: events, sentAt }));
    expect(batchBody([], sentAt, '')).toBe(JSON.stringify({ batch: [], sentAt }));
    expect(utf8Length('aé€😀')).toBe(Buffer.byteLength('aé€😀'));
  });
});

describe('a page that defines a throwing Object.prototype.toJSON after events were written', () => {
  it('still gets its batch body from the events already written', () => {
    const body = withThrowingToJSON(() => batchBody(['{"a":1}'], '2026-01-01T00:00:00.000Z', 'k'));
    expect(body).toBe('{"batch":[{"a":1}],"sentAt":"2026-01-01T00:00:00.000Z","writeKey":"k"}');
  });
});
