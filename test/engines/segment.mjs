// Segment HTTP Tracking API (`POST https://api.segment.io/v1/batch`): what it answers, what it keeps.
//
// Segment's tracking API is closed source, so every rule comes from Segment's documentation, read from
// segmentio/segment-docs at 747b35d8f5f1889b041f2101185d562d7c4c016e (2025-11-07):
//   [http-api]   src/connections/sources/catalog/libraries/server/http-api/index.md
//   [discards]   src/_includes/content/delivery-overview-discards.html ("Failed on Ingest" error codes,
//                shown in Delivery Overview: src/connections/delivery-overview.md)
//   [consent]    src/privacy/consent-management/consent-in-segment-connections.md, consent-in-unify.md,
//                consent-faq.md
//   [common]     src/connections/spec/common.md
// and Segment's own browser SDK, segmentio/analytics-next 1.84.3 (node_modules/@segment/analytics-next,
// src/plugins/segmentio/batched-dispatcher.ts and shared-dispatcher.ts).
//
// HOW SEGMENT ANSWERS ([http-api] "Errors"): "Segment returns a 200 response for all API requests except
// errors caused by large payloads and JSON errors (which return 400 responses.)". A message failing a
// validation rule is dropped ("Failed on Ingest") while the request still gets 200, and one bad message
// does NOT fail the batch: [discards] `multi_user_error` — "One or more messages within the batch had an
// error. Only messages without errors were published". The docs give no response BODY for either case,
// so `response` here is this gateway's own report, not Segment's:
//   200 → { accepted: <count>, rejected: [{ index, messageId, code, documented, reason }] }
//   400 → { error: <code>, reason }
// `documented: true` means the code name and its use on that message are Segment's; `false` marks a
// name made up here for a documented requirement that has no documented code, or a derived rule.

import { copyJson, goBasicAuth, header, isObject, parseJson, result, utf8Bytes } from './common.mjs';

/** [http-api] "Max request size" / "Errors": 500KB per batch request. KB = 1024 bytes, as in analytics-next batched-dispatcher.ts `kilobytes()`. */
export const MAX_BATCH_BYTES = 500 * 1024;
/** [http-api] "Errors": "each batched event needs to be less than 32KB". */
export const MAX_MESSAGE_BYTES = 32 * 1024;
/** [http-api] "Errors": "Each batch request can only have up to 2500 events". */
export const MAX_MESSAGES = 2500;
/** [http-api] "Errors" / Deduplication: "unique messageId values with fewer than 100 characters". */
export const MAX_MESSAGE_ID_CHARS = 100;
/** [consent] consent-in-unify.md: the reserved event whose consent object Segment validates. */
export const CONSENT_EVENT = 'Segment Consent Preference Updated';

// [http-api] Batch: "An array of Identify, Group, Track, Page and Screen method calls. Each call **must**
// have an `type` property with a valid method name." Alias is a Tracking API call of its own ([http-api]
// "Alias"; [common] lists alias among the call types), so it is a valid method name too.
const TYPES = ['identify', 'group', 'track', 'page', 'screen', 'alias'];

/**
 * @typedef {{ writeKeys?: string[], strictConsent?: boolean }} SegmentOptions
 * `writeKeys`: the workspace's sources (default: any non-empty key is a source). `strictConsent`
 * (default true): see the consent rule in validate().
 *
 * @typedef {{ index: number, messageId: string | undefined, code: string, documented: boolean, reason: string }} Rejection
 */

/** @param {string} code @param {string} reason @param {string | undefined} writeKey */
function badRequest(code, reason, writeKey) {
  const response = { error: code, reason };
  return result(400, response, JSON.stringify(response), 'application/json', writeKey);
}

/** @param {unknown} v */
const present = (v) => v !== undefined && v !== null;

/**
 * The first rule a message breaks, or null. `message` has the batch-level context already merged.
 * @param {Record<string, unknown>} m
 * @param {boolean} strictConsent
 * @returns {{ code: string, documented: boolean, reason: string } | null}
 */
