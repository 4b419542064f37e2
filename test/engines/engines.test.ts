import http from 'node:http';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { basicAuth, type GatewayRequest } from './common.mjs';
import { accept as jitsu } from './jitsu.mjs';
import { accept as rudderstack } from './rudderstack.mjs';
import { accept as segment } from './segment.mjs';
import { startGateways, type Gateways } from './server.mjs';

type Ev = Record<string, unknown>;

const TS = '2026-11-22T10:00:00.000Z';
const SENT = '2026-11-22T10:00:02.000Z';
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
  session_id: 's-1',
};

/** A page and a track event shaped as the tracker sends them (see test/wire.test.ts). */
function trackerEvents(): Ev[] {
  return [
    {
      type: 'page',
      name: 'product.single',
      properties: context.page,
      context,
      messageId: 'm-1',
      anonymousId: 'a-1',
      timestamp: TS,
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
      messageId: 'm-2',
      anonymousId: 'a-1',
      timestamp: TS,
    },
  ];
}

/** The body as the tracker serializes it: `{"batch":[…],"sentAt":"…"[,"writeKey":"…"]}` (its wire format). */
const body = (events: Ev[], writeKey?: string) =>
  JSON.stringify(
    writeKey === undefined ? { batch: events, sentAt: SENT } : { batch: events, sentAt: SENT, writeKey },
  );

const req = (over: Partial<GatewayRequest>): GatewayRequest => ({
  method: 'POST',
  path: '/v1/batch',
  query: {},
  headers: {},
  body: '',
  ...over,
});

const copy = <T>(v: T): T => JSON.parse(JSON.stringify(v));
const kept = (events: Ev[], writeKey: string) => events.map((event) => ({ writeKey, event }));

