/**
 * Type tests, checked by `tsc -p test/tsconfig.json` (each `@ts-expect-error` line must be an
 * error, or tsc fails) and run by vitest for the runtime half.
 */
import ts from 'typescript';
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

/**
 * The type errors of `code`, a module beside this file, checked by the TypeScript compiler with the
 * project's options: [line (1-based), error code, the message's lines] each.
 */
function typeErrors(code: string): Array<[number, number, string[]]> {
  const file = new URL('./__typecheck__.ts', import.meta.url).pathname;
  const config = ts.readConfigFile(new URL('../tsconfig.json', import.meta.url).pathname, ts.sys.readFile);
  const { options } = ts.parseJsonConfigFileContent(
    config.config,
    ts.sys,
    new URL('..', import.meta.url).pathname,
  );
  const host = ts.createCompilerHost(options);
  const read = host.getSourceFile;
  host.getSourceFile = (name, lang, ...rest) =>
    name === file ? ts.createSourceFile(name, code, lang) : read(name, lang, ...rest);
  host.fileExists = (
    (exists) => (name: string) =>
      name === file || exists(name)
  )(host.fileExists);
  // The language without the DOM's declarations (the event types need none): a quicker check.
  const program = ts.createProgram([file], { ...options, noEmit: true, lib: ['lib.es2020.d.ts'] }, host);
  return ts.getPreEmitDiagnostics(program, program.getSourceFile(file)).map((d) => [
    (d.file as ts.SourceFile).getLineAndCharacterOfPosition(d.start as number).line + 1,
    d.code,
    ts
      .flattenDiagnosticMessageText(d.messageText, '\n')
      .split('\n')
      .map((l) => l.trim()),
  ]);
}

const base = {
  anonymousId: 'a',
  messageId: 'm',
  timestamp: '2026-11-22T10:00:00.000Z',
  context: {
    library: { name: 'twilight-tracker' as const, version: '0.1.0' },
    page: {},
    consent_state: 'granted' as const,
  },
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

  it('tracker.track() checks a catalog event’s properties: only other names take custom properties', () => {
    // A catalog name with the wrong properties once fell through to the custom overload and compiled:
    // `track('Order Completed', { total: 5 })` type-checked, and the event was dropped at run time.
    const errors = typeErrors(
      [
        "import type { Tracker } from '../src/types';",
        'declare const tracker: Tracker;',
        "tracker.track('Order Completed', { total: 5 });",
        "tracker.track('Product Added', { product_id: 1 });",
        "tracker.track('Products Searched');",
        "tracker.track('Order Completed', { order_id: 'o1', total: 5, products: [] });",
        "tracker.track('Newsletter Joined', { list: 'weekly', n: 1 });",
        "tracker.track('Seen');",
        'export const track = (name: string) => tracker.track(name, { n: 1 });',
      ].join('\n'),
    );
    // Lines 3 to 5 are errors (no order_id; a number id; no properties at all), the rest compile.
    expect(errors.map(([line]) => line)).toEqual([3, 4, 5]);
  }, 30_000);

  it('createTracker({ sdk }) takes the Twilight SDK as its own types declare it (@salla.sa/twilight)', () => {
    // Its emitter's onAny gives a listener `string | string[]` names and its storage.get has two
    // parameters: a TypeScript theme passing `salla` got TS2322 before.
    const errors = typeErrors(
      [
        "import type Salla from '@salla.sa/twilight';",
        "import type { TrackerOptions } from '../src/types';",
        'declare const salla: Salla;',
        'export const options: TrackerOptions = { sdk: salla };',
      ].join('\n'),
    );
    expect(errors).toEqual([]);
  }, 30_000);

  it('a normalizer cannot emit the wrong properties for an event name', () => {
    // Checked by tsc (test/tsconfig.json): each @ts-expect-error line must be an error.
    const ok: Emitted = { name: 'Coupon Denied', properties: { reason: 'expired' } };
    // @ts-expect-error Coupon Applied has no `reason`
    const bad: Emitted = { name: 'Coupon Applied', properties: { reason: 'expired' } };
    // @ts-expect-error Products Searched needs a query
    const noQuery: Emitted = { name: 'Products Searched', properties: {} };
    void [ok, bad, noQuery];
    // And here, by the compiler itself: the same three declarations (lines 2, 3 and 4 of a module).
    const errors = typeErrors(
      [
        "import type { Emitted } from '../src/normalize/types';",
        "export const ok: Emitted = { name: 'Coupon Denied', properties: { reason: 'expired' } };",
        "export const bad: Emitted = { name: 'Coupon Applied', properties: { reason: 'expired' } };",
        "export const noQuery: Emitted = { name: 'Products Searched', properties: {} };",
      ].join('\n'),
    );
    expect(errors).toEqual([
      [
        3,
        2322,
        [
          "Type '{ name: \"Coupon Applied\"; properties: { reason: string; }; }' is not assignable to type 'Emitted'.",
          "Types of property 'properties' are incompatible.",
          "Object literal may only specify known properties, and 'reason' does not exist in type 'CouponApplied'.",
        ],
      ],
      [
        4,
        2322,
        [
          "Type '{ name: \"Products Searched\"; properties: {}; }' is not assignable to type 'Emitted'.",
          "Types of property 'properties' are incompatible.",
          "Property 'query' is missing in type '{}' but required in type 'ProductsSearched'.",
        ],
      ],
    ]);
  }, 30_000);
});
