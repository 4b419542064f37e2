// RudderStack data plane (rudder-server gateway): what it answers to a batch, and what it keeps.
//
// Read from rudderlabs/rudder-server at f2655fbbe2260deb4e01c2a54da1a827291713bb (2026-08-19):
// gateway/handle_lifecycle.go, handle_http.go, handle_http_auth.go, handle_http_beacon.go, handle.go,
// response/response.go, gateway.go, config/config.yaml; and rudderlabs/rudder-go-kit stringify/stringify.go,
// sanitize/sanitize.go. Every rule below names the file it comes from.
//
// Not emulated (no effect on whether a batch is accepted by a default data plane): rate limiting
// (Gateway.enableRateLimit, default false), user suppression and event blocking (workspace settings),
// the source being disabled (404 "source is disabled"), bot flagging (counted only), gzip bodies
// (middleware.UncompressMiddleware), and what the gateway stamps on kept events (rudderId, receivedAt,
// request_ip) or wraps around them (one job per event: {batch:[event], requestIP, writeKey, receivedAt}).

import {
  copyJson,
  goBasicAuth,
  header,
  isObject,
  queryParam,
  randomUuid,
  result,
  utf8Bytes,
} from './common.mjs';

/** The gateway's answers (gateway/response/response.go: message constants and statusMap). */
export const MESSAGES = /** @type {const} */ ({
  ok: 'ok',
  noWriteKeyInBasicAuth: 'failed to read writekey from header',
  noWriteKeyInQueryParams: 'failed to read writekey from query params',
  invalidWriteKey: 'invalid write key',
  invalidJson: 'invalid json',
  notRudderEvent: 'event is not a valid rudder event',
  nonIdentifiableRequest: 'request neither has anonymousId nor userId',
  requestBodyTooLarge: 'request size exceeds max limit',
  emptyBatchPayload: 'empty batch payload',
});

/** Default of Gateway.maxReqSizeInKB: config/config.yaml (4000) and handle_lifecycle.go (× 1024 bytes). */
export const MAX_REQ_SIZE_IN_KB = 4000;

// rudder-go-kit sanitize/sanitize.go `invisibleRunes`: removed from ids before the emptiness check.
const INVISIBLE = new Set([
  0x0000, 0x0009, 0x00a0, 0x00ad, 0x034f, 0x061c, 0x115f, 0x1160, 0x17b4, 0x17b5, 0x180e, 0x2000, 0x2001,
  0x2002, 0x2003, 0x2004, 0x2005, 0x2006, 0x2007, 0x2008, 0x2009, 0x200a, 0x200b, 0x200c, 0x200d, 0x200e,
  0x200f, 0x202f, 0x205f, 0x2060, 0x2061, 0x2062, 0x2063, 0x2064, 0x206a, 0x206b, 0x206c, 0x206d, 0x206e,
  0x206f, 0x3000, 0x2800, 0x3164, 0xfeff, 0xffa0,
]);
// Go's unicode.IsPrint: categories L, M, N, P, S and the ASCII space.
const PRINTABLE = /[\p{L}\p{M}\p{N}\p{P}\p{S}]/u;

/**
 * rudder-go-kit sanitize.Unicode then strings.TrimSpace (gateway/handle.go getJobDataFromRequest):
 * drops the invisible runes and every non-printable character, then trims.
 * @param {string} s
 */
export function sanitizeId(s) {
  let out = '';
  for (const ch of s) {
    const cp = /** @type {number} */ (ch.codePointAt(0));
    if (INVISIBLE.has(cp)) continue;
    if (ch === ' ' || PRINTABLE.test(ch)) out += ch;
  }
  return out.trim();
}

/**
 * rudder-go-kit stringify.Any: nil → "", a string as is, anything else JSON-encoded (never empty:
 * 0, false, {} and [] all count as an identifier).
 * @param {unknown} v
 */
const stringifyAny = (v) =>
  v === undefined || v === null ? '' : typeof v === 'string' ? v : JSON.stringify(v);

/**
 * The identifier the gateway reads from an event field (handle.go: TrimSpace(sanitize.Unicode(stringify.Any(v)))).
 * @param {unknown} v
 */
export const idOf = (v) => sanitizeId(stringifyAny(v));

/**
 * @typedef {{
 *   writeKeys?: string[],
 *   maxReqSizeInKB?: number,
 *   allowReqsWithoutUserIDAndAnonymousID?: boolean,
 *   uuid?: () => string,
 * }} RudderStackOptions
 * `writeKeys`: the workspace's sources (default: any non-empty key is a source);
 * `maxReqSizeInKB` (default 4000) and `allowReqsWithoutUserIDAndAnonymousID` (default false) are the
 * gateway settings of the same names; `uuid` makes the messageId the gateway fills in deterministic.
 */

/**
 * @param {number} status @param {string} message @param {string | undefined} writeKey
 */
function httpError(status, message, writeKey) {
  // net/http http.Error: text/plain, nosniff, the message plus a newline (gateway_test.go expects "…\n").
  const body = message + '\n';
  return result(status, { text: body }, body, 'text/plain; charset=utf-8', writeKey, [], {
    'x-content-type-options': 'nosniff',
  });
}

/**
 * What rudder-server's gateway answers to a request on `/v1/batch` or `/beacon/v1/batch`, and the
 * events it keeps (the `batch[]` items only).
 * @param {import('./common.mjs').GatewayRequest} req
 * @param {RudderStackOptions} [options]
 * @returns {import('./common.mjs').GatewayResult}
 */
