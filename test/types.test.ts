/**
 * Type tests, checked by `tsc -p test/tsconfig.json` (each `@ts-expect-error` line must be an
 * error, or tsc fails) and run by vitest for the runtime half.
 */
import { describe, expect, expectTypeOf, it } from 'vitest';
import {
  isEvent,
  type EventName,
  type ListFacet,
  type Product,
  type TrackEvent,
  type TrackerEvent,
} from '../src/schema';
import type { Emitted } from '../src/normalize/types';

const base = {
  messageId: 'm',
  timestamp: '2026-11-22T10:00:00.000Z',
  context: { library: { name: 'twilight-tracker' as const, version: '0.1.0' }, page: {} },
};
const applied: TrackerEvent = {
  ...base,
  type: 'track',
  event: 'Coupon Applied',
  properties: { cart_id: '70001', coupon_code: 'SAVE10', discount: 37.4, currency: 'SAR' },
};
const denied: TrackerEvent = {
  ...base,
  type: 'track',
  event: 'Coupon Denied',
  properties: { coupon_code: 'NOPE', reason: 'expired' },
};

describe('event types', () => {
  it('isEvent narrows a callback’s events to one event’s properties', () => {
    const seen: Array<string | number | undefined> = [];
    const callback = (events: TrackerEvent[]) => {
      for (const e of events) {
        if (isEvent(e, 'Coupon Applied')) {
          expectTypeOf(e).toEqualTypeOf<TrackEvent<'Coupon Applied'>>();
          expectTypeOf(e.properties.coupon_code).toEqualTypeOf<string | undefined>();
          expectTypeOf(e.properties.discount).toEqualTypeOf<number | undefined>();
          // @ts-expect-error `reason` belongs to Coupon Denied, not Coupon Applied
          seen.push(e.properties.reason);
          // @ts-expect-error no product fields on a coupon event
          seen.push(e.properties.product_id);
          seen.push(e.properties.coupon_code, e.properties.discount);
        } else if (isEvent(e, 'Coupon Denied')) {
          seen.push(e.properties.reason);
          // @ts-expect-error a denied coupon gives no discount
          seen.push(e.properties.discount);
        }
      }
    };
    callback([applied, denied]);
    expect(seen).toEqual([undefined, undefined, 'SAVE10', 37.4, 'expired', undefined]);
  });

  it('per-event properties are typed (ids strings, money numbers, lists of products)', () => {
    const added = (e: TrackEvent<'Product Added'>) => e.properties;
    expectTypeOf(added).returns.toHaveProperty('product_id').toEqualTypeOf<string | undefined>();
    expectTypeOf(added).returns.toHaveProperty('price').toEqualTypeOf<number | undefined>();
    expectTypeOf<TrackEvent<'Order Completed'>['properties']['order_id']>().toEqualTypeOf<string>();
    expectTypeOf<TrackEvent<'Order Completed'>['properties']['products']>().toEqualTypeOf<Product[]>();
    expectTypeOf<TrackEvent<'Product List Filtered'>['properties']['filters']>().toEqualTypeOf<ListFacet[]>();
    expectTypeOf<TrackEvent<'User Profile Updated'>['properties']['updated_fields']>().toEqualTypeOf<
      string[]
    >();
    expectTypeOf<'Market Selected'>().toMatchTypeOf<EventName>();
    expectTypeOf<'Coupon Entered'>().not.toMatchTypeOf<EventName>();
  });

  it('a normalizer cannot emit the wrong properties for an event name', () => {
    const ok: Emitted = { name: 'Coupon Denied', properties: { reason: 'expired' } };
    // @ts-expect-error Coupon Applied has no `reason`
    const bad: Emitted = { name: 'Coupon Applied', properties: { reason: 'expired' } };
    // @ts-expect-error Products Searched needs a query
    const noQuery: Emitted = { name: 'Products Searched', properties: {} };
    expect([ok, bad, noQuery].map((e) => e.name)).toEqual([
      'Coupon Denied',
      'Coupon Applied',
      'Products Searched',
    ]);
  });
});