function validate(m, strictConsent) {
  const type = m.type;
  // [http-api] Batch: "Each call must have a type property with a valid method name." No code is documented.
  if (typeof type !== 'string' || TYPES.indexOf(type) < 0)
    return { code: 'invalid_type', documented: false, reason: 'type must be a valid method name' };

  // [http-api] Errors "Identifier is not present" and [discards] `no_user_anon_id` (also listed as
  // `id_required`): a message needs a userId and/or anonymousId. A JSON null counts as absent
  // (analytics-next omits unset ids: src/core/events/index.ts addIdentity).
  if (!present(m.userId) && !present(m.anonymousId))
    return {
      code: 'no_user_anon_id',
      documented: true,
      reason: 'The userID or anonymousID was not provided',
    };
  // [discards] `id_not_string`: "The userID or anonymousId was an empty string or not a string".
  for (const id of [m.userId, m.anonymousId]) {
    if (present(id) && (typeof id !== 'string' || id === ''))
      return {
        code: 'id_not_string',
        documented: true,
        reason: 'The userID or anonymousId was an empty string or not a string',
      };
  }

  if (type === 'track') {
    // [discards] `event_not_defined` ("Track event did not have event name"); [http-api] Errors "Track
    // event is missing name: All Track events sent to Segment must have an `event` field". An empty
    // string is treated as no name.
    if (!present(m.event) || m.event === '')
      return { code: 'event_not_defined', documented: true, reason: 'Track event did not have event name' };
    // [discards] `event_not_string`: "Track event name is not a string".
    if (typeof m.event !== 'string')
      return { code: 'event_not_string', documented: true, reason: 'Track event name is not a string' };
  }
  // [discards] `properties_not_object` / `traits_not_object`: "The properties (traits) field must be an
  // object type" (an array or null is not one).
  if (m.properties !== undefined && !isObject(m.properties))
    return {
      code: 'properties_not_object',
      documented: true,
      reason: 'The properties field must be an object type',
    };
  if (m.traits !== undefined && !isObject(m.traits))
    return { code: 'traits_not_object', documented: true, reason: 'The traits field must be an object type' };
  if (type === 'page' || type === 'screen') {
    // [discards] `name_not_string` / `category_not_string`: "For Page or Screen calls, name (category)
    // field was an empty string or not a string" (checked when present; both are optional).
    if (m.name !== undefined && (typeof m.name !== 'string' || m.name === ''))
      return {
        code: 'name_not_string',
        documented: true,
        reason: 'For Page or Screen calls, name field was an empty string or not a string',
      };
    if (m.category !== undefined && (typeof m.category !== 'string' || m.category === ''))
      return {
        code: 'category_not_string',
        documented: true,
        reason: 'For Page or Screen calls, category field was an empty string or not a string',
      };
  }

  const context = isObject(m.context) ? m.context : {};
  // [discards] `device_advertisingid_should_be_string`: "advertisingId must be a string" (context.device,
  // [common] Context fields). Applied to every message when present.
  const device = context.device;
  if (isObject(device) && device.advertisingId !== undefined && typeof device.advertisingId !== 'string')
    return {
      code: 'device_advertisingid_should_be_string',
      documented: true,
      reason: 'advertisingId must be a string',
    };

  // Consent. DOCUMENTED: [consent] consent-in-segment-connections.md "Consent object" — context.consent
  // is `{ categoryPreferences: { <categoryId>: boolean } }`; an empty `consent: {}` or an empty
  // `categoryPreferences: {}` is valid and flows. [consent] consent-faq.md and [discards]: the "Segment
  // Consent Preference Updated" track event is validated at ingest and dropped with
  // `consent_categorypreferences_should_exist` (no categoryPreferences), `…_fields_should_be_object`
  // (categoryPreferences not an object) or `…_fields_should_be_bool` (a preference not a boolean).
  // DERIVED (strictConsent, the default): consent-faq.md says other events "are not subject to the same
  // consent validation", so Segment documents no ingest error for them. `context.consent` is nonetheless a
  // reserved field whose only documented shape is the object above, and Segment routes by it (consent
  // enforcement), so a `context.consent` of any other shape — e.g. the string "granted" — is treated here
  // as a rejection of that message: `consent_not_object` (a name made up here), and the documented
  // categoryPreferences checks applied to every message. `strictConsent: false` keeps only the documented
  // rule (the Consent Preference Updated event).
  const prefEvent = type === 'track' && m.event === CONSENT_EVENT;
  const consent = context.consent;
  if (prefEvent || (strictConsent && consent !== undefined)) {
    const documented = prefEvent;
    if (!prefEvent && !isObject(consent))
      return {
        code: 'consent_not_object',
        documented: false,
        reason:
          'context.consent must be an object { categoryPreferences: { <category>: boolean } } (derived from the documented consent object)',
      };
    const prefs = isObject(consent) ? consent.categoryPreferences : undefined;
    if (prefEvent && !present(prefs))
      return {
        code: 'consent_categorypreferences_should_exist',
        documented,
        reason: 'context.consent.categoryPreferences object is required',
      };
    if (prefs !== undefined && !isObject(prefs))
      return {
        code: 'consent_categorypreferences_fields_should_be_object',
        documented,
        reason: 'context.consent.categoryPreferences must be an object',
      };
    if (isObject(prefs) && Object.values(prefs).some((v) => typeof v !== 'boolean'))
      return {
        code: 'consent_categorypreferences_fields_should_be_bool',
        documented,
        reason: 'Consent preferences for the categories must be boolean',
      };
  }

  // [http-api] Errors "Deduplication": "ensure all events have unique messageId values with fewer than
  // 100 characters" (characters = code points here). What Segment does with a longer one is not
  // documented; treated as a rejection.
  if (typeof m.messageId === 'string' && [...m.messageId].length >= MAX_MESSAGE_ID_CHARS)
    return {
      code: 'message_id_too_long',
      documented: false,
      reason: 'messageId must have fewer than 100 characters',
    };
  return null;
}

