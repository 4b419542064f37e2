// PII protection (src/event/privacy.ts): which fields identify a person, how they are hashed, dropped
// or masked. Written to kill its mutants (`npm run mutation`, docs/mutation.md).
import { describe, expect, it } from 'vitest';
import {
  anonymize,
  e164,
  hasPii,
  normalizeIdentity,
  PII,
  protect,
  redactPage,
  scrub,
  underConsent,
} from '../../src/event/privacy';
import type { ConsentState, EventContext, PageProperties, TrackerEvent } from '../../src/schema';

const ev = (properties: Record<string, unknown>) =>
  ({
    type: 'track',
    event: 'X',
    messageId: 'm1',
    anonymousId: 'stored-aid',
    userId: '501',
    properties,
    context: { page: { url: '/p' }, session_id: 's1', consent_state: 'granted', locale: 'ar' },
  }) as unknown as TrackerEvent;

describe('PII', () => {
  it('names the five identity fields', () => {
    expect(PII).toEqual(['email', 'phone', 'mobile', 'first_name', 'last_name']);
  });
});

describe('scrub', () => {
  it('removes identity properties in clear or hashed, and wishlist_id; keeps everything else, in order', () => {
    const p = {
      a: 1,
      email: 'e',
      phone: 'p',
      mobile: 'm',
      first_name: 'f',
      last_name: 'l',
      email_sha256: 'h',
      phone_sha256: 'h',
      mobile_sha256: 'h',
      first_name_sha256: 'h',
      last_name_sha256: 'h',
      wishlist_id: '1_501',
      name: 'Tea',
      b: 2,
    };
    const out = scrub(p);
    expect(out).toEqual({ a: 1, name: 'Tea', b: 2 });
    expect(Object.keys(out)).toEqual(['a', 'name', 'b']);
    expect(out).not.toBe(p);
    expect(p.email).toBe('e'); // the original is untouched
  });

  it('matches whole names only', () => {
    const keep = {
      emails: 1,
      my_email: 2,
      email_sha: 3,
      email_sha2566: 4,
      x_phone_sha256: 5,
      wishlist_ids: 6,
      my_wishlist_id: 7,
      wishlist: 8,
      _sha256: 9,
      first_name_: 10,
      Email: 11,
    };
    expect(scrub(keep)).toEqual(keep);
  });
});

describe('underConsent', () => {
  /** `context.consent` for a state. */
  const consentOf = (state: ConsentState) => underConsent({} as EventContext, state).consent;
  it("gives Segment's consent object once the shopper chose, none while pending", () => {
    expect(consentOf('pending')).toBeUndefined();
    expect(consentOf('granted')).toEqual({ categoryPreferences: { analytics: true } });
    expect(consentOf('denied')).toEqual({ categoryPreferences: { analytics: false } });
  });
});

describe('anonymize', () => {
  it('gives the page id, no userId, no session id, no identity properties, and the consent fields', () => {
    const e = ev({ email: 'a@x.com', email_sha256: 'h', wishlist_id: '1_501', n: 1 });
    const a = anonymize(e, 'page-id', 'denied') as TrackerEvent & { context: Record<string, unknown> };
    expect(a.anonymousId).toBe('page-id');
    expect('userId' in a).toBe(false);
    expect(a.properties).toEqual({ n: 1 });
    expect(a.context).toEqual({
      page: { url: '/p' },
      locale: 'ar',
      session_id: undefined,
      consent: { categoryPreferences: { analytics: false } },
      consent_state: 'denied',
    });
    expect(a.context.session_id).toBeUndefined();
    expect((a as unknown as { messageId: string }).messageId).toBe('m1');
    expect((a as unknown as { event: string }).event).toBe('X');
    // The original is untouched.
    expect(e.userId).toBe('501');
    expect(e.anonymousId).toBe('stored-aid');
    expect(e.context.session_id).toBe('s1');
    expect(e.properties).toEqual({ email: 'a@x.com', email_sha256: 'h', wishlist_id: '1_501', n: 1 });
  });

  it('pending: no consent object', () => {
    const a = anonymize(ev({}), 'p', 'pending');
    expect(a.context.consent).toBeUndefined();
    expect(a.context.consent_state).toBe('pending');
  });
});

