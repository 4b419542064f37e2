// The demo's event collector: POST /collect stores batches from tracker.js as JSON lines,
// with counters, a per-request log, a global preflight log and per-writeKey fault injection for tests.
// server.mjs serves it on the site's port and on a second, cross-origin port (same storage).
// Handlers return {status, json, headers?}; server.mjs writes the response and the body.

import fs from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';

const CORS = {
  'Access-Control-Allow-Origin': '*',
  'Access-Control-Allow-Methods': 'GET, POST, OPTIONS',
  'Access-Control-Allow-Headers': 'Content-Type, X-Write-Key',
  'Access-Control-Expose-Headers': 'Retry-After',
};
/** A preflight's answer: CORS, plus Private Network Access consent when the browser asks for it. */
const preflightHeaders = (ctx) =>
  ctx.headers['access-control-request-private-network']
    ? { ...CORS, 'Access-Control-Allow-Private-Network': 'true' }
    : CORS;
const withCors = (r) => ({ ...r, headers: { ...CORS, ...(r.headers || {}) } });
const isObj = (v) => v !== null && typeof v === 'object' && !Array.isArray(v);

/** How the request log names the library's validator (browser tests assert it). */
const DIST_VALIDATOR = 'dist/index.mjs';

/**
 * Loads `validateEvent` from the library build; re-checked whenever dist/index.mjs changes, so a
 * build made while the server runs is picked up. There is no weaker fallback: while it cannot be
 * loaded, the collector says so (one console.error per reason) and every event it stores is
 * invalid, with the reason as its problem.
 */
function createValidatorSource(distFile) {
  let loadedMtime = -1;
  let current = null;
  let reported = null; // the reason last logged, so a missing build is reported once, not per request
  const unavailable = (reason) => {
    if (reason !== reported) {
      reported = reason;
      console.error(
        `[collector] validator unavailable: ${reason}. Every event is stored as invalid until it is built (npm run build).`,
      );
    }
    return { name: 'unavailable', fn: () => ['validator unavailable: ' + reason] };
  };
  return async function validator() {
    let mtime;
    try {
      mtime = fs.statSync(distFile).mtimeMs;
    } catch {
      loadedMtime = -1;
      return (current = Promise.resolve(unavailable(distFile + ' not found')));
    }
    if (mtime !== loadedMtime) {
      loadedMtime = mtime;
      // One load per build: requests that come while it is being imported wait for the same one.
      current = import(pathToFileURL(distFile).href + '?v=' + mtime).then(
        (mod) => {
          if (typeof mod.validateEvent !== 'function')
            return unavailable(distFile + ' does not export validateEvent');
          reported = null;
          return { name: DIST_VALIDATOR, fn: mod.validateEvent };
        },
        (err) => unavailable('could not load ' + distFile + ' (' + err.message + ')'),
      );
    }
    return current;
  };
}

function runValidator(fn, e) {
  try {
    const out = fn(e);
    return Array.isArray(out)
      ? out.map(String)
      : ['validator returned ' + typeof out + ', not a list of problems'];
  } catch (err) {
    return ['validator threw: ' + err.message];
  }
}

