// Jitsu ingest (jitsucom/bulker, `ingest/`): what its batch endpoint answers, and what it keeps.
//
// Read from jitsucom/bulker at c5548cf95c939f078f1a8faa48dbb2e299505789 (2026-02-12): ingest/router.go,
// ingest/router_batch_handler.go, ingest/config.go, jitsubase/appbase/router_base.go,
// jitsubase/types/json.go, jitsubase/jsonorder/orderedmap.go and reflect_orderedmap.go,
// jitsubase/utils/strings.go; and gin-gonic/gin (context.go ContentType, utils.go filterFlags).
// Every rule below names the file it comes from.
//
// Not emulated: gzip bodies (router_batch_handler.go reads `Content-Encoding: gzip`), jsoniter's
// case-insensitive matching of the payload's field names, in-batch deduplication (only for streams with
// DeduplicateWindowMs > 0), throttling (stream quota), streams without destinations (ErrNoDst), and what
// ingest stamps on kept events: `receivedAt`, `timestamp` when absent, `requestIp`, and for browser
// keys `context.ip`, `context.userAgent` and `context.locale` from the request.

import {
  copyJson,
  goBase64Decode,
  header,
  isObject,
  parseJson,
  queryParam,
  randomUuid,
  result,
  utf8Bytes,
} from './common.mjs';

/** ingest/config.go: MAX_INGEST_PAYLOAD_SIZE default 1000000 (bytes, of the whole ingest message). */
export const MAX_INGEST_PAYLOAD_SIZE = 1000000;

// ingest/router.go NewRouter: fast.Match([]string{"OPTIONS", "POST"}, <path>, router.BatchHandler).
const PATHS = ['/v1/batch', '/v1/b', '/v1/batch/b', '/batch', '/b', '/batch/b', '/api/s/s2s/batch'];
// ingest/router.go eventTypesSet.
const TYPES = ['page', 'identify', 'track', 'group', 'alias', 'screen'];
// jitsubase/types/json.go FilterEvent: keys removed from browser events.
const FILTERED = [
  'JITSU_TABLE_NAME',
  'JITSU_PROFILE_ID',
  'SALESFORCE_OPERATION',
  'SALESFORCE_SOBJECT',
  'SALESFORCE_MATCHERS_OPERATOR',
  'SALESFORCE_MATCHERS',
  'SALESFORCE_PAYLOAD',
];

/**
 * @typedef {{ writeKeys?: string[], uuid?: () => string, maxIngestPayloadSize?: number }} JitsuOptions
 * `writeKeys`: the workspace's stream keys (default: any non-empty key is a stream with a destination);
 * `uuid` makes the ids ingest generates deterministic; `maxIngestPayloadSize` is the setting of that name.
 */

/** gin c.JSON: encoding/json sorts map keys; `application/json; charset=utf-8`. @param {number} status @param {Record<string, unknown>} obj @param {string | undefined} writeKey @param {import('./common.mjs').AcceptedEvent[]} [accepted] */
function json(status, obj, writeKey, accepted = []) {
  /** @type {Record<string, unknown>} */
  const sorted = {};
  for (const k of Object.keys(obj).sort()) sorted[k] = obj[k];
  return result(
    status,
    sorted,
    JSON.stringify(sorted),
    'application/json; charset=utf-8',
    writeKey,
    accepted,
  );
}

/**
 * jitsubase/appbase/router_base.go ResponseError (maskError false): `{"error": "<errorType>: <err>"}`.
 * @param {number} status @param {string} errorType @param {string} err @param {string | undefined} writeKey
 */
const routerError = (status, errorType, err, writeKey) =>
  json(status, { error: `${errorType}: ${err}` }, writeKey);

/** jitsubase/types/json.go filterEvent: drop `__sql_type*` keys at any depth. @param {unknown} v */
function dropSqlTypes(v) {
  if (Array.isArray(v)) v.forEach(dropSqlTypes);
  else if (isObject(v))
    for (const k of Object.keys(v)) {
      if (k.startsWith('__sql_type')) delete v[k];
      else dropSqlTypes(v[k]);
    }
}

/** ingest/router.go maskWriteKey. @param {string} k */
const maskWriteKey = (k) =>
  k === '' ? k : k.indexOf(':') >= 0 ? k.split(':')[0] + ':***' : k[0] + '***' + k[k.length - 1];

/**
 * The ingest message whose size ingest checks (router.go buildIngestMessage: IngestMessage marshalled,
 * `len(ingestMessageBytes) > MaxIngestPayloadSize`). An approximation: the stream's workspace/source ids
 * are unknown here, and the server-stamped fields are counted with placeholders of their real length.
 * @param {import('./common.mjs').GatewayRequest} req @param {Record<string, unknown>} event
 * @param {string} messageId @param {string} writeKey @param {string} ingestType @param {string} domain
 */
