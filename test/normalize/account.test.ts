import { describe, expect, it } from 'vitest';
import { phone } from '../../src/normalize/account';
import { args, run, state } from './fixture';

const SARA = {
  type: 'user',
  email: 'sara@example.com',
  phone: '+966501234567',
  first_name: 'Sara',
  last_name: 'Ali',
  method: 'mobile',
};
/** `Salla.config.get('user')` of a signed-in customer (the demo renders Salla's shape). */
const configUser = {
  id: 501,
  type: 'user',
  first_name: 'Sara',
  last_name: 'Ali',
  email: 'sara@example.com',
  mobile: '+966501234567',
  country_code: 'SA',
  language_code: 'en',
  currency_code: 'SAR',
  avatar: null,
};

describe('account: Signed In / Signed Up / Signed Out', () => {
  it('Signed In once per sign-in, with the profile the SDK fetched (real hook order)', () => {
    const s = state({ pageSlug: 'customer.profile' });
    const out = [
      ...run(s, 'auth::code.sent', args('auth::code.sent', 0)),
      ...run(s, 'profile::info.fetched', args('profile::info.fetched', 0)),
      ...run(s, 'Signed In', args('Signed In', 0)), // Salla's engine re-emitting: ignored
      ...run(s, 'auth::logged.in', args('auth::logged.in', 0)),
      ...run(s, 'auth::verified', args('auth::verified', 0)),
      ...run(s, 'auth::logged.in', args('auth::logged.in', 0)),
      ...run(s, 'profile::info.fetched', args('profile::info.fetched', 0)),
    ];
    expect(out).toEqual([{ name: 'Signed In', properties: SARA }]);
    expect(s.customerId).toBe('501');
  });

  it('waits for the profile when auth::logged.in comes first', () => {
    const s = state();
    expect(run(s, 'auth::logged.in', args('auth::logged.in', 0))).toEqual([]);
    expect(run(s, 'profile::info.fetched', args('profile::info.fetched', 0))).toEqual([
      { name: 'Signed In', properties: SARA },
    ]);
  });

  it('a sign-up (auth::registered, then auth::logged.in) is one Signed Up (real hook order)', () => {
    const s = state();
    // salla.auth.register() for a new customer: registered, the new profile, then logged.in.
    const out = [
      ...run(s, 'auth::registered', args('auth::registered', 0)),
      ...run(s, 'profile::info.fetched', args('profile::info.fetched', 1)),
      ...run(s, 'auth::logged.in', args('auth::logged.in', 1)),
    ];
    const traits: Record<string, string | undefined> = {
      type: 'user',
      email: 'noura@example.com',
      phone: '+966555000111',
      first_name: 'Noura',
      last_name: 'Saleh',
      method: undefined, // a registration is no verification: its response has no verification.type
    };
    expect(out).toEqual([{ name: 'Signed Up', properties: traits }]);
    expect(JSON.parse(JSON.stringify(out[0]?.properties))).not.toHaveProperty('method');
  });

  it('Signed Out, and the next sign-in is reported again', () => {
    const s = state({ customer: { ...configUser }, customerId: '501' });
    expect(run(s, 'Signed Out', args('Signed Out', 0))).toEqual([]); // Salla's re-emission
    expect(run(s, 'auth::logged.out', args('auth::logged.out', 0))).toEqual([
      { name: 'Signed Out', properties: {} },
    ]);
    run(s, 'profile::info.fetched', args('profile::info.fetched', 0));
    expect(run(s, 'auth::logged.in', args('auth::logged.in', 0)).map((e) => e.name)).toEqual(['Signed In']);
  });

  it('identity from the config user shape (mobile string)', () => {
    const s = state({ customer: { ...configUser } });
    expect(run(s, 'auth::logged.in', [{ data: { case: 'authenticated' } }])).toEqual([
      {
        name: 'Signed In',
        properties: {
          type: 'user',
          email: 'sara@example.com',
          phone: '+966501234567',
          first_name: 'Sara',
          last_name: 'Ali',
        },
      },
    ]);
  });
});

describe('account: User Profile Updated', () => {
  it('names the changed fields only, diffed against the profile known before', () => {
    const s = state({ pageSlug: 'customer.profile' });
    run(s, 'profile::info.fetched', args('profile::info.fetched', 0));
    expect(run(s, 'profile::updated', args('profile::updated', 0))).toEqual([
      { name: 'User Profile Updated', properties: { updated_fields: ['first_name'] } },
    ]);
    // The update became the known profile: sending it again changes nothing.
    expect(run(s, 'profile::updated', args('profile::updated', 0))).toEqual([
      { name: 'User Profile Updated', properties: { updated_fields: [] } },
    ]);
  });

  it('against the config user: fields it does not carry (birthday, gender) are not reported', () => {
    const s = state({ customer: { ...configUser } });
    const resp = args('profile::updated', 0) as [{ data: Record<string, unknown> }];
    resp[0].data.email = 'sarah@example.com';
    resp[0].data.phone = { code: '+966', number: '0509999999', country: 'SA' };
    expect(run(s, 'profile::updated', resp)).toEqual([
      { name: 'User Profile Updated', properties: { updated_fields: ['first_name', 'email', 'phone'] } },
    ]);
  });

  it('does not mutate the customer object it was given', () => {
    const user = { ...configUser };
    const s = state({ customer: user });
    run(s, 'profile::updated', args('profile::updated', 0));
    expect(user).toEqual(configUser);
    expect(s.customer).not.toBe(user);
  });
});

describe('account: Market Selected', () => {
  it('from scope::changed (salla.scope.change({id: 7}))', () => {
    expect(run(state(), 'scope::changed', args('scope::changed', 0))).toEqual([
      {
        name: 'Market Selected',
        properties: { id: '7', name: 'UAE', country: 'AE', currency: 'AED', locale: 'ar' },
      },
    ]);
  });

  it('reads {code} objects as well as codes', () => {
    const resp = args('scope::changed', 0) as [{ data: Record<string, unknown> }];
    resp[0].data.currencies = [{ code: 'aed' }];
    resp[0].data.languages = [{ code: 'ar' }];
    const [e] = run(state(), 'scope::changed', resp);
    expect(e?.properties).toMatchObject({ currency: 'AED', locale: 'ar' });
  });
});

describe('phone', () => {
  it('gives E.164 or nothing', () => {
    expect(phone({ code: '+966', number: '0501234567' })).toBe('+966501234567');
    expect(phone('+966 50 123 4567')).toBe('+966501234567');
    expect(phone('00966501234567')).toBe('+966501234567');
    expect(phone('0501234567')).toBeUndefined(); // no country code: not E.164
    expect(phone({ number: '501234567' })).toBeUndefined();
    expect(phone('+12')).toBeUndefined();
  });
});
