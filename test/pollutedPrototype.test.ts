// A host page that adds enumerable properties to Object.prototype (old themes and libraries do):
// nothing of it may reach an event, in any consent state. (e2e/hostile.spec.ts runs the same page in Chromium.)
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createCore } from '../src/core/createCore';
import { fakeEnv } from './helpers/fakeEnv';

const proto = Object.prototype as Record<string, unknown>;
beforeEach(() => {
  proto.foo = 'bar';
  proto.__theme = { x: 1 };
});
afterEach(() => {
  delete proto.foo;
  delete proto.__theme;
});

describe('a polluted Object.prototype', () => {
  for (const consent of ['pending', 'granted', 'denied'] as const)
    it(`adds nothing to a ${consent} event`, async () => {
      const t = fakeEnv();
      const tracker = createCore([{ endpoint: '/c', consent, webVitals: false, autoPage: false }], t.env);
      tracker.track('Product Added', { product_id: '7', price: 10, quantity: 1, email: 'a@b.co' });
      await tracker.flush();
      const [e] = t.events();
      expect(Object.keys(e?.properties as object).sort()).toEqual(
        consent === 'granted'
          ? ['email_sha256', 'price', 'product_id', 'quantity']
          : ['price', 'product_id', 'quantity'],
      );
      expect(JSON.stringify(t.sent)).not.toMatch(/foo|__theme/);
    });
});