export function createCollector({ dataDir, distFile }) {
  const file = path.join(dataDir, 'events.jsonl');
  fs.mkdirSync(dataDir, { recursive: true });
  /** @type {Array<{receivedAt:string, sentAt?:string, batch:number, writeKey:string, valid:boolean, problems:string[], event:any}>} */
  const lines = [];
  if (fs.existsSync(file)) {
    for (const raw of fs.readFileSync(file, 'utf8').split('\n')) {
      if (!raw.trim()) continue;
      try {
        lines.push(JSON.parse(raw));
      } catch {
        /* a torn last line after a crash: skip it */
      }
    }
  }
  const requests = []; // per-request log (memory only)
  let accepted = 0; // batches accepted since the collector started
  // Every OPTIONS the collector receives, on either port and any path, whatever its writeKey: a
  // preflight carries no body, so it cannot be told apart by key. Cleared by a reset without writeKey.
  const preflights = { count: 0, log: [] };
  const MAX_PREFLIGHT_LOG = 1000;
  const faults = new Map(); // writeKey -> {status, until, retryAfter}
  const validator = createValidatorSource(distFile);
  let writeChain = Promise.resolve();

  const byKey = (wk) => (x) => wk == null || x.writeKey === wk;

  function append(newLines) {
    const text = newLines.map((l) => JSON.stringify(l) + '\n').join('');
    writeChain = writeChain
      .then(() => fs.promises.appendFile(file, text))
      .catch((err) => console.error('[collector] append failed', err));
  }

  function rewrite() {
    const text = lines.map((l) => JSON.stringify(l) + '\n').join('');
    writeChain = writeChain
      .then(() => fs.promises.writeFile(file, text))
      .catch((err) => console.error('[collector] rewrite failed', err));
  }

  function activeFault(wk) {
    const f = faults.get(wk);
    if (!f) return null;
    if (f.until && Date.now() > f.until) {
      faults.delete(wk);
      return null;
    }
    return f;
  }

  function logRequest(ctx, entry) {
    const h = ctx.headers;
    requests.push({
      at: new Date().toISOString(),
      method: ctx.method,
      url: ctx.url,
      contentType: h['content-type'] || null,
      bytes: ctx.rawBody ? ctx.rawBody.length : 0,
      secFetchMode: h['sec-fetch-mode'] || null,
      secFetchDest: h['sec-fetch-dest'] || null,
      origin: h.origin || null,
      // sendBeacon() with a text/plain body arrives as a no-cors request; fetch() (keepalive or not) as cors/same-origin.
      transport: h['sec-fetch-mode'] === 'no-cors' ? 'beacon' : 'fetch',
      // 'site' (the storefront's own port, same-origin /collect) or 'collector' (the cross-origin port).
      listener: ctx.listener || 'site',
      ...entry,
    });
  }

  async function collect(ctx) {
    // Every POST's log entry names the validator, rejected requests included.
    const v = await validator();
    const q = ctx.query;
    let payload = null;
    let parseError = null;
    try {
      payload = JSON.parse(ctx.rawBody.toString('utf8') || 'null');
    } catch (err) {
      parseError = 'body is not JSON: ' + err.message;
    }
    const writeKey = String(
      (isObj(payload) && payload.writeKey) || q.get('writeKey') || ctx.headers['x-write-key'] || 'unknown',
    );
    const batch = isObj(payload) && Array.isArray(payload.batch) ? payload.batch : null;
    if (!parseError && !batch) parseError = 'body must be {batch: Event[], sentAt, writeKey?}';

    const fault = activeFault(writeKey);
    if (fault) {
      const headers = { ...CORS };
      if (fault.retryAfter != null) headers['Retry-After'] = String(fault.retryAfter);
      logRequest(ctx, {
        writeKey,
        status: fault.status,
        count: batch ? batch.length : 0,
        injected: true,
        validator: v.name,
      });
      return {
        status: fault.status,
        headers,
        json: { ok: false, error: 'injected fault', status: fault.status },
      };
    }
    if (parseError) {
      logRequest(ctx, { writeKey, status: 400, count: 0, error: parseError, validator: v.name });
      return { status: 400, headers: CORS, json: { ok: false, error: parseError } };
    }
    const receivedAt = new Date().toISOString();
    // Which accepted batch (1, 2, …) the line came in: two batches can share a millisecond.
    const batchNo = ++accepted;
    const newLines = batch.map((event) => {
      const problems = runValidator(v.fn, event);
      return {
        receivedAt,
        sentAt: payload.sentAt,
        batch: batchNo,
        writeKey,
        valid: problems.length === 0,
        problems,
        event,
      };
    });
    lines.push(...newLines);
    append(newLines);
    logRequest(ctx, {
      writeKey,
      status: 200,
      count: batch.length,
      invalid: newLines.filter((l) => !l.valid).length,
      validator: v.name,
      sentAt: payload.sentAt ?? null,
    });
    return { status: 200, headers: CORS, json: { ok: true } };
  }

  function control(ctx) {
    let b = ctx.body;
    try {
      b = JSON.parse(ctx.rawBody.toString('utf8')); // JSON whatever the content-type (curl -d sends urlencoded)
    } catch {
      /* keep the parsed form body */
    }
    if (!isObj(b) || typeof b.writeKey !== 'string' || !Number.isInteger(b.status)) {
      return { status: 400, json: { ok: false, error: 'expected {writeKey, status, forMs?, retryAfter?}' } };
    }
    if (b.status === 200) faults.delete(b.writeKey);
    else
      faults.set(b.writeKey, {
        status: b.status,
        until: b.forMs ? Date.now() + Number(b.forMs) : 0,
        retryAfter: b.retryAfter ?? null,
      });
    return { status: 200, json: { ok: true, faults: Object.fromEntries(faults) } };
  }

  function recordPreflight(ctx) {
    const h = ctx.headers;
    preflights.count++;
    preflights.log.push({
      at: new Date().toISOString(),
      url: ctx.url,
      listener: ctx.listener || 'site',
      origin: h.origin || null,
      accessControlRequestMethod: h['access-control-request-method'] || null,
      accessControlRequestHeaders: h['access-control-request-headers'] || null,
      accessControlRequestPrivateNetwork: h['access-control-request-private-network'] || null,
      writeKey: ctx.query.get('writeKey'),
    });
    if (preflights.log.length > MAX_PREFLIGHT_LOG) preflights.log.shift();
  }

  function reset(ctx) {
    const wk = ctx.query.get('writeKey');
    if (wk == null) {
      lines.length = 0;
      requests.length = 0;
      faults.clear();
      preflights.count = 0;
      preflights.log.length = 0;
    } else {
      for (const arr of [lines, requests]) {
        const keep = arr.filter((x) => x.writeKey !== wk);
        arr.length = 0;
        arr.push(...keep);
      }
      faults.delete(wk);
    }
    rewrite();
    return { status: 200, json: { ok: true } };
  }

  function eventsJson(ctx) {
    const wk = ctx.query.get('writeKey');
    const mine = requests.filter(byKey(wk));
    const events = lines.filter(byKey(wk));
    return {
      status: 200,
      headers: CORS,
      json: {
        events,
        requests: mine.filter((r) => r.method === 'POST').length,
        // Preflights carry no body: they count under the writeKey in their query string, else under "unknown".
        preflights: mine.filter((r) => r.method === 'OPTIONS').length,
        invalid: events.filter((l) => !l.valid).length,
      },
    };
  }

  /** Returns a response for collector routes, or null when the path is not one. */
  async function handle(ctx) {
    const { method, pathname } = ctx;
    const collectorPath = pathname === '/collect' || pathname.startsWith('/collector/');
    // The cross-origin listener is all collector: count its every OPTIONS, whatever the path.
    if (method === 'OPTIONS' && (collectorPath || ctx.listener === 'collector')) {
      recordPreflight(ctx);
      if (pathname !== '/collect') return { status: 204, headers: preflightHeaders(ctx), json: null };
    }
    if (pathname === '/collect') {
      if (method === 'OPTIONS') {
        logRequest(ctx, {
          writeKey: ctx.query.get('writeKey') || 'unknown',
          status: 204,
          count: 0,
          preflight: true,
        });
        return { status: 204, headers: preflightHeaders(ctx), json: null };
      }
      if (method === 'POST') return collect(ctx);
      return {
        status: 405,
        headers: { ...CORS, Allow: 'POST, OPTIONS' },
        json: { ok: false, error: 'POST a batch here' },
      };
    }
    if (pathname === '/collector/control' && method === 'POST') return withCors(control(ctx));
    if (pathname === '/collector/reset' && method === 'POST') return withCors(reset(ctx));
    if (pathname === '/collector/events.json' && method === 'GET') return eventsJson(ctx);
    if (pathname === '/collector/preflights.json' && method === 'GET') {
      return {
        status: 200,
        headers: CORS,
        json: { count: preflights.count, preflights: preflights.log.slice() },
      };
    }
    if (pathname === '/collector/requests.json' && method === 'GET') {
      const wk = ctx.query.get('writeKey');
      return { status: 200, headers: CORS, json: { requests: requests.filter(byKey(wk)) } };
    }
    return null;
  }

  return { handle, flush: () => writeChain };
}
