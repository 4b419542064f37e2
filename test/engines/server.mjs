// Local gateways for RudderStack, Segment and Jitsu on one Node http server, for contract tests:
//
//   import { startGateways } from './test/engines/server.mjs';
//   const gw = await startGateways();                 // 127.0.0.1, a free port
//   tracker endpoint: `${gw.url}/rudderstack/beacon/v1/batch?writeKey=wk` | `${gw.url}/segment/v1/batch`
//                     | `${gw.url}/jitsu/v1/batch`
//   gw.accepted('segment', 'wk'); gw.requests('jitsu'); gw.reset(); await gw.close();
//
// Each prefix is stripped and the request handed to that engine's pure accept() (rudderstack.mjs,
// segment.mjs, jitsu.mjs), whose status, headers and body are sent back. CORS is answered here for all
// three (Access-Control-Allow-Origin: *; OPTIONS → 204, counted as a preflight) — the real engines echo
// the Origin with credentials allowed instead, which a tracker sending `credentials: 'omit'` cannot tell
// apart. A JSON API on the same server serves another process (a browser test):
//   GET  /_gateways/requests?engine=&writeKey=     the recorded requests
//   GET  /_gateways/accepted?engine=&writeKey=     the accepted events ({ engine, writeKey, event })
//   POST /_gateways/reset                          forget everything
// A body over 16 MiB is answered 413 by this server itself (no engine accepts that much).

import http from 'node:http';
import { accept as rudderstack } from './rudderstack.mjs';
import { accept as segment } from './segment.mjs';
import { accept as jitsu } from './jitsu.mjs';
import { goBasicAuth } from './common.mjs';

/** @typedef {'rudderstack' | 'segment' | 'jitsu'} Engine */
export const ENGINES = /** @type {const} */ (['rudderstack', 'segment', 'jitsu']);

const ACCEPT = { rudderstack, segment, jitsu };
const MAX_BODY = 16 * 1024 * 1024;

/**
 * @typedef {{
 *   engine: Engine,
 *   writeKey: string | undefined,
 *   method: string,
 *   path: string,
 *   query: string,
 *   status: number,
 *   contentType: string,
 *   bytes: number,
 *   preflight: boolean,
 *   beacon: boolean,
 *   events: number,
 *   accepted: number,
 *   response: Record<string, unknown> | null,
 *   at: number,
 * }} RequestRecord
 * `writeKey`: the key the engine resolved, else the first one the request carries (?writeKey,
 * ?writekey, X-Write-Key, Basic auth, body `writeKey`) so rejected requests are attributed too.
 * `beacon`: the request came from navigator.sendBeacon (`Sec-Fetch-Mode: no-cors`). `events`: the
 * length of the body's `batch` array (0 when unreadable).
 *
 * @typedef {{ engine: Engine, writeKey: string, event: Record<string, unknown> }} AcceptedRecord
 *
 * @typedef {{
 *   rudderstack?: import('./rudderstack.mjs').RudderStackOptions,
 *   segment?: import('./segment.mjs').SegmentOptions,
 *   jitsu?: import('./jitsu.mjs').JitsuOptions,
 * }} EngineOptions
 */

/** @param {http.IncomingHttpHeaders} h @returns {Record<string, string>} */
function flatHeaders(h) {
  /** @type {Record<string, string>} */
  const out = {};
  for (const [k, v] of Object.entries(h)) if (v !== undefined) out[k] = Array.isArray(v) ? v.join(', ') : v;
  return out;
}

/** The batch length and body writeKey of a body, when it is readable. @param {string} body */
function peek(body) {
  try {
    const v = JSON.parse(body);
    return {
      events: v && Array.isArray(v.batch) ? v.batch.length : 0,
      writeKey: v && typeof v.writeKey === 'string' && v.writeKey !== '' ? v.writeKey : undefined,
    };
  } catch {
    return { events: 0, writeKey: undefined };
  }
}

/** @param {http.ServerResponse} res @param {number} status @param {unknown} value */
function sendJson(res, status, value) {
  const body = JSON.stringify(value);
  res.writeHead(status, {
    'content-type': 'application/json; charset=utf-8',
    'access-control-allow-origin': '*',
    'cache-control': 'no-store',
  });
  res.end(body);
}

/**
 * Start the gateways on 127.0.0.1.
 * @param {{ port?: number, options?: EngineOptions }} [config] `options`: per-engine options for accept().
 */