// ------------------------------------------------------------------------------------------------
describe('RudderStack gateway', () => {
  const beacon = (b: string, writeKey = 'wk') =>
    rudderstack(req({ path: '/beacon/v1/batch', query: { writeKey }, body: b }));
  const textError = (status: number, message: string, writeKey?: string) => ({
    status,
    response: { text: message + '\n' },
    body: message + '\n',
    headers: { 'content-type': 'text/plain; charset=utf-8', 'x-content-type-options': 'nosniff' },
    writeKey,
    accepted: [],
  });

  it('accepts a tracker batch on /beacon/v1/batch?writeKey= and keeps only the batch[] items', () => {
    const events = trackerEvents();
    expect(beacon(body(events, 'ignored-body-key'))).toEqual({
      status: 200,
      response: { text: 'ok' },
      body: 'ok',
      headers: { 'content-type': 'text/plain; charset=utf-8' },
      writeKey: 'wk',
      accepted: kept(events, 'wk'),
    });
  });

  it('accepts a tracker batch on /v1/batch with the key in Basic auth', () => {
    const events = trackerEvents();
    const r = rudderstack(req({ headers: { authorization: basicAuth('wk') }, body: body(events) }));
    expect([r.status, r.body, r.writeKey, r.accepted]).toEqual([200, 'ok', 'wk', kept(events, 'wk')]);
  });

  it('drops batch-level context, sentAt and writeKey', () => {
    const b = JSON.stringify({
      batch: [{ anonymousId: 'a', messageId: 'm' }],
      context: { x: 1 },
      sentAt: SENT,
    });
    expect(beacon(b).accepted).toEqual([{ writeKey: 'wk', event: { anonymousId: 'a', messageId: 'm' } }]);
  });

  it('/v1/batch takes the key ONLY from Basic auth: body writeKey and ?writeKey= give 401', () => {
    const r = rudderstack(req({ query: { writeKey: 'wk' }, body: body(trackerEvents(), 'wk') }));
    expect(r).toEqual(textError(401, 'failed to read writekey from header'));
  });

  it('/v1/batch: Basic auth with an empty user is 401', () => {
    const r = rudderstack(req({ headers: { authorization: basicAuth('') }, body: body(trackerEvents()) }));
    expect(r).toEqual(textError(401, 'failed to read writekey from header'));
  });

  it('/beacon/v1/batch takes the key ONLY from ?writeKey=: Basic auth and body writeKey give 401', () => {
    const r = rudderstack(
      req({
        path: '/beacon/v1/batch',
        headers: { authorization: basicAuth('wk') },
        body: body(trackerEvents(), 'wk'),
      }),
    );
    expect(r).toEqual(textError(401, 'failed to read writekey from query params'));
  });

  it('/beacon/v1/batch: an empty ?writeKey= and a lower-case ?writekey= are 401', () => {
    expect(beacon(body(trackerEvents()), '')).toEqual(
      textError(401, 'failed to read writekey from query params'),
    );
    const r = rudderstack(
      req({ path: '/beacon/v1/batch', query: { writekey: 'wk' }, body: body(trackerEvents()) }),
    );
    expect(r).toEqual(textError(401, 'failed to read writekey from query params'));
  });

  it('a key that is no source of the workspace is 401 "invalid write key"', () => {
    const r = rudderstack(
      req({ path: '/beacon/v1/batch', query: { writeKey: 'nope' }, body: body(trackerEvents()) }),
      {
        writeKeys: ['wk'],
      },
    );
    expect(r).toEqual(textError(401, 'invalid write key', 'nope'));
  });

  it('does not look at the content type', () => {
    for (const ct of [
      'text/plain;charset=UTF-8',
      'application/json',
      'application/x-www-form-urlencoded',
      '',
    ]) {
      const r = rudderstack(
        req({
          path: '/beacon/v1/batch',
          query: { writeKey: 'wk' },
          headers: { 'content-type': ct },
          body: body(trackerEvents()),
        }),
      );
      expect([ct, r.status]).toEqual([ct, 200]);
    }
  });

  it('a body that is not JSON (or empty) is 400 "invalid json"', () => {
    expect(beacon('{"batch":[')).toEqual(textError(400, 'invalid json', 'wk'));
    expect(beacon('')).toEqual(textError(400, 'invalid json', 'wk'));
  });

  it('a missing, null or empty batch is 400 "empty batch payload"', () => {
    for (const b of ['{}', '{"batch":null}', '{"batch":[]}', '[]'])
      expect([b, beacon(b)]).toEqual([b, textError(400, 'empty batch payload', 'wk')]);
  });

  it('a batch item that is not an object fails the whole request: 400 "event is not a valid rudder event"', () => {
    const b = JSON.stringify({ batch: [{ anonymousId: 'a' }, 'x'] });
    expect(beacon(b)).toEqual(textError(400, 'event is not a valid rudder event', 'wk'));
    expect(beacon('{"batch":5}')).toEqual(textError(400, 'event is not a valid rudder event', 'wk'));
  });

  it('a `batch` object is read as a one-event batch (gjson Array())', () => {
    const r = beacon(JSON.stringify({ batch: { anonymousId: 'a', messageId: 'm' } }));
    expect([r.status, r.accepted]).toEqual([
      200,
      [{ writeKey: 'wk', event: { anonymousId: 'a', messageId: 'm' } }],
    ]);
  });

  it('ONE event without anonymousId and userId fails the WHOLE request with 400', () => {
    const events = trackerEvents();
    delete events[1]!.anonymousId;
    const third = { ...copy(events[0]!), messageId: 'm-3' };
    expect(beacon(body([events[0]!, events[1]!, third]))).toEqual(
      textError(400, 'request neither has anonymousId nor userId', 'wk'),
    );
  });

  it('empty, blank and invisible-only ids count as missing (sanitize.Unicode + TrimSpace)', () => {
    for (const ids of [
      { anonymousId: '', userId: '' },
      { anonymousId: '  ', userId: null },
      { anonymousId: '\u200b\u00a0\t', userId: '\ufeff' },
    ]) {
      const r = beacon(JSON.stringify({ batch: [{ type: 'track', event: 'E', ...ids }] }));
      expect([ids, r.status, r.body]).toEqual([ids, 400, 'request neither has anonymousId nor userId\n']);
    }
  });

  it('a userId alone, or a non-string id (stringify.Any), identifies the event', () => {
    for (const ids of [{ userId: 'u-1' }, { userId: 0 }, { anonymousId: false }]) {
      const r = beacon(JSON.stringify({ batch: [{ type: 'track', event: 'E', messageId: 'm', ...ids }] }));
      expect([ids, r.status]).toEqual([ids, 200]);
    }
  });

  it('types "extract" and "record" need no ids; allowReqsWithoutUserIDAndAnonymousID lifts the rule', () => {
    expect(beacon(JSON.stringify({ batch: [{ type: 'extract', messageId: 'm' }] })).status).toBe(200);
    expect(beacon(JSON.stringify({ batch: [{ type: 'record', messageId: 'm' }] })).status).toBe(200);
    const r = rudderstack(
      req({
        path: '/beacon/v1/batch',
        query: { writeKey: 'wk' },
        body: JSON.stringify({ batch: [{ type: 'track' }] }),
      }),
      { allowReqsWithoutUserIDAndAnonymousID: true, uuid: () => 'u' },
    );
    expect([r.status, r.accepted]).toEqual([
      200,
      [{ writeKey: 'wk', event: { type: 'track', messageId: 'u' } }],
    ]);
  });

  describe('request size (Gateway.maxReqSizeInKB = 4000 → 4,096,000 bytes)', () => {
    const sized = (bytes: number, ids: Ev = { anonymousId: 'a' }) => {
      const make = (n: number) => JSON.stringify({ batch: [{ ...ids, messageId: 'm', pad: 'x'.repeat(n) }] });
      return make(bytes - make(0).length);
    };
    it('4,096,000 bytes is accepted', () => {
      const b = sized(4096000);
      expect([b.length, beacon(b).status]).toEqual([4096000, 200]);
    });
    it('4,096,001 bytes is 413 "request size exceeds max limit"', () => {
      const b = sized(4096001);
      expect([b.length, beacon(b)]).toEqual([
        4096001,
        textError(413, 'request size exceeds max limit', 'wk'),
      ]);
    });
    it('the id check comes first: an oversized body with an id-less event is 400', () => {
      expect(beacon(sized(4096001, {}))).toEqual(
        textError(400, 'request neither has anonymousId nor userId', 'wk'),
      );
    });
  });

  it('messageId is trimmed; a missing or blank one is filled; neither rejects', () => {
    const b = JSON.stringify({
      batch: [
        { anonymousId: 'a', messageId: '  m-1 ' },
        { anonymousId: 'a' },
        { anonymousId: 'a', messageId: 7 },
      ],
    });
    const r = rudderstack(req({ path: '/beacon/v1/batch', query: { writeKey: 'wk' }, body: b }), {
      uuid: () => 'new',
    });
    expect(r.accepted.map((a) => a.event.messageId)).toEqual(['m-1', 'new', 'new']);
  });

  it('an unknown event type is not rejected', () => {
    expect(
      beacon(JSON.stringify({ batch: [{ type: 'nonsense', anonymousId: 'a', messageId: 'm' }] })).status,
    ).toBe(200);
  });

  it('other paths are 404; another method on the batch path is 405', () => {
    expect(rudderstack(req({ path: '/v1/b' }))).toEqual(textError(404, '404 page not found'));
    expect(rudderstack(req({ method: 'GET' }))).toEqual({
      status: 405,
      response: { text: '' },
      body: '',
      headers: { allow: 'POST' },
      writeKey: undefined,
      accepted: [],
    });
  });
});