/**
 * What Segment's HTTP Tracking API answers to a batch request, and the messages it keeps (each with the
 * batch-level `context` and `integrations` merged in, the message's own keys winning).
 * @param {import('./common.mjs').GatewayRequest} req
 * @param {SegmentOptions} [options]
 * @returns {import('./common.mjs').GatewayResult}
 */
export function accept(req, options = {}) {
  // [http-api] Batch: `POST https://api.segment.io/v1/batch`. analytics-next posts its batches to
  // `${apiHost}/b` with apiHost `api.segment.io/v1` (batched-dispatcher.ts), so `/v1/b` is the same call.
  // Anything else: this gateway's 404 (other Tracking API calls are not emulated).
  if (req.path !== '/v1/batch' && req.path !== '/v1/b') {
    const response = { error: 'not_found', reason: 'only /v1/batch and /v1/b are emulated' };
    return result(404, response, JSON.stringify(response), 'application/json', undefined);
  }
  if (req.method.toUpperCase() !== 'POST') {
    const response = { error: 'method_not_allowed', reason: 'POST only' };
    return result(405, response, JSON.stringify(response), 'application/json', undefined, [], {
      allow: 'POST',
    });
  }
  // Content-Type: [http-api] "Content-Type" says it "must be set to 'application/json'", but documents no
  // error for another one, and Segment's own browser SDK posts `text/plain` (analytics-next
  // shared-dispatcher.ts createHeaders: 'Content-Type': 'text/plain') — so it is not checked here.
  const body = req.body || '';

  // [http-api] Authentication: "writeKey authentication" (`writeKey` in the body) or "Basic
  // authentication" (the write key as the user name). Which one wins when both are given is not
  // documented; the body's is used first here.
  const parsed = parseJson(body);
  const payload = parsed.ok && isObject(parsed.value) ? parsed.value : undefined;
  const auth = goBasicAuth(header(req, 'authorization'));
  /** @type {string | undefined} */
  let writeKey =
    payload && typeof payload.writeKey === 'string' && payload.writeKey !== '' ? payload.writeKey : undefined;
  if (writeKey === undefined && auth && auth.user !== '') writeKey = auth.user;

  // [http-api] "Max request size": 500KB per batch request, "Segment's API responds with `400 Bad
  // Request` if these limits are exceeded".
  const bytes = utf8Bytes(body);
  if (bytes > MAX_BATCH_BYTES)
    return badRequest('batch_too_large', `batch request of ${bytes} bytes is over 500KB`, writeKey);

  // [http-api] Errors "Invalid JSON: If you send an event with invalid JSON, Segment returns a 400 Bad
  // Request error." A body that is JSON but cannot be read as a batch (not an object, `batch` not an
  // array, an item not an object) is counted as a JSON error too.
  if (!parsed.ok) return badRequest('invalid_json', 'the body is not valid JSON', writeKey);
  if (!payload) return badRequest('invalid_json', 'the body is not a JSON object', writeKey);

  const batch = payload.batch;
  if (batch !== undefined && batch !== null && !Array.isArray(batch))
    return badRequest('invalid_json', '`batch` is not an array', writeKey);
  /** @type {unknown[]} */
  const messages = Array.isArray(batch) ? batch : [];
  for (let i = 0; i < messages.length; i++) {
    if (!isObject(messages[i])) return badRequest('invalid_json', `batch[${i}] is not an object`, writeKey);
  }
  // [http-api] "Max request size": "a limit of `32KB` per event in the batch … Segment's API responds
  // with `400 Bad Request` if these limits are exceeded"; "Errors": each batched event "needs to be less
  // than 32KB". Measured on the message as sent (compact JSON, UTF-8).
  for (let i = 0; i < messages.length; i++) {
    const n = utf8Bytes(JSON.stringify(messages[i]));
    if (n >= MAX_MESSAGE_BYTES)
      return badRequest('message_too_large', `batch[${i}] is ${n} bytes, not less than 32KB`, writeKey);
  }

  /** @type {Rejection[]} */
  const rejected = [];
  /** @type {import('./common.mjs').AcceptedEvent[]} */
  const accepted = [];
  const answer = () => {
    const response = { accepted: accepted.length, rejected };
    return result(200, response, JSON.stringify(response), 'application/json', writeKey, accepted);
  };
  const rejectAll = (
    /** @type {string} */ code,
    /** @type {boolean} */ documented,
    /** @type {string} */ reason,
  ) => {
    if (messages.length === 0) rejected.push({ index: -1, messageId: undefined, code, documented, reason });
    messages.forEach((m, index) => {
      const id = /** @type {Record<string, unknown>} */ (m).messageId;
      rejected.push({ index, messageId: typeof id === 'string' ? id : undefined, code, documented, reason });
    });
    return answer();
  };

  // No write key, or one that is no source of the workspace: no documented status or code; by the
  // [http-api] Errors rule (200 for everything but size and JSON errors) the request gets 200 and
  // nothing is ingested.
  if (writeKey === undefined)
    return rejectAll('missing_write_key', false, 'no writeKey in the body or Basic auth');
  if (options.writeKeys && options.writeKeys.indexOf(writeKey) < 0)
    return rejectAll('unknown_write_key', false, 'the writeKey is not a source of this workspace');

  // [discards] `empty_batch`: "The batch request contained no messages".
  if (messages.length === 0) {
    rejected.push({
      index: -1,
      messageId: undefined,
      code: 'empty_batch',
      documented: true,
      reason: 'The batch request contained no messages',
    });
    return answer();
  }
  // [http-api] Errors: "Each batch request can only have up to 2500 events … Segment returns a `200`
  // response but rejects the event when the number of batched events exceeds the limit." Which events
  // are rejected is not said; none is kept here.
  if (messages.length > MAX_MESSAGES)
    return rejectAll('too_many_messages', false, `the batch has ${messages.length} messages, over 2500`);

  // [http-api] Batch: `context` "will be merged with any context inside each of the items in the batch";
  // `integrations` likewise. The docs do not say how deep; a shallow merge, the message's keys winning.
  const batchContext = isObject(payload.context) ? payload.context : undefined;
  const batchIntegrations = isObject(payload.integrations) ? payload.integrations : undefined;
  const strictConsent = options.strictConsent !== false;
  /** @type {Set<string>} */
  const seen = new Set();
  messages.forEach((raw, index) => {
    const m = /** @type {Record<string, unknown>} */ (copyJson(raw));
    if (batchContext) m.context = { ...batchContext, ...(isObject(m.context) ? m.context : {}) };
    if (batchIntegrations)
      m.integrations = { ...batchIntegrations, ...(isObject(m.integrations) ? m.integrations : {}) };
    const messageId = typeof m.messageId === 'string' ? m.messageId : undefined;
    const bad = validate(m, strictConsent);
    if (bad) {
      rejected.push({ index, messageId, ...bad });
      return;
    }
    // [http-api] Errors "Deduplication": "Segment deduplicates events using the `messageId` field". Only
    // repeats within this request are dropped here (Segment's window spans requests).
    if (messageId !== undefined) {
      if (seen.has(messageId)) {
        rejected.push({
          index,
          messageId,
          code: 'duplicate_message_id',
          documented: false,
          reason: 'dropped during deduplication (same messageId earlier in the batch)',
        });
        return;
      }
      seen.add(messageId);
    }
    accepted.push({ writeKey: /** @type {string} */ (writeKey), event: m });
  });
  return answer();
}