function ingestMessageBytes(req, event, messageId, writeKey, ingestType, domain) {
  const stamp = '2006-01-02T15:04:05.000Z';
  /** @type {Record<string, string>} */
  const httpHeaders = {};
  for (const [k, v] of Object.entries(req.headers || {})) {
    // router.go isInternalHeader: x-jitsu-* and x-vercel* are left out; X-Write-Key is masked.
    if (k === 'host' || k.startsWith('x-jitsu-') || k.startsWith('x-vercel')) continue;
    httpHeaders[k] = k === 'x-write-key' ? maskWriteKey(v) : v;
  }
  const msg = {
    ingestType,
    messageCreated: stamp,
    writeKey: maskWriteKey(writeKey),
    messageId,
    type: typeof event.type === 'string' ? event.type : '',
    origin: { baseUrl: '://', domain },
    httpHeaders,
    httpPayload: { ...event, receivedAt: stamp, timestamp: event.timestamp ?? stamp },
  };
  return utf8Bytes(JSON.stringify(msg));
}

/**
 * router.go patchEvent (tp "event"): validates the event and patches it in place; an error message or null.
 * @param {Record<string, unknown>} ev @param {Record<string, unknown> | null} batchContext
 * @param {string} eventsName @param {boolean} browser @param {string} messageId
 */
function patchEvent(ev, batchContext, eventsName, browser, messageId) {
  // A batch-level `eventsName` makes every event a track; otherwise the event's own `type` (a string).
  let type = 'track';
  if (eventsName === '') {
    type = typeof ev.type === 'string' ? ev.type : '';
    if (type === '') return 'type property of event is required';
  }
  // eventTypesSet: page, identify, track, group, alias, screen.
  if (TYPES.indexOf(type) < 0) return `Unknown event type: ${type}`;
  if (type === 'track') {
    const name = (typeof ev.event === 'string' ? ev.event : '') || eventsName;
    if (name === '') return "'event' property is required for 'track' event";
    // Go len(): the limit is 128 BYTES of UTF-8 (an Arabic name over 64 letters is too long), though the
    // message says characters.
    if (utf8Bytes(name) > 128) return `Invalid track event name '${name}'. Max length is 128 characters.`;
    if (eventsName !== '' && !('event' in ev)) ev.event = name;
  }
  // An event `context` that is not an object is replaced by {}; a non-empty batch-level `context` is
  // merged under it (analyticContext.Copy().SetAll(ctx): shallow, the event's keys win).
  const ctx = isObject(ev.context) ? ev.context : {};
  ev.context = batchContext && Object.keys(batchContext).length > 0 ? { ...batchContext, ...ctx } : ctx;
  if (browser) {
    // types.FilterEvent: Jitsu's special properties may only be set by functions.
    for (const k of FILTERED) delete ev[k];
    dropSqlTypes(ev);
  }
  ev.type = type;
  if (!('messageId' in ev)) ev.messageId = messageId;
  return null;
}

/**
 * What Jitsu's ingest answers to a batch request, and the events it keeps.
 * @param {import('./common.mjs').GatewayRequest} req
 * @param {JitsuOptions} [options]
 * @returns {import('./common.mjs').GatewayResult}
 */