// ------------------------------------------------------------------------------------------------
describe('Segment HTTP API', () => {
  const post = (b: string, headers: Record<string, string> = { 'content-type': 'application/json' }) =>
    segment(req({ headers, body: b }));
  const ok = (accepted: number, rejected: unknown[] = []) => ({ accepted, rejected });
  const rej = (
    index: number,
    messageId: string | undefined,
    code: string,
    reason: string,
    documented = true,
  ) => ({
    index,
    messageId,
    code,
    documented,
    reason,
  });
  const one = (m: Ev, options?: Parameters<typeof segment>[1]) =>
    segment(req({ body: JSON.stringify({ writeKey: 'wk', batch: [{ messageId: 'm', ...m }] }) }), options);

  it('accepts a tracker batch (text/plain, writeKey in the body) and merges the batch context, event keys winning', () => {
    const events = trackerEvents();
    const payload = { ...JSON.parse(body(events, 'wk')), context: { locale: 'en-US', ip: '0.0.0.0' } };
    const r = post(JSON.stringify(payload), { 'content-type': 'text/plain;charset=UTF-8' });
    const merged = events.map((e) => ({ ...e, context: { ip: '0.0.0.0', ...context } }));
    expect(r).toEqual({
      status: 200,
      response: ok(2),
      body: JSON.stringify(ok(2)),
      headers: { 'content-type': 'application/json' },
      writeKey: 'wk',
      accepted: kept(merged, 'wk'),
    });
  });

  it('/v1/b (analytics-next) is the same call', () => {
    expect(segment(req({ path: '/v1/b', body: body(trackerEvents(), 'wk') })).response).toEqual(ok(2));
  });

  it('takes the write key from Basic auth when the body has none', () => {
    const r = post(body(trackerEvents()), { authorization: basicAuth('wk-basic') });
    expect([r.status, r.writeKey, r.accepted.length]).toEqual([200, 'wk-basic', 2]);
  });

  it('no write key: 200 and nothing ingested', () => {
    const r = post(body(trackerEvents()));
    const reason = 'no writeKey in the body or Basic auth';
    expect([r.status, r.response, r.accepted]).toEqual([
      200,
      ok(0, [
        rej(0, 'm-1', 'missing_write_key', reason, false),
        rej(1, 'm-2', 'missing_write_key', reason, false),
      ]),
      [],
    ]);
  });

  it('no write key and an empty batch: 200 with the missing key reported', () => {
    expect(post('{"batch":[]}').response).toEqual(
      ok(0, [rej(-1, undefined, 'missing_write_key', 'no writeKey in the body or Basic auth', false)]),
    );
  });

  it('a key that is no source: 200 and nothing ingested', () => {
    const r = segment(req({ body: body(trackerEvents().slice(0, 1), 'nope') }), { writeKeys: ['wk'] });
    expect([r.status, r.response]).toEqual([
      200,
      ok(0, [rej(0, 'm-1', 'unknown_write_key', 'the writeKey is not a source of this workspace', false)]),
    ]);
  });

  it('a message without userId and anonymousId is dropped (no_user_anon_id); the others are kept', () => {
    const events = trackerEvents();
    delete events[0]!.anonymousId;
    const r = post(body(events, 'wk'));
    expect([r.status, r.response, r.accepted]).toEqual([
      200,
      ok(1, [rej(0, 'm-1', 'no_user_anon_id', 'The userID or anonymousID was not provided')]),
      kept([events[1]!], 'wk'),
    ]);
  });

  it('an empty or non-string id is id_not_string; a userId alone is enough', () => {
    const reason = 'The userID or anonymousId was an empty string or not a string';
    expect(one({ type: 'track', event: 'E', anonymousId: '' }).response).toEqual(
      ok(0, [rej(0, 'm', 'id_not_string', reason)]),
    );
    expect(one({ type: 'track', event: 'E', userId: 5 }).response).toEqual(
      ok(0, [rej(0, 'm', 'id_not_string', reason)]),
    );
    expect(one({ type: 'track', event: 'E', userId: 'u' }).response).toEqual(ok(1));
  });

  it('type must be a valid method name', () => {
    expect(one({ type: 'event', anonymousId: 'a' }).response).toEqual(
      ok(0, [rej(0, 'm', 'invalid_type', 'type must be a valid method name', false)]),
    );
    expect(one({ anonymousId: 'a' }).response).toEqual(
      ok(0, [rej(0, 'm', 'invalid_type', 'type must be a valid method name', false)]),
    );
  });

  it('track needs a string event: event_not_defined, event_not_string', () => {
    expect(one({ type: 'track', anonymousId: 'a' }).response).toEqual(
      ok(0, [rej(0, 'm', 'event_not_defined', 'Track event did not have event name')]),
    );
    expect(one({ type: 'track', event: '', anonymousId: 'a' }).response).toEqual(
      ok(0, [rej(0, 'm', 'event_not_defined', 'Track event did not have event name')]),
    );
    expect(one({ type: 'track', event: 3, anonymousId: 'a' }).response).toEqual(
      ok(0, [rej(0, 'm', 'event_not_string', 'Track event name is not a string')]),
    );
  });

  it('properties and traits must be objects', () => {
    expect(one({ type: 'track', event: 'E', anonymousId: 'a', properties: [] }).response).toEqual(
      ok(0, [rej(0, 'm', 'properties_not_object', 'The properties field must be an object type')]),
    );
    expect(one({ type: 'identify', anonymousId: 'a', traits: 'x' }).response).toEqual(
      ok(0, [rej(0, 'm', 'traits_not_object', 'The traits field must be an object type')]),
    );
  });

  it('page name and category, when present, are non-empty strings', () => {
    expect(one({ type: 'page', anonymousId: 'a', name: '' }).response).toEqual(
      ok(0, [
        rej(
          0,
          'm',
          'name_not_string',
          'For Page or Screen calls, name field was an empty string or not a string',
        ),
      ]),
    );
    expect(one({ type: 'page', anonymousId: 'a', category: 1 }).response).toEqual(
      ok(0, [
        rej(
          0,
          'm',
          'category_not_string',
          'For Page or Screen calls, category field was an empty string or not a string',
        ),
      ]),
    );
    expect(one({ type: 'page', anonymousId: 'a' }).response).toEqual(ok(1));
  });

  it('context.device.advertisingId must be a string', () => {
    expect(
      one({ type: 'page', anonymousId: 'a', context: { device: { advertisingId: 1 } } }).response,
    ).toEqual(
      ok(0, [rej(0, 'm', 'device_advertisingid_should_be_string', 'advertisingId must be a string')]),
    );
  });

  describe('context.consent', () => {
    const derived =
      'context.consent must be an object { categoryPreferences: { <category>: boolean } } (derived from the documented consent object)';
    const page = (consent: unknown) => ({ type: 'page', anonymousId: 'a', context: { consent } });

    it('the documented object (and an empty one) is accepted', () => {
      expect(one(page({ categoryPreferences: { Analytics: true, Advertising: false } })).response).toEqual(
        ok(1),
      );
      expect(one(page({})).response).toEqual(ok(1));
      expect(one(page({ categoryPreferences: {} })).response).toEqual(ok(1));
    });

    it('a string such as "granted" rejects the message (strictConsent, the default)', () => {
      expect(one(page('granted')).response).toEqual(
        ok(0, [rej(0, 'm', 'consent_not_object', derived, false)]),
      );
    });

    it('a batch-level context.consent string rejects every message', () => {
      const payload = { ...JSON.parse(body(trackerEvents(), 'wk')), context: { consent: 'granted' } };
      const r = post(JSON.stringify(payload));
      expect(r.response).toEqual(
        ok(0, [
          rej(0, 'm-1', 'consent_not_object', derived, false),
          rej(1, 'm-2', 'consent_not_object', derived, false),
        ]),
      );
    });

    it('categoryPreferences not an object, or a preference not a boolean, rejects the message', () => {
      expect(one(page({ categoryPreferences: 'all' })).response).toEqual(
        ok(0, [
          rej(
            0,
            'm',
            'consent_categorypreferences_fields_should_be_object',
            'context.consent.categoryPreferences must be an object',
            false,
          ),
        ]),
      );
      expect(one(page({ categoryPreferences: { Analytics: 'yes' } })).response).toEqual(
        ok(0, [
          rej(
            0,
            'm',
            'consent_categorypreferences_fields_should_be_bool',
            'Consent preferences for the categories must be boolean',
            false,
          ),
        ]),
      );
    });

    it('strictConsent: false keeps only the documented rule', () => {
      expect(one(page('granted'), { strictConsent: false }).response).toEqual(ok(1));
    });

    it('"Segment Consent Preference Updated" needs categoryPreferences (documented, in both modes)', () => {
      const ev = {
        type: 'track',
        event: 'Segment Consent Preference Updated',
        anonymousId: 'a',
        context: {},
      };
      expect(one(ev, { strictConsent: false }).response).toEqual(
        ok(0, [
          rej(
            0,
            'm',
            'consent_categorypreferences_should_exist',
            'context.consent.categoryPreferences object is required',
          ),
        ]),
      );
      const good = { ...ev, context: { consent: { categoryPreferences: { Analytics: true } } } };
      expect(one(good, { strictConsent: false }).response).toEqual(ok(1));
    });
  });

  it('a messageId of 100 characters or more is rejected; 99 is fine', () => {
    const m = (id: string) => one({ type: 'page', anonymousId: 'a', messageId: id }).response;
    expect(m('x'.repeat(99))).toEqual(ok(1));
    expect(m('x'.repeat(100))).toEqual(
      ok(0, [
        rej(
          0,
          'x'.repeat(100),
          'message_id_too_long',
          'messageId must have fewer than 100 characters',
          false,
        ),
      ]),
    );
  });

  it('a repeated messageId within the request is dropped (deduplication)', () => {
    const events = trackerEvents();
    events[1]!.messageId = 'm-1';
    expect(post(body(events, 'wk')).response).toEqual(
      ok(1, [
        rej(
          1,
          'm-1',
          'duplicate_message_id',
          'dropped during deduplication (same messageId earlier in the batch)',
          false,
        ),
      ]),
    );
  });

  describe('limits', () => {
    const msg = (pad: number, i = 0): Ev => ({
      type: 'page',
      anonymousId: 'a',
      messageId: 'm' + i,
      p: 'x'.repeat(pad),
    });
    const msgOf = (bytes: number) => msg(bytes - JSON.stringify(msg(0)).length);

    it('a message of 32,767 bytes is accepted; one of 32,768 (32KB) fails the request with 400', () => {
      expect(JSON.stringify(msgOf(32767)).length).toBe(32767);
      expect(post(JSON.stringify({ writeKey: 'wk', batch: [msgOf(32767)] })).response).toEqual(ok(1));
      const r = post(JSON.stringify({ writeKey: 'wk', batch: [msg(0, 1), msgOf(32768)] }));
      const response = { error: 'message_too_large', reason: 'batch[1] is 32768 bytes, not less than 32KB' };
      expect(r).toEqual({
        status: 400,
        response,
        body: JSON.stringify(response),
        headers: { 'content-type': 'application/json' },
        writeKey: 'wk',
        accepted: [],
      });
    });

    it('a request of 512,000 bytes (500KB) is accepted; 512,001 is 400', () => {
      const batchOf = (total: number) => {
        const make = (n: number) =>
          JSON.stringify({
            writeKey: 'wk',
            batch: [...Array.from({ length: 20 }, (_, i) => msg(25000, i)), msg(n, 20)],
          });
        return make(total - make(0).length);
      };
      expect(batchOf(512000).length).toBe(512000);
      expect(post(batchOf(512000)).response).toEqual(ok(21));
      const r = post(batchOf(512001));
      expect([r.status, r.response, r.accepted]).toEqual([
        400,
        { error: 'batch_too_large', reason: 'batch request of 512001 bytes is over 500KB' },
        [],
      ]);
    });

    it('2,500 messages are accepted; 2,501 get 200 with none kept', () => {
      const many = (n: number) =>
        JSON.stringify({
          writeKey: 'wk',
          batch: Array.from({ length: n }, (_, i) => ({
            type: 'page',
            anonymousId: 'a',
            messageId: 'm' + i,
          })),
        });
      expect(post(many(2500)).response).toEqual(ok(2500));
      const r = post(many(2501));
      expect([r.status, r.accepted.length, (r.response.rejected as unknown[]).length]).toEqual([
        200, 0, 2501,
      ]);
      expect((r.response.rejected as unknown[])[2500]).toEqual(
        rej(2500, 'm2500', 'too_many_messages', 'the batch has 2501 messages, over 2500', false),
      );
    });
  });

  it('invalid JSON is 400; so is a body that cannot be read as a batch', () => {
    const answer = (reason: string) => ({ error: 'invalid_json', reason });
    expect([post('{').status, post('{').response]).toEqual([400, answer('the body is not valid JSON')]);
    expect(post('[1]').response).toEqual(answer('the body is not a JSON object'));
    expect(post('{"writeKey":"wk","batch":{}}').response).toEqual(answer('`batch` is not an array'));
    expect(post('{"writeKey":"wk","batch":[1]}').response).toEqual(answer('batch[0] is not an object'));
  });

  it('an empty batch is 200 with empty_batch', () => {
    expect(post('{"writeKey":"wk","batch":[]}').response).toEqual(
      ok(0, [rej(-1, undefined, 'empty_batch', 'The batch request contained no messages')]),
    );
  });
});

