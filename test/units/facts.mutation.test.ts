// What the SDK adapter reads from the Twilight SDK (src/sdk/facts.ts) and the option rules
// (src/core/options.ts): the currency's sources in order, the customer, calling codes, the cookie
// bar's consent, app settings, list attribution. Written to kill their mutants (`npm run mutation`,
// docs/mutation.md).
import { describe, expect, it } from 'vitest';
import { appSettings, callingCode, listAttribution, readState, storedConsent } from '../../src/sdk/facts';
import { parseOptions } from '../../src/core/options';
import { INFERRED, SHOPPER } from '../../src/pipeline/consent';
import type { HookState } from '../../src/normalize/types';
import type { TwilightSdk } from '../../src/types';

/** An SDK whose config holds `c` (dotted keys read through it), `currency()` when given, and storage `st`. */
const sdk = (c: Record<string, unknown>, currency?: () => unknown, st: Record<string, unknown> = {}) =>
  ({
    config: {
      get: (k: string) =>
        k
          .split('.')
          .reduce<unknown>(
            (o, p) => (o && typeof o === 'object' ? (o as Record<string, unknown>)[p] : undefined),
            c,
          ),
      ...(currency ? { currency } : {}),
    },
    storage: { get: (k: string) => st[k] },
  }) as unknown as TwilightSdk;
const fresh = () => ({ recent: new Map(), now: () => 0, log: () => undefined }) as unknown as HookState;

describe('readState', () => {
  it("reads the currency from config.currency() ({code}), else user.currency_code, else config's currency", () => {
    const s = fresh();
    readState(
      sdk({ user: { currency_code: 'usd' }, currency: 'eur' }, () => ({ code: 'kwd' })),
      s,
    );
    expect(s.storeCurrency).toBe('KWD');
    readState(sdk({ user: { currency_code: 'usd' }, currency: 'eur' }), s);
    expect(s.storeCurrency).toBe('USD');
    readState(sdk({ currency: 'eur' }), s);
    expect(s.storeCurrency).toBe('EUR');
    readState(sdk({}), s);
    expect(s.storeCurrency).toBe('EUR'); // (nothing new: kept)
  });

  it("knows a signed-in customer's id, not a guest's", () => {
    const s = fresh();
    readState(sdk({ user: { type: 'guest', id: 0 } }), s);
    expect(s.customerId).toBeUndefined();
    readState(sdk({ user: { type: 'user', id: 42 } }), s);
    expect(s.customerId).toBe('42');
  });
});

describe('callingCode', () => {
  const withUser = (customer: unknown) => Object.assign(fresh(), { customer }) as HookState;
  it('takes a code as it is and a Gulf country by the table; anything else is none', () => {
    expect(callingCode(withUser({ phone: { code: '+966' } }))).toBe('+966');
    expect(callingCode(withUser({ phone: { code: '971' } }))).toBe('971');
    expect(callingCode(withUser({ country_code: 'kw' }))).toBe('965');
    expect(callingCode(withUser({ phone: { code: '+96612' } }))).toBeUndefined();
    expect(callingCode(withUser({ phone: { code: 'x+966' } }))).toBeUndefined();
    expect(callingCode(withUser({ country_code: 'SAU' }))).toBeUndefined();
    expect(callingCode(withUser({ country_code: 'xSA' }))).toBeUndefined();
    expect(callingCode(withUser({ country_code: 'FR' }))).toBeUndefined();
    expect(callingCode(fresh(), sdk({ store: { country: 'QA' } }))).toBe('974');
  });
});

describe('storedConsent', () => {
  const bar = (v?: string) =>
    sdk({ store: { id: 1, features: ['website-cookies'] } }, undefined, { 'cookies-consent': v });
  it("tells the shopper's choice on the cookie bar, pending without one, granted without the bar", () => {
    expect(storedConsent(bar('accepted'))).toEqual(['granted', SHOPPER]);
    expect(storedConsent(bar('rejected'))).toEqual(['denied', SHOPPER]);
    expect(storedConsent(bar('unknown'))).toEqual(['pending', INFERRED]);
    expect(storedConsent(bar())).toEqual(['pending', INFERRED]);
    expect(storedConsent(sdk({ store: { id: 1, features: [] } }))).toEqual(['granted', INFERRED]);
    expect(storedConsent(sdk({ store: { id: 1 } }))).toEqual(['granted', INFERRED]);
    // (the config not loaded yet: no bar known)
    expect(storedConsent(sdk({}))).toEqual(['granted', INFERRED]);
  });
});

describe('appSettings and listAttribution', () => {
  it('reads app.<prefix><snake_case key>, leaving out unset, null and empty values', () => {
    const s = sdk({
      app: { tracker_endpoint: '/c', tracker_batch_size: 0, tracker_write_key: '', tracker_debug: null },
    });
    expect(appSettings(s, 'tracker_', ['endpoint', 'batchSize', 'writeKey', 'debug', 'pii'])).toStrictEqual({
      endpoint: '/c',
      batchSize: 0,
    });
  });

  it('a request id alone is an attribution; nothing at all is none', () => {
    const from = (o: Record<string, string>) => (k: string) => o[k] ?? null;
    expect(listAttribution(from({ 's-request-id': 'r1' }))).toStrictEqual({
      position: undefined,
      source: undefined,
      request_id: 'r1',
    });
    expect(listAttribution(from({ 's-viewed-source': 'search' }))?.source).toBe('search');
    expect(listAttribution(from({}))).toBeUndefined();
    expect(listAttribution()).toBeUndefined();
  });
});

describe('option rules', () => {
  it('takes the first value of a list rule too (consent: pending)', () => {
    expect(parseOptions({ consent: 'pending' }).consent).toBe('pending');
    expect(parseOptions({ pii: 'hash' }).pii).toBe('hash');
  });

  it("reads booleans from attributes: '', 'false', '0', 0 and false are off", () => {
    for (const v of ['false', '0', 0, false]) expect(parseOptions({ autoPage: v }).autoPage).toBe(false);
    for (const v of ['', 'true', '1', true]) expect(parseOptions({ autoPage: v }).autoPage).toBe(true);
  });

  it('keeps a number at either end of its range and refuses one beyond', () => {
    expect(parseOptions({ batchSize: 1 }).batchSize).toBe(1);
    expect(parseOptions({ batchSize: 500 }).batchSize).toBe(500);
    expect(parseOptions({ batchSize: 501 }).batchSize).toBe(20);
    expect(parseOptions({ batchSize: '' }).batchSize).toBe(20);
  });
});