export function accept(req, options = {}) {
  // router.go NewRouter: the batch paths; anything else (or another method) is gin's plain 404.
  if (PATHS.indexOf(req.path) < 0 || req.method.toUpperCase() !== 'POST')
    return result(404, { text: '404 page not found' }, '404 page not found', 'text/plain', undefined);
  const uuid = options.uuid || randomUuid;

  // router_batch_handler.go BatchHandler: gin's c.ContentType() (the header up to the first ';' or
  // space: gin utils.go filterFlags) must END in "application/json" or "text/plain", else 400. So
  // `text/plain;charset=UTF-8` (a sendBeacon or fetch string body) passes; a missing one does not.
  const contentType = header(req, 'content-type').split(/[ ;]/)[0];
  if (!contentType.endsWith('application/json') && !contentType.endsWith('text/plain'))
    return routerError(400, 'invalid content type', `${contentType}. Expected: application/json`, undefined);

  // router_batch_handler.go: decoding into BatchPayload{batch []Json, eventsName string, context Json,
  // writeKey string} fails → 400 "error parsing message: Client Ip: <ip>: <decoder error>". (The decoder's
  // own wording — jsoniter's — is not reproduced; the text after the IP is this gateway's.)
  const ip = header(req, 'x-real-ip') || header(req, 'x-forwarded-for') || req.ip || '';
  const parseError = (/** @type {string} */ what) =>
    routerError(400, 'error parsing message', `Client Ip: ${ip}: ${what}`, undefined);
  const parsed = parseJson(req.body || '');
  if (!parsed.ok) return parseError('invalid JSON');
  const payload = parsed.value === null ? {} : parsed.value; // JSON null decodes to the zero struct
  if (!isObject(payload)) return parseError('the body is not an object');
  const { batch, eventsName, context, writeKey: bodyKey } = payload;
  if (batch !== undefined && batch !== null && !Array.isArray(batch))
    return parseError('batch is not an array');
  /** @type {unknown[]} */
  const events = Array.isArray(batch) ? batch : [];
  if (events.some((e) => e !== null && !isObject(e))) return parseError('a batch item is not an object');
  if (eventsName !== undefined && eventsName !== null && typeof eventsName !== 'string')
    return parseError('eventsName is not a string');
  if (context !== undefined && context !== null && !isObject(context))
    return parseError('context is not an object');
  if (bodyKey !== undefined && bodyKey !== null && typeof bodyKey !== 'string')
    return parseError('writeKey is not a string');

  // router.go getDataLocator: the write key from, in this order and without falling through once a
  // source is present: `Authorization` (any non-empty value; a leading "Basic " is cut, case-sensitively,
  // the rest must be StdEncoding base64, else 400; ONE trailing ':' is removed), `X-Write-Key`,
  // `?writekey=` (lower case: c.Query is case-sensitive, so ?writeKey= is ignored), the body's `writeKey`.
  let writeKey = '';
  const authorization = header(req, 'authorization');
  if (authorization !== '') {
    const d = goBase64Decode(authorization.startsWith('Basic ') ? authorization.slice(6) : authorization);
    if (!d.ok)
      return routerError(
        400,
        'error processing message',
        `failed to decode writeKey from Authorization header as base64: illegal base64 data at input byte ${d.at}`,
        undefined,
      );
    writeKey = d.text.endsWith(':') ? d.text.slice(0, -1) : d.text;
  } else if (header(req, 'x-write-key') !== '') writeKey = header(req, 'x-write-key');
  else if (queryParam(req, 'writekey')) writeKey = /** @type {string} */ (queryParam(req, 'writekey'));
  else if (typeof bodyKey === 'string') writeKey = bodyKey;

  // router.go getStream(strict) → WriteKeyStreamLocator: no key, or no stream for it → 401 "stream not
  // found: for: <locator>" (StreamCredentials.String). A plain key (no ':') sets the ingest type to
  // browser (s2s on /api/s/s2s/batch) before the lookup; a "keyId:secret" key keeps it until found.
  const s2s = req.path === '/api/s/s2s/batch';
  const domain = header(req, 'host').split(':')[0];
  const plain = writeKey !== '' && writeKey.indexOf(':') < 0;
  const found = writeKey !== '' && (!options.writeKeys || options.writeKeys.indexOf(writeKey) >= 0);
  if (!found) {
    const type = plain ? (s2s ? 's2s' : 'browser') : 'writeKey';
    return routerError(
      401,
      'stream not found',
      `for: [slug: ][domain: ${domain}][writeKey: ${writeKey}][ingestType: ${type}]`,
      writeKey || undefined,
    );
  }
  const ingestType = s2s ? 's2s' : 'browser';
  const batchContext = isObject(context) ? context : null;
  const defaultName = typeof eventsName === 'string' ? eventsName : '';
  const maxSize = options.maxIngestPayloadSize ?? MAX_INGEST_PAYLOAD_SIZE;

  /** @type {string[]} */
  const errors = [];
  /** @type {import('./common.mjs').AcceptedEvent[]} */
  const accepted = [];
  for (const item of events) {
    // A JSON null item decodes to a nil map (jsonorder reflect_orderedmap.go) and event.GetS panics;
    // BatchHandler's recover answers 500 with a masked error (router_base.go ResponseError, maskError).
    // The events before it were already produced, so they are kept. (Read from the source, not run.)
    if (item === null)
      return json(500, { error: `error# ${uuid().replace(/-/g, '')}: panic` }, writeKey, accepted);
    const ev = /** @type {Record<string, unknown>} */ (copyJson(item));
    // router_batch_handler.go: the messageId used for the answer — the event's (a string), characters
    // outside [a-zA-Z0-9._-] replaced by '_' and cut to 64 (utils.ShortenString); a new UUID when it has none.
    const own = typeof ev.messageId === 'string' ? ev.messageId : '';
    const messageId = own === '' ? uuid() : [...own.replace(/[^a-zA-Z0-9._-]/gu, '_')].slice(0, 64).join('');
    let err = patchEvent(ev, batchContext, defaultName, ingestType === 'browser', messageId);
    // router.go buildIngestMessage: the whole ingest message over MaxIngestPayloadSize (1,000,000 bytes)
    // is an event error, and replaces a patch error.
    const size = ingestMessageBytes(req, ev, messageId, writeKey, ingestType, domain);
    if (size > maxSize) err = `message size ${size} is too big. max allowed: ${maxSize}`;
    // router_batch_handler.go: an event error is ResponseError(200, "event error", …) and is reported per
    // event as "Message ID: <id>: event error: <error>"; the other events of the batch are still taken.
    if (err !== null) errors.push(`Message ID: ${messageId}: event error: ${err}`);
    else accepted.push({ writeKey, event: ev });
  }
  // router_batch_handler.go: always 200 once the key is resolved: {ok, receivedEvents, okEvents}, plus
  // `errors` when there are any (and then ok is false).
  /** @type {Record<string, unknown>} */
  const response = { ok: errors.length === 0, receivedEvents: events.length, okEvents: accepted.length };
  if (errors.length > 0) response.errors = errors;
  return json(200, response, writeKey, accepted);
}