// ------------------------------------------------------------------------------------------------
describe('Jitsu ingest', () => {
  const plain = { 'content-type': 'text/plain;charset=UTF-8', host: '127.0.0.1:9' };
  const post = (b: string, over: Partial<GatewayRequest> = {}) =>
    jitsu(req({ headers: plain, body: b, ...over }), { uuid: () => 'uuid-1' });
  const ok = (n: number) => ({ ok: true, okEvents: n, receivedEvents: n });
  const err = (message: string) => ({ error: message });

  it('accepts a tracker batch sent as text/plain;charset=UTF-8 and merges the batch context, event keys winning', () => {
    const events = trackerEvents();
    const payload = { ...JSON.parse(body(events, 'wk')), context: { locale: 'en-US', ip: '0.0.0.0' } };
    const r = post(JSON.stringify(payload));
    const merged = events.map((e) => ({ ...e, context: { ip: '0.0.0.0', ...context } }));
    expect(r).toEqual({
      status: 200,
      response: ok(2),
      body: '{"ok":true,"okEvents":2,"receivedEvents":2}',
      headers: { 'content-type': 'application/json; charset=utf-8' },
      writeKey: 'wk',
      accepted: kept(merged, 'wk'),
    });
  });

  it('answers on /v1/batch, /v1/b, /batch and /b; other paths are 404', () => {
    for (const path of ['/v1/batch', '/v1/b', '/batch', '/b'])
      expect([path, post(body(trackerEvents(), 'wk'), { path }).response]).toEqual([path, ok(2)]);
    expect(post(body(trackerEvents(), 'wk'), { path: '/v1/track' })).toEqual({
      status: 404,
      response: { text: '404 page not found' },
      body: '404 page not found',
      headers: { 'content-type': 'text/plain' },
      writeKey: undefined,
      accepted: [],
    });
  });

  it('content type: must end in application/json or text/plain (parameters ignored), else 400', () => {
    for (const ct of [
      'application/json',
      'application/json; charset=utf-8',
      'text/plain',
      'text/plain;charset=UTF-8',
    ])
      expect([ct, post(body(trackerEvents(), 'wk'), { headers: { 'content-type': ct } }).status]).toEqual([
        ct,
        200,
      ]);
    const r = post(body(trackerEvents(), 'wk'), {
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
    });
    expect([r.status, r.response]).toEqual([
      400,
      err('invalid content type: application/x-www-form-urlencoded. Expected: application/json'),
    ]);
    expect(post(body(trackerEvents(), 'wk'), { headers: {} }).response).toEqual(
      err('invalid content type: . Expected: application/json'),
    );
  });

  it('write key order: Basic auth, then X-Write-Key, then ?writekey=, then the body', () => {
    const b = body(trackerEvents(), 'k-body');
    const key = (headers: Record<string, string>, query: Record<string, string> = {}) =>
      post(b, { headers: { ...plain, ...headers }, query }).writeKey;
    expect(
      key({ authorization: basicAuth('k-auth'), 'x-write-key': 'k-header' }, { writekey: 'k-query' }),
    ).toBe('k-auth');
    expect(key({ 'x-write-key': 'k-header' }, { writekey: 'k-query' })).toBe('k-header');
    expect(key({}, { writekey: 'k-query' })).toBe('k-query');
    expect(key({}, { writeKey: 'k-camel' })).toBe('k-body');
    expect(key({})).toBe('k-body');
  });

  it('Basic auth: one trailing ":" is cut; "id:secret" keys stay whole; bad base64 is 400', () => {
    expect(
      post(body(trackerEvents()), { headers: { ...plain, authorization: basicAuth('wk') } }).writeKey,
    ).toBe('wk');
    const hashed = post(body(trackerEvents()), {
      headers: { ...plain, authorization: basicAuth('id:secret') },
    });
    expect([hashed.status, hashed.writeKey]).toEqual([200, 'id:secret']);
    const r = post(body(trackerEvents()), { headers: { ...plain, authorization: 'Bearer xyz' } });
    expect([r.status, r.response]).toEqual([
      400,
      err(
        'error processing message: failed to decode writeKey from Authorization header as base64: illegal base64 data at input byte 6',
      ),
    ]);
  });

  it('no write key (or a key of no stream) is 401 "stream not found"', () => {
    const r = post(body(trackerEvents()));
    expect([r.status, r.response]).toEqual([
      401,
      err('stream not found: for: [slug: ][domain: 127.0.0.1][writeKey: ][ingestType: writeKey]'),
    ]);
    const unknown = jitsu(req({ headers: plain, body: body(trackerEvents(), 'nope') }), {
      writeKeys: ['wk'],
    });
    expect([unknown.status, unknown.response]).toEqual([
      401,
      err('stream not found: for: [slug: ][domain: 127.0.0.1][writeKey: nope][ingestType: browser]'),
    ]);
  });

  it('an undecodable body is 400 "error parsing message"', () => {
    expect(post('{', { ip: '10.0.0.1' }).response).toEqual(
      err('error parsing message: Client Ip: 10.0.0.1: invalid JSON'),
    );
    expect(post('{"batch":{}}', { ip: '10.0.0.1' }).response).toEqual(
      err('error parsing message: Client Ip: 10.0.0.1: batch is not an array'),
    );
    expect(
      post('{"batch":[]}', { headers: { ...plain, 'x-real-ip': '1.2.3.4' }, query: { writekey: 'wk' } })
        .response,
    ).toEqual({ ok: true, okEvents: 0, receivedEvents: 0 });
  });

  it('type must be page/identify/track/group/alias/screen: per-event errors, 200, the others kept', () => {
    const events: Ev[] = [
      { type: 'event', messageId: 'm-1' },
      { messageId: 'm 2' },
      { type: 'page', messageId: 'm-3', anonymousId: 'a' },
    ];
    const r = post(JSON.stringify({ writeKey: 'wk', batch: events }));
    expect([r.status, r.response, r.accepted.map((a) => a.event.messageId)]).toEqual([
      200,
      {
        errors: [
          'Message ID: m-1: event error: Unknown event type: event',
          'Message ID: m_2: event error: type property of event is required',
        ],
        ok: false,
        okEvents: 1,
        receivedEvents: 3,
      },
      ['m-3'],
    ]);
  });

  it('no identifier is required', () => {
    expect(
      post(JSON.stringify({ writeKey: 'wk', batch: [{ type: 'page', messageId: 'm' }] })).response,
    ).toEqual(ok(1));
  });

  it('track needs `event`, at most 128 BYTES of UTF-8', () => {
    const t = (event?: string) =>
      post(JSON.stringify({ writeKey: 'wk', batch: [{ type: 'track', messageId: 'm', event }] })).response;
    expect(t('a'.repeat(128))).toEqual(ok(1));
    const long = 'a'.repeat(129);
    const arabic = 'ب'.repeat(65); // 65 letters, 130 bytes
    const fail = (e: string) => ({ errors: [e], ok: false, okEvents: 0, receivedEvents: 1 });
    expect(t(long)).toEqual(
      fail(`Message ID: m: event error: Invalid track event name '${long}'. Max length is 128 characters.`),
    );
    expect(t(arabic)).toEqual(
      fail(`Message ID: m: event error: Invalid track event name '${arabic}'. Max length is 128 characters.`),
    );
    expect(t(undefined)).toEqual(
      fail("Message ID: m: event error: 'event' property is required for 'track' event"),
    );
  });

  it('a batch-level eventsName makes every event a track of that name', () => {
    const r = post(
      JSON.stringify({ writeKey: 'wk', eventsName: 'Named', batch: [{ type: 'page', messageId: 'm' }] }),
    );
    expect(r.accepted).toEqual([
      { writeKey: 'wk', event: { type: 'track', messageId: 'm', event: 'Named', context: {} } },
    ]);
  });

  it('an event over 1,000,000 bytes is an event error', () => {
    const big = { type: 'page', messageId: 'big', p: 'x'.repeat(1000000) };
    const r = post(JSON.stringify({ writeKey: 'wk', batch: [big, { type: 'page', messageId: 'small' }] }));
    expect([r.status, r.response.ok, r.response.okEvents, r.accepted.map((a) => a.event.messageId)]).toEqual([
      200,
      false,
      1,
      ['small'],
    ]);
    expect(r.response.errors).toHaveLength(1);
    expect((r.response.errors as string[])[0]).toMatch(
      /^Message ID: big: event error: message size \d{7} is too big\. max allowed: 1000000$/,
    );
  });

  it('a null batch item is 500 (a panic, recovered); the events before it are kept', () => {
    const r = post(JSON.stringify({ writeKey: 'wk', batch: [{ type: 'page', messageId: 'm' }, null] }));
    expect([r.status, r.response, r.accepted.map((a) => a.event.messageId)]).toEqual([
      500,
      { error: 'error# uuid1: panic' },
      ['m'],
    ]);
  });

  it('Jitsu special properties are filtered from browser events; a missing messageId is filled', () => {
    const r = post(
      JSON.stringify({
        writeKey: 'wk',
        batch: [{ type: 'page', JITSU_TABLE_NAME: 't', properties: { __sql_type_x: 'int', y: 1 } }],
      }),
    );
    expect(r.accepted).toEqual([
      { writeKey: 'wk', event: { type: 'page', properties: { y: 1 }, context: {}, messageId: 'uuid-1' } },
    ]);
  });
});