export function accept(req, options = {}) {
  const path = req.path;
  const beacon = path === '/beacon/v1/batch';
  // Routes: handle_lifecycle.go StartWebHandler — r.Post("/batch") under /v1, srvMux.Post("/beacon/v1/batch").
  // Other paths get chi's NotFound (net/http "404 page not found\n"). Only the batch routes are emulated.
  if (path !== '/v1/batch' && !beacon) return httpError(404, '404 page not found', undefined);
  // go-chi/chi v5 (go.mod v5.3.1) mux.go methodNotAllowedHandler: another method on a known path → 405,
  // `Allow: POST`, no body. (The CORS preflight is answered by rs/cors before routing: see server.mjs.)
  if (req.method.toUpperCase() !== 'POST')
    return result(405, { text: '' }, '', '', undefined, [], { allow: 'POST' });

  let writeKey;
  if (beacon) {
    // handle_http_beacon.go beaconInterceptor: ONLY ?writeKey= (exact case, first value, non-empty) —
    // copied into Basic auth with r.SetBasicAuth, replacing any Authorization header the request had.
    const q = queryParam(req, 'writeKey');
    if (q === undefined || q === '') return httpError(401, MESSAGES.noWriteKeyInQueryParams, undefined);
    writeKey = q;
  } else {
    // handle_http.go webBatchHandler → handle_http_auth.go writeKeyAuth: ONLY r.BasicAuth(); the body's
    // writeKey and a ?writeKey= query are ignored. No Basic auth or an empty user → 401.
    const auth = goBasicAuth(header(req, 'authorization'));
    if (!auth || auth.user === '') return httpError(401, MESSAGES.noWriteKeyInBasicAuth, undefined);
    writeKey = auth.user;
  }
  // handle_http_auth.go writeKeyAuth: a key that is no source of the workspace → 401 "invalid write key".
  if (options.writeKeys && options.writeKeys.indexOf(writeKey) < 0)
    return httpError(401, MESSAGES.invalidWriteKey, writeKey);

  // handle.go getPayloadFromRequest: the body is read whole; the Content-Type is never looked at.
  const body = req.body || '';

  // handle.go getJobDataFromRequest: !gjson.ValidBytes(body) → 400 "invalid json" (an empty body too).
  let parsed;
  try {
    parsed = JSON.parse(body);
  } catch {
    return httpError(400, MESSAGES.invalidJson, writeKey);
  }

  // handle.go: gjson.GetBytes(body, "batch").Array() — a missing or null `batch` (or a body that is not
  // an object) gives no events; a value that is not an array gives a one-item list holding that value.
  // (gjson returns the FIRST of duplicate keys where JSON.parse keeps the last: not emulated.)
  const raw = isObject(parsed) ? parsed.batch : undefined;
  /** @type {unknown[]} */
  const events = raw === undefined || raw === null ? [] : Array.isArray(raw) ? raw : [raw];

  const allowNoIds = options.allowReqsWithoutUserIDAndAnonymousID === true;
  let audienceList = false;
  for (const ev of events) {
    // handle.go: an item that is not a JSON object → the whole request fails, 400 "event is not a valid rudder event".
    if (!isObject(ev)) return httpError(400, MESSAGES.notRudderEvent, writeKey);
    const type = typeof ev.type === 'string' ? ev.type : '';
    // handle.go isNonIdentifiable: anonymousId and userId both empty (after stringify.Any, sanitize.Unicode
    // and TrimSpace) → the WHOLE request fails, 400 "request neither has anonymousId nor userId"; the events
    // before it are not kept either. Exempt: type "extract" and "record" (gateway.go extractEvent, rETLEvent).
    // Override: Gateway.allowReqsWithoutUserIDAndAnonymousID (config/config.yaml, default false).
    if (type !== 'extract' && type !== 'record' && idOf(ev.anonymousId) === '' && idOf(ev.userId) === '') {
      if (!allowNoIds) return httpError(400, MESSAGES.nonIdentifiableRequest, writeKey);
    }
    // handle.go: a request holding an "audiencelist" event is exempt from the size limit.
    if (type === 'audiencelist') audienceList = true;
  }

  // handle.go: len(body) > Gateway.maxReqSizeInKB × 1024 → 413 "request size exceeds max limit". Checked
  // AFTER the per-event checks, so an oversized body with an event lacking ids answers 400, not 413.
  const maxKB = options.maxReqSizeInKB ?? MAX_REQ_SIZE_IN_KB;
  if (utf8Bytes(body) > maxKB * 1024 && !audienceList)
    return httpError(413, MESSAGES.requestBodyTooLarge, writeKey);

  // handle.go userWebRequestWorkerProcess: no jobs → 400 "empty batch payload" (missing, null or [] batch).
  if (events.length === 0) return httpError(400, MESSAGES.emptyBatchPayload, writeKey);

  // handle.go fillMessageID: a messageId is sanitized and trimmed; one that is not a string or ends up
  // empty is replaced by a new UUID. It never rejects an event, and neither does the event type.
  const uuid = options.uuid || randomUuid;
  const accepted = events.map((ev) => {
    const event = /** @type {Record<string, unknown>} */ (copyJson(ev));
    const id = sanitizeId(typeof event.messageId === 'string' ? event.messageId : '');
    event.messageId = id === '' ? uuid() : id;
    return { writeKey, event };
  });
  // handle_http.go webRequestHandler: 200 with response.GetStatus(response.Ok) = "ok" (no newline;
  // net/http sniffs text/plain). Batch-level fields (context, sentAt, writeKey, …) are not kept: each
  // batch[] item becomes its own job.
  return result(200, { text: MESSAGES.ok }, MESSAGES.ok, 'text/plain; charset=utf-8', writeKey, accepted);
}
