/**
 * Account hooks → Signed In, Signed Up, Signed Out, User Profile Updated; and the shopper's market
 * (`scope::changed` → Market Selected). Identity fields leave here in clear: the core hashes them.
 */
import { currency, first, get, named, obj, str, strAt } from '../lib/read';
import type { Emitted, HookState, HookTable } from './types';
import { ev } from './types';
import { e164 } from '../event/privacy';

/** E.164 from `{code, number}`, or from a string already in international form (`+…`/`00…`); else undefined. */
export const phone = (v: unknown): string | undefined =>
  e164(strAt(v, 'number') || str(v) || '', strAt(v, 'code'));

/**
 * Signed In/Up, once per sign-in: the first of `auth::registered`/`auth::logged.in` names it (a
 * sign-up signs in too); it is sent with the customer's traits once the SDK has the profile.
 */
const sign = (s: HookState): Emitted | void => {
  const [name, method] = s.auth || [];
  const u = s.customer;
  if (!name || !u) return;
  s.auth = []; // (sent: kept until sign-out, so a later auth hook sends no second one)
  return ev(name, {
    type: strAt(u, 'type') || 'user',
    ...facts(u, ['email', 'phone', 'first_name', 'last_name']),
    method,
  });
};

const F = ['first_name', 'last_name', 'email', 'phone', 'birthday', 'gender'];

/** `(AuthResponse.verify {data: {case, token, verification: {type}}})` */
const auth = (name: 'Signed In' | 'Signed Up', [r]: unknown[], s: HookState) => {
  s.auth ||= [name, strAt(r, 'data', 'verification', 'type')];
  return sign(s);
};

/** A customer's fields `keys` (profile `data` or config `user`): `empty` when known to be empty, undefined when unknown. */
const facts = (u: unknown, keys: string[], empty?: ''): Record<string, string | undefined> => {
  const o: Record<string, string | undefined> = {};
  for (const k of keys) {
    const v = get(u, k) ?? get(u, k === 'phone' ? 'mobile' : k);
    o[k] = v === undefined ? v : (k === 'phone' ? phone : str)(v) || empty;
  }
  return o;
};

export const account: HookTable = {
  // `(ProfileResponse {data: {id, first_name, …}})`: the customer, also after a sign-in.
  'profile::info.fetched': ([r], s) => {
    const d = obj(get(r, 'data'));
    if (!d) return;
    s.customer = { ...d };
    s.customerId = strAt(d, 'id') || s.customerId;
    return sign(s);
  },
  // `(SuccessResponse {data: Scope {id, name, countries?, currencies?, languages?}})`
  'scope::changed': ([r]) => {
    const d = get(r, 'data');
    return ev('Market Selected', {
      id: strAt(d, 'id'),
      name: strAt(d, 'name'),
      country: named(get(d, 'countries'), 'code'),
      currency: currency(first(get(d, 'currencies'))),
      locale: named(get(d, 'languages'), 'code'),
    });
  },
  'auth::registered': (a, s) => auth('Signed Up', a, s),
  // `(ProfileResponse)`: the names of the fields that differ from the last known customer, who keeps
  // what the response leaves out (their id, when it has none).
  'profile::updated': ([r], s) => {
    const d = obj(get(r, 'data'));
    const was = facts(s.customer, F, '');
    const now = facts(d, F, '');
    if (d) s.customer = { ...s.customer, ...d };
    return ev('User Profile Updated', {
      updated_fields: F.filter((k) => was[k] !== undefined && now[k] !== undefined && was[k] !== now[k]),
    });
  },
  'auth::logged.in': (a, s) => auth('Signed In', a, s),
  'auth::logged.out': (_, s) => {
    s.customer = s.auth = undefined;
    return ev('Signed Out', {});
  },
};