// ------------------------------------------------------------------------------------------------
describe('startGateways', () => {
  let gw: Gateways;
  beforeAll(async () => {
    gw = await startGateways();
  });
  afterAll(() => gw.close());
  beforeEach(() => gw.reset());

  it('routes each prefix to its engine, answers CORS, records requests and accepted events', async () => {
    const events = trackerEvents();
    const b = body(events, 'wk');
    const rs = await fetch(`${gw.url}/rudderstack/beacon/v1/batch?writeKey=wk`, { method: 'POST', body: b });
    const sg = await fetch(`${gw.url}/segment/v1/batch`, { method: 'POST', body: b });
    const js = await fetch(`${gw.url}/jitsu/v1/batch`, { method: 'POST', body: b });
    expect([rs.status, await rs.text(), rs.headers.get('access-control-allow-origin')]).toEqual([
      200,
      'ok',
      '*',
    ]);
    expect([sg.status, await sg.json()]).toEqual([200, { accepted: 2, rejected: [] }]);
    expect([js.status, await js.json()]).toEqual([200, { ok: true, okEvents: 2, receivedEvents: 2 }]);

    for (const engine of ['rudderstack', 'segment', 'jitsu'] as const)
      expect(gw.accepted(engine, 'wk')).toEqual(events.map((event) => ({ engine, writeKey: 'wk', event })));
    expect(gw.accepted('jitsu', 'other')).toEqual([]);
    const r = gw.requests('rudderstack', 'wk');
    expect(r).toHaveLength(1);
    expect({ ...r[0], at: 0 }).toEqual({
      engine: 'rudderstack',
      writeKey: 'wk',
      method: 'POST',
      path: '/beacon/v1/batch',
      query: '?writeKey=wk',
      status: 200,
      contentType: 'text/plain;charset=UTF-8',
      bytes: Buffer.byteLength(b),
      preflight: false,
      beacon: false,
      events: 2,
      accepted: 2,
      response: { text: 'ok' },
      at: 0,
    });
  });

  it('counts an OPTIONS preflight, marks beacons (Sec-Fetch-Mode: no-cors) and records rejections', async () => {
    const pre = await fetch(`${gw.url}/jitsu/v1/batch?writekey=wk`, {
      method: 'OPTIONS',
      headers: { 'access-control-request-method': 'POST', 'access-control-request-headers': 'content-type' },
    });
    expect([
      pre.status,
      pre.headers.get('access-control-allow-origin'),
      pre.headers.get('access-control-allow-headers'),
    ]).toEqual([204, '*', 'content-type']);
    const events = trackerEvents();
    delete events[0]!.anonymousId;
    // node:http, not fetch: undici sets Sec-Fetch-Mode itself (as a browser's sendBeacon sets no-cors).
    const res = await new Promise<{ status: number; text: string }>((resolve, reject) => {
      const b = body(events);
      const r = http.request(
        `${gw.url}/rudderstack/beacon/v1/batch?writeKey=wk`,
        {
          method: 'POST',
          headers: { 'content-type': 'text/plain;charset=UTF-8', 'sec-fetch-mode': 'no-cors' },
        },
        (rs) => {
          let text = '';
          rs.setEncoding('utf8');
          rs.on('data', (c: string) => (text += c));
          rs.on('end', () => resolve({ status: rs.statusCode || 0, text }));
        },
      );
      r.on('error', reject);
      r.end(b);
    });
    expect([res.status, res.text]).toEqual([400, 'request neither has anonymousId nor userId\n']);

    expect(
      gw.requests().map((r) => [r.engine, r.writeKey, r.preflight, r.beacon, r.status, r.accepted]),
    ).toEqual([
      ['jitsu', 'wk', true, false, 204, 0],
      ['rudderstack', 'wk', false, true, 400, 0],
    ]);
    expect(gw.accepted()).toEqual([]);
  });

  it('serves the records as JSON for another process, and resets', async () => {
    await fetch(`${gw.url}/segment/v1/batch`, { method: 'POST', body: body(trackerEvents(), 'k1') });
    await fetch(`${gw.url}/segment/v1/batch`, { method: 'POST', body: body(trackerEvents().slice(1), 'k2') });
    const acc = await (await fetch(`${gw.url}/_gateways/accepted?engine=segment&writeKey=k2`)).json();
    expect(acc).toEqual([{ engine: 'segment', writeKey: 'k2', event: trackerEvents()[1] }]);
    const reqs = (await (await fetch(`${gw.url}/_gateways/requests?engine=segment`)).json()) as {
      writeKey: string;
    }[];
    expect(reqs.map((r) => r.writeKey)).toEqual(['k1', 'k2']);
    const reset = await fetch(`${gw.url}/_gateways/reset`, { method: 'POST' });
    expect([reset.status, gw.requests(), gw.accepted()]).toEqual([200, [], []]);
    const unknown = await fetch(`${gw.url}/posthog/batch`, { method: 'POST', body: '{}' });
    expect(unknown.status).toBe(404);
  });
});
