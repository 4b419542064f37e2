// The demo's event collector: POST /collect stores batches from tracker.js as JSON lines,
// with counters, a per-request log and per-writeKey fault injection for tests.
// Handlers return {status, json, headers?}; server.mjs writes the response and the body.

import fs from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';

const CORS = {
  'Access-Control-Allow-Origin': '*',
  'Access-Control-Allow-Methods': 'POST, OPTIONS',
  'Access-Control-Allow-Headers': 'Content-Type, X-Write-Key',
  'Access-Control-Expose-Headers': 'Retry-After',
};
const ISO = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$/;
const isObj = (v) => v !== null && typeof v === 'object' && !Array.isArray(v);

/** The structural check used until dist/index.mjs exports a stricter `validateEvent`. */
export function basicValidate(e) {
  const problems = [];
  if (!isObj(e)) return ['event is not an object'];
  if (e.type !== 'track' && e.type !== 'page')
    problems.push(`type must be "track" or "page", got ${JSON.stringify(e.type)}`);
  if (e.type === 'track' && (typeof e.event !== 'string' || !e.event))
    problems.push('track event needs a non-empty string "event"');
  if (!isObj(e.properties)) problems.push('properties must be an object');
  if (!isObj(e.context)) problems.push('context must be an object');
  const consentDenied = isObj(e.context) && isObj(e.context.consent) && e.context.consent.analytics === false;
  if (!consentDenied && (typeof e.anonymousId !== 'string' || !e.anonymousId))
    problems.push('anonymousId must be a non-empty string');
  if (typeof e.messageId !== 'string' || !e.messageId) problems.push('messageId must be a non-empty string');
  if (typeof e.timestamp !== 'string' || !ISO.test(e.timestamp) || Number.isNaN(Date.parse(e.timestamp)))
    problems.push('timestamp must be an ISO 8601 string');
  return problems;
}

/**
 * Loads `validateEvent` from the library build when present; re-checked whenever
 * dist/index.mjs changes, so a build made while the server runs is picked up.
 */
function createValidatorSource(distFile) {
  let loadedMtime = -1;
  let current = { name: 'basic', fn: basicValidate };
  return async function validator() {
    let mtime;
    try {
      mtime = fs.statSync(distFile).mtimeMs;
    } catch {
      current = { name: 'basic', fn: basicValidate };
      loadedMtime = -1;
      return current;
    }
    if (mtime !== loadedMtime) {
      loadedMtime = mtime;
      try {
        const mod = await import(pathToFileURL(distFile).href + '?v=' + mtime);
        current =
          typeof mod.validateEvent === 'function'
            ? { name: 'dist/index.mjs', fn: mod.validateEvent }
            : { name: 'basic', fn: basicValidate };
      } catch (err) {
        console.warn('[collector] could not load', distFile, '-', err.message);
        current = { name: 'basic', fn: basicValidate };
      }
    }
    return current;
  };
}

function runValidator(fn, e) {
  try {
    const out = fn(e);
    return Array.isArray(out) ? out.map(String) : [];
  } catch (err) {
    return ['validator threw: ' + err.message];
  }
}

export function createCollector({ dataDir, distFile }) {
  const file = path.join(dataDir, 'events.jsonl');
  fs.mkdirSync(dataDir, { recursive: true });
  /** @type {Array<{receivedAt:string, writeKey:string, valid:boolean, problems:string[], event:any}>} */
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
      ...entry,
    });
  }

  async function collect(ctx) {
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
      logRequest(ctx, { writeKey, status: fault.status, count: batch ? batch.length : 0, injected: true });
      return {
        status: fault.status,
        headers,
        json: { ok: false, error: 'injected fault', status: fault.status },
      };
    }
    if (parseError) {
      logRequest(ctx, { writeKey, status: 400, count: 0, error: parseError });
      return { status: 400, headers: CORS, json: { ok: false, error: parseError } };
    }
    const v = await validator();
    const receivedAt = new Date().toISOString();
    const newLines = batch.map((event) => {
      const problems = runValidator(v.fn, event);
      return { receivedAt, writeKey, valid: problems.length === 0, problems, event };
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

  function reset(ctx) {
    const wk = ctx.query.get('writeKey');
    if (wk == null) {
      lines.length = 0;
      requests.length = 0;
      faults.clear();
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
    if (pathname === '/collect') {
      if (method === 'OPTIONS') {
        logRequest(ctx, {
          writeKey: ctx.query.get('writeKey') || 'unknown',
          status: 204,
          count: 0,
          preflight: true,
        });
        return { status: 204, headers: CORS, json: null };
      }
      if (method === 'POST') return collect(ctx);
      return {
        status: 405,
        headers: { ...CORS, Allow: 'POST, OPTIONS' },
        json: { ok: false, error: 'POST a batch here' },
      };
    }
    if (pathname === '/collector/control' && method === 'POST') return control(ctx);
    if (pathname === '/collector/reset' && method === 'POST') return reset(ctx);
    if (pathname === '/collector/events.json' && method === 'GET') return eventsJson(ctx);
    if (pathname === '/collector/requests.json' && method === 'GET') {
      const wk = ctx.query.get('writeKey');
      return { status: 200, headers: CORS, json: { requests: requests.filter(byKey(wk)) } };
    }
    return null;
  }

  return { handle, flush: () => writeChain };
}