describe('hasPii', () => {
  it('sees each identity field at the top level, whatever its value but undefined', () => {
    for (const k of PII) {
      expect(hasPii(ev({ [k]: 'x' }))).toBe(true);
      expect(hasPii(ev({ [k]: '' }))).toBe(true);
      expect(hasPii(ev({ [k]: null }))).toBe(true);
      expect(hasPii(ev({ [k]: undefined }))).toBe(false);
    }
    expect(hasPii(ev({ email_sha256: 'h', wishlist_id: '1', user: { email: 'a' } }))).toBe(false);
    expect(hasPii(ev({}))).toBe(false);
  });
});

describe('e164', () => {
  it.each([
    ['+966 50 123 4567', undefined, '+966501234567'],
    ['  +966 (50) 123-4567', undefined, '+966501234567'],
    ['\t00966501234567', undefined, '+966501234567'],
    ['00966 500 012 345', undefined, '+966500012345'], // only the leading 00 goes
    ['+966 500 012 345', undefined, '+966500012345'],
    ['0501234567', '966', '+966501234567'], // local: its leading zero dropped, the code in front
    ['0 0501234567', '966', '+966501234567'], // every leading zero
    ['501234567', '+966', '+966501234567'],
    ['966501234567', '966', '+966501234567'], // the code already there, without + or 00: not twice
    ['966 50 123 4567', '+966', '+966501234567'],
    ['9665012345', '966', '+9669665012345'], // 7 digits after it: too few to be the code, a local number
    ['9660501234567', '966', '+966501234567'], // the code, then the trunk 0
    ['9123456789', '+91', '+919123456789'], // a two-digit code: a local number that starts like it
    ['9665012345678', '966', undefined], // 10 digits after it: not a Gulf number; as local, too long
    ['96512345678', '965', '+96512345678'], // Kuwait: 8 digits after the code
    ['0966501234567', '966', '+966966501234567'], // a leading zero: local
    ['0501234567', undefined, undefined], // local without a code
    ['x+966501234567', undefined, undefined],
    ['+123456', undefined, undefined], // 6 digits: too short
    ['+1234567', undefined, '+1234567'], // 7
    ['+123456789012345', undefined, '+123456789012345'], // 15
    ['+1234567890123456', undefined, undefined], // 16: too long
    ['', '966', undefined],
  ])('%j (code %j) → %j', (raw, code, out) => expect(e164(raw, code)).toBe(out));
});

describe('normalizeIdentity', () => {
  it('trims and lower-cases emails and names; phones and mobiles become E.164 or nothing', () => {
    expect(normalizeIdentity('email', ' Sara@Example.COM\n')).toBe('sara@example.com');
    expect(normalizeIdentity('last_name', ' AL-Harbi ')).toBe('al-harbi');
    expect(normalizeIdentity('first_name', 12)).toBe('12');
    expect(normalizeIdentity('phone', ' +966 50 123 4567 ')).toBe('+966501234567');
    expect(normalizeIdentity('mobile', '+966 50 123 4567')).toBe('+966501234567');
    expect(normalizeIdentity('mobile', '0501234567')).toBe(''); // local: no code known here
    expect(normalizeIdentity('phone', 'none')).toBe('');
    expect(normalizeIdentity('email', '+966 50 123 4567')).toBe('+966 50 123 4567');
  });
});