export async function startGateways({ port = 0, options = {} } = {}) {
  /** @type {RequestRecord[]} */
  let requests = [];
  /** @type {AcceptedRecord[]} */
  let accepted = [];

  /** @template {{ engine: Engine, writeKey?: string | undefined }} T @param {T[]} list @param {string | null | undefined} engine @param {string | null | undefined} writeKey */
  const pick = (list, engine, writeKey) =>
    list.filter((r) => (!engine || r.engine === engine) && (writeKey == null || r.writeKey === writeKey));

  const server = http.createServer((req, res) => {
    const url = new URL(req.url || '/', 'http://127.0.0.1');
    const method = (req.method || 'GET').toUpperCase();

    if (url.pathname.startsWith('/_gateways/')) {
      if (method === 'OPTIONS') {
        res.writeHead(204, {
          'access-control-allow-origin': '*',
          'access-control-allow-methods': 'GET, POST, OPTIONS',
          'access-control-allow-headers': req.headers['access-control-request-headers'] || '*',
        });
        res.end();
        return;
      }
      const engine = url.searchParams.get('engine');
      const writeKey = url.searchParams.get('writeKey');
      if (method === 'GET' && url.pathname === '/_gateways/requests')
        return sendJson(res, 200, pick(requests, engine, writeKey));
      if (method === 'GET' && url.pathname === '/_gateways/accepted')
        return sendJson(res, 200, pick(accepted, engine, writeKey));
      if (method === 'POST' && url.pathname === '/_gateways/reset') {
        requests = [];
        accepted = [];
        return sendJson(res, 200, { ok: true });
      }
      return sendJson(res, 404, { error: 'not found' });
    }

    const m = /^\/(rudderstack|segment|jitsu)(\/.*)?$/.exec(url.pathname);
    if (!m) return sendJson(res, 404, { error: 'unknown engine: use /rudderstack, /segment or /jitsu' });
    const engine = /** @type {Engine} */ (m[1]);
    const path = m[2] || '/';
    const headers = flatHeaders(req.headers);
    const beacon = headers['sec-fetch-mode'] === 'no-cors';

    /** @type {Buffer[]} */
    const chunks = [];
    let size = 0;
    req.on('data', (c) => {
      size += c.length;
      if (size <= MAX_BODY) chunks.push(c);
    });
    req.on('end', () => {
      const body = Buffer.concat(chunks).toString('utf8');
      const seen = peek(body);
      const auth = goBasicAuth(headers.authorization || '');
      const carried =
        url.searchParams.get('writeKey') ||
        url.searchParams.get('writekey') ||
        headers['x-write-key'] ||
        (auth && auth.user) ||
        seen.writeKey ||
        undefined;
      /** @type {Omit<RequestRecord, 'status' | 'writeKey' | 'preflight' | 'accepted' | 'response'>} */
      const base = {
        engine,
        method,
        path,
        query: url.search,
        contentType: headers['content-type'] || '',
        bytes: size,
        beacon,
        events: seen.events,
        at: Date.now(),
      };

      if (method === 'OPTIONS') {
        // A CORS preflight: answered here, never passed to the engine.
        requests.push({
          ...base,
          writeKey: carried,
          status: 204,
          preflight: true,
          accepted: 0,
          response: null,
        });
        res.writeHead(204, {
          'access-control-allow-origin': '*',
          'access-control-allow-methods': 'GET, POST, HEAD, OPTIONS',
          'access-control-allow-headers': req.headers['access-control-request-headers'] || '*',
          'access-control-max-age': '900',
        });
        res.end();
        return;
      }
      if (size > MAX_BODY) {
        requests.push({
          ...base,
          writeKey: carried,
          status: 413,
          preflight: false,
          accepted: 0,
          response: { error: 'body over the gateway limit' },
        });
        sendJson(res, 413, { error: 'body over the gateway limit' });
        return;
      }

      const result = ACCEPT[engine](
        { method, path, query: url.searchParams, headers, body, ip: req.socket.remoteAddress || '' },
        /** @type {any} */ (options[engine]),
      );
      requests.push({
        ...base,
        writeKey: result.writeKey ?? carried,
        status: result.status,
        preflight: false,
        accepted: result.accepted.length,
        response: result.response,
      });
      for (const a of result.accepted) accepted.push({ engine, writeKey: a.writeKey, event: a.event });
      res.writeHead(result.status, { ...result.headers, 'access-control-allow-origin': '*' });
      res.end(result.body);
    });
  });

  await new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', () => resolve(undefined));
  });
  const address = /** @type {import('node:net').AddressInfo} */ (server.address());
  const url = `http://127.0.0.1:${address.port}`;

  return {
    url,
    port: address.port,
    /** Stop the server (open keep-alive connections are closed). @returns {Promise<void>} */
    close: () =>
      new Promise((resolve, reject) => {
        server.close((err) => (err ? reject(err) : resolve()));
        server.closeAllConnections();
      }),
    /** Recorded requests, preflights included. @param {Engine} [engine] @param {string} [writeKey] */
    requests: (engine, writeKey) => pick(requests, engine, writeKey),
    /** Accepted events. @param {Engine} [engine] @param {string} [writeKey] */
    accepted: (engine, writeKey) => pick(accepted, engine, writeKey),
    /** Forget every request and event. */
    reset: () => {
      requests = [];
      accepted = [];
    },
  };
}
