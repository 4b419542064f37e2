// Helpers shared by the local ingestion-engine gateways (rudderstack.mjs, segment.mjs, jitsu.mjs).
// Plain ESM with JSDoc so it runs in Node and in Playwright without compilation; types for the
// TypeScript tests are in common.d.mts.

/**
 * @typedef {{
 *   method: string,
 *   path: string,
 *   query?: URLSearchParams | Record<string, string>,
 *   headers?: Record<string, string>,
 *   body?: string,
 *   ip?: string,
 * }} GatewayRequest
 * A request as an engine receives it: header names in lower case, the body as a (UTF-8) string.
 * `ip` (optional) is the client address, used only where an engine writes it into an answer.
 *
 * @typedef {{ writeKey: string, event: Record<string, unknown> }} AcceptedEvent
 *
 * @typedef {{
 *   status: number,
 *   response: Record<string, unknown>,
 *   body: string,
 *   headers: Record<string, string>,
 *   writeKey: string | undefined,
 *   accepted: AcceptedEvent[],
 * }} GatewayResult
 * `response` is the answer as an object, `body` and `headers` what goes on the wire, `writeKey` the
 * key the engine resolved for the request (also when it rejected it later), `accepted` the events it keeps.
 */

/** A header by lower-case name ('' when absent). @param {GatewayRequest} req @param {string} name */
export function header(req, name) {
  const h = req.headers || {};
  const v = h[name];
  return typeof v === 'string' ? v : '';
}

/**
 * The first value of a query parameter, matched case-sensitively (Go's url.Values and gin's Query
 * both do), or undefined when absent.
 * @param {GatewayRequest} req @param {string} name @returns {string | undefined}
 */
export function queryParam(req, name) {
  const q = req.query;
  if (!q) return undefined;
  if (typeof URLSearchParams !== 'undefined' && q instanceof URLSearchParams) {
    const v = q.get(name);
    return v === null ? undefined : v;
  }
  const rec = /** @type {Record<string, string>} */ (q);
  return Object.prototype.hasOwnProperty.call(rec, name) ? String(rec[name]) : undefined;
}

const encoder = new TextEncoder();

/** UTF-8 byte length of a string (lone surrogates count 3, as TextEncoder writes U+FFFD). @param {string} s */
export const utf8Bytes = (s) => encoder.encode(s).byteLength;

/** A JSON object (not null, not an array). @param {unknown} v @returns {v is Record<string, unknown>} */
export const isObject = (v) => typeof v === 'object' && v !== null && !Array.isArray(v);

/** A deep copy of a JSON value. @template T @param {T} v @returns {T} */
export const copyJson = (v) => (v === undefined ? v : JSON.parse(JSON.stringify(v)));

/** Parse JSON; `{ ok: false }` when it is not valid JSON. @param {string} text */
export function parseJson(text) {
  try {
    return { ok: true, value: /** @type {unknown} */ (JSON.parse(text)) };
  } catch {
    return { ok: false, value: undefined };
  }
}

const B64 = /^[A-Za-z0-9+/=]*$/;
const B64_STRICT = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;

/**
 * Go's base64.StdEncoding.DecodeString: padding required, CR and LF ignored. On failure `at` is the
 * offset Go reports in "illegal base64 data at input byte N" (exact for an illegal character and for
 * a truncated last quantum; an approximation for misplaced padding).
 * @param {string} s
 * @returns {{ ok: true, text: string } | { ok: false, at: number }}
 */
export function goBase64Decode(s) {
  const clean = s.replace(/[\r\n]/g, '');
  if (!B64_STRICT.test(clean)) {
    if (!B64.test(clean)) return { ok: false, at: clean.search(/[^A-Za-z0-9+/=]/) };
    const pad = clean.indexOf('=');
    return { ok: false, at: pad >= 0 && pad < clean.length - 2 ? pad : clean.length - (clean.length % 4) };
  }
  const bin = atob(clean);
  const bytes = new Uint8Array(bin.length);
  for (let i = 0; i < bin.length; i++) bytes[i] = bin.charCodeAt(i);
  return { ok: true, text: new TextDecoder().decode(bytes) };
}

/**
 * Go's net/http Request.BasicAuth(): "Basic " (case-insensitive) + StdEncoding base64 of "user:pass";
 * no colon or bad base64 → null.
 * @param {string} authorization @returns {{ user: string, pass: string } | null}
 */
export function goBasicAuth(authorization) {
  const prefix = 'basic ';
  if (authorization.length < prefix.length || authorization.slice(0, prefix.length).toLowerCase() !== prefix)
    return null;
  const d = goBase64Decode(authorization.slice(prefix.length));
  if (!d.ok) return null;
  const i = d.text.indexOf(':');
  if (i < 0) return null;
  return { user: d.text.slice(0, i), pass: d.text.slice(i + 1) };
}

/** `Authorization: Basic base64(key + ':')`, as the SDKs send a write key. @param {string} writeKey */
export const basicAuth = (writeKey) => {
  const bytes = encoder.encode(writeKey + ':');
  let bin = '';
  for (const b of bytes) bin += String.fromCharCode(b);
  return 'Basic ' + btoa(bin);
};

/** A random UUID v4 (where an engine generates one). */
export const randomUuid = () => globalThis.crypto.randomUUID();

/**
 * A result object.
 * @param {number} status @param {Record<string, unknown>} response @param {string} body
 * @param {string} contentType @param {string | undefined} writeKey @param {AcceptedEvent[]} [accepted]
 * @param {Record<string, string>} [extraHeaders]
 * @returns {GatewayResult}
 */
export function result(status, response, body, contentType, writeKey, accepted = [], extraHeaders = {}) {
  const headers = { ...extraHeaders };
  if (contentType) headers['content-type'] = contentType;
  return { status, response, body, headers, writeKey, accepted };
}