describe('protect', () => {
  const sha = () => {
    const calls: string[] = [];
    const f = async (s: string) => (calls.push(s), 'h:' + s);
    return { f, calls };
  };

  it('keep, or no identity field: the event itself, both ways, nothing hashed', async () => {
    const h = sha();
    const e = ev({ email: 'a@x.com' });
    const k = await protect(e, 'keep', h.f);
    expect(k.safe).toBe(e);
    expect(k.raw).toBe(e);
    const plain = ev({ n: 1 });
    const p = await protect(plain, 'hash', h.f);
    expect(p.safe).toBe(plain);
    expect(p.raw).toBe(plain);
    expect(h.calls).toEqual([]);
  });

  it('hash: each field present becomes <field>_sha256 of its normalized value', async () => {
    const h = sha();
    const e = ev({
      n: 1,
      email: ' A@X.com',
      phone: '+966 50 123 4567',
      mobile: '00966501234568',
      first_name: 'Sara',
      last_name: 'K',
    });
    const { safe, raw } = await protect(e, 'hash', h.f);
    expect(safe.properties).toEqual({
      n: 1,
      email_sha256: 'h:a@x.com',
      phone_sha256: 'h:+966501234567',
      mobile_sha256: 'h:+966501234568',
      first_name_sha256: 'h:sara',
      last_name_sha256: 'h:k',
    });
    expect(h.calls).toEqual(['a@x.com', '+966501234567', '+966501234568', 'sara', 'k']);
    expect(raw).toBe(e);
    expect(raw.properties).toEqual({
      n: 1,
      email: ' A@X.com',
      phone: '+966 50 123 4567',
      mobile: '00966501234568',
      first_name: 'Sara',
      last_name: 'K',
    });
    expect(safe.userId).toBe('501');
    expect(safe.messageId).toBe('m1');
  });

  it('hash: a field whose value normalizes to nothing, or that cannot be hashed, is dropped', async () => {
    const h = sha();
    const { safe } = await protect(ev({ phone: 'n/a', email: '  ', n: 1 }), 'hash', h.f);
    expect(safe.properties).toEqual({ n: 1 });
    expect(h.calls).toEqual([]);
    const none = await protect(ev({ email: 'a@x.com' }), 'hash', async () => undefined);
    expect(none.safe.properties).toEqual({});
  });

  it('hash: a field present as undefined is left as it is', async () => {
    const h = sha();
    const { safe } = await protect(ev({ email: undefined, last_name: 'K' }), 'hash', h.f);
    expect(safe.properties).toEqual({ email: undefined, last_name_sha256: 'h:k' });
    expect('email' in safe.properties).toBe(true);
    expect(h.calls).toEqual(['k']);
  });

  it('drop: the fields are removed, nothing is hashed', async () => {
    const h = sha();
    const { safe } = await protect(ev({ email: 'a@x.com', phone: '+966501234567', n: 1 }), 'drop', h.f);
    expect(safe.properties).toEqual({ n: 1 });
    expect(h.calls).toEqual([]);
  });
});

describe('redactPage', () => {
  const page = (url: string) => redactPage({ url } as PageProperties).url;

  it.each([
    ['/a?e=sara@example.com', '/a?e=[email]'],
    ['/a?e=sara.k+news@mail-x.example.co.uk&x=1', '/a?e=[email]&x=1'],
    ['/a?e=sara%40example.com', '/a?e=[email]'],
    ['/a?e=SARA%40EXAMPLE.COM', '/a?e=[email]'],
    ['/a?a=x@y.io&b=z@w.io', '/a?a=[email]&b=[email]'],
    ['/a?e=a@b', '/a?e=a@b'], // no domain: not an address
    ['/a?e=a@.com', '/a?e=a@.com'],
    ['/a?e=@b.com', '/a?e=@b.com'],
    ['/shop/tea', '/shop/tea'],
  ])('%j → %j', (url, out) => expect(page(url)).toBe(out));

  it('masks url, path, search and referrer; leaves the rest, and values that are not strings', () => {
    const p = {
      url: 'https://s.example/a@b.co',
      path: '/u/a@b.co',
      search: '?e=a@b.co',
      referrer: 'https://m.example/?to=a@b.co',
      title: 'a@b.co',
      x: 'a@b.co',
    } as unknown as PageProperties;
    const out = redactPage(p);
    expect(out).toEqual({
      url: 'https://s.example/[email]',
      path: '/u/[email]',
      search: '?e=[email]',
      referrer: 'https://m.example/?to=[email]',
      title: 'a@b.co',
      x: 'a@b.co',
    });
    expect(p.url).toBe('https://s.example/a@b.co');
    const odd = { url: 5, path: undefined, referrer: null } as unknown as PageProperties;
    expect(redactPage(odd)).toEqual(odd);
  });
});
