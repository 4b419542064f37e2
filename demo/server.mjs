// twilight-tracker demo storefront: static assets, server-rendered pages, a fake Salla
// store API and the event collector, on Node's plain `http` module. The collector also listens on a
// second port (cross-origin, as every real endpoint is); pages send there by default.
//
//   node demo/server.mjs [--port N] [--collector-port M]
//        (env PORT, default 4400; COLLECTOR_PORT, default PORT + 1; DEMO_DATA_DIR)
//   import { startServer } from './demo/server.mjs';
//   const { url, collectorUrl, close } = await startServer({ port: 0 });   // collectorPort 0: a free port too

import http from 'node:http';
import fs from 'node:fs';
import path from 'node:path';
import crypto from 'node:crypto';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { createStoreApi } from './store-api.mjs';
import { createCollector } from './collector.mjs';
import { createPages, keptQuery, translationsScript } from './pages.mjs';
import { buildSnippet } from '../bin/snippet.mjs';

const DEMO_DIR = path.dirname(fileURLToPath(import.meta.url));
const ROOT = path.resolve(DEMO_DIR, '..');
const PUBLIC_DIR = path.join(DEMO_DIR, 'public');
const SDK_DIR = path.join(ROOT, 'node_modules/@salla.sa/twilight/dist/@salla.sa');
const DIST_DIR = path.join(ROOT, 'dist');
// @salla.sa/twilight-components' module build (it embeds its own copy of the SDK): the ?sdk=module pages.
const COMPONENTS_DIR = path.join(ROOT, 'node_modules/@salla.sa/twilight-components/dist/twilight');
const SID_COOKIE = 'tt_demo_sid';
const MAX_BODY = 1024 * 1024;
const CSP = "script-src 'self'; style-src 'self'; object-src 'none'; base-uri 'self'";
// ?sdk=module: @salla.sa/twilight-components injects two <style> elements (its base CSS and Stencil's
// hydration rule). Scripts stay 'self' only.
const CSP_MODULE_SDK =
  "script-src 'self'; style-src 'self' 'unsafe-inline'; object-src 'none'; base-uri 'self'";

const TYPES = {
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.map': 'application/json; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.html': 'text/html; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.ico': 'image/x-icon',
  '.txt': 'text/plain; charset=utf-8',
};

/** A file under `dir` for the URL path `rel`, or forbidden when it would leave `dir`. */
function within(dir, rel, missing) {
  const file = path.resolve(dir, decodeURIComponent(rel));
  if (!file.startsWith(dir + path.sep)) return { forbidden: true };
  return { file, missing };
}

/** Static files: the SDK bundle, the built tracker (someone else's build) and demo/public. */
function staticFile(pathname) {
  if (pathname === '/assets/twilight.min.js' || pathname === '/assets/twilight.min.js.map') {
    return { file: path.join(SDK_DIR, path.basename(pathname)) };
  }
  // tracker.js, and tracker-vitals.js that tracker.js loads from beside its own URL after `load` (and
  // any other tracker*.js the build makes).
  if (/^\/assets\/tracker([.-]\w+)*\.js(\.map)?$/.test(pathname)) {
    return {
      file: path.join(DIST_DIR, path.basename(pathname)),
      missing: `${path.relative(ROOT, path.join(DIST_DIR, path.basename(pathname)))} is not built yet (build the library first, or load the page with ?tracker=0)`,
    };
  }
  if (pathname.startsWith('/assets/twilight-components/')) {
    return within(
      COMPONENTS_DIR,
      pathname.slice('/assets/twilight-components/'.length),
      `${path.relative(ROOT, COMPONENTS_DIR)} is missing: npm ci installs @salla.sa/twilight-components (the ?sdk=module pages need it)`,
    );
  }
  if (pathname.startsWith('/assets/')) {
    const rel = decodeURIComponent(pathname.slice('/assets/'.length));
    const file = path.resolve(PUBLIC_DIR, rel);
    if (!file.startsWith(PUBLIC_DIR + path.sep)) return { forbidden: true };
    return { file };
  }
  return null;
}

function parseCookies(header) {
  const out = {};
  for (const part of String(header || '').split(';')) {
    const i = part.indexOf('=');
    if (i > 0) out[part.slice(0, i).trim()] = decodeURIComponent(part.slice(i + 1).trim());
  }
  return out;
}

function readBody(req) {
  return new Promise((resolve, reject) => {
    const chunks = [];
    let size = 0;
    req.on('data', (c) => {
      size += c.length;
      if (size > MAX_BODY) {
        reject(Object.assign(new Error('body too large'), { status: 413 }));
        req.destroy();
      } else chunks.push(c);
    });
    req.on('end', () => resolve(Buffer.concat(chunks)));
    req.on('error', reject);
  });
}

/** JSON, urlencoded, multipart (text fields) or JSON-in-text/plain, as a plain object. */
function parseBody(raw, contentType = '') {
  if (!raw.length) return {};
  const text = raw.toString('utf8');
  try {
    if (contentType.includes('application/x-www-form-urlencoded'))
      return Object.fromEntries(new URLSearchParams(text));
    if (contentType.includes('multipart/form-data')) {
      const boundary = /boundary=(?:"([^"]+)"|([^;]+))/.exec(contentType);
      const out = {};
      if (boundary) {
        for (const part of text.split('--' + (boundary[1] || boundary[2]))) {
          const m = /name="([^"]+)"[^\r\n]*\r\n(?:[^\r\n]+\r\n)*\r\n([\s\S]*?)\r\n$/.exec(part);
          if (m) out[m[1]] = m[2];
        }
      }
      return out;
    }
    return JSON.parse(text);
  } catch {
    return {};
  }
}

function refererQuery(referer) {
  try {
    return referer ? keptQuery(new URL(referer).searchParams) : '';
  } catch {
    return '';
  }
}

function send(res, status, body, headers = {}) {
  res.writeHead(status, { 'Cache-Control': 'no-store', ...headers });
  res.end(body);
}

function sendJson(res, result) {
  const headers = { 'Content-Type': 'application/json; charset=utf-8', ...(result.headers || {}) };
  if (result.redirect) return send(res, result.status || 302, '', { ...headers, Location: result.redirect });
  if (result.json === null) return send(res, result.status, '', result.headers || {});
  send(res, result.status, JSON.stringify(result.json), headers);
}

function sendFile(res, file, missing) {
  fs.stat(file, (err, st) => {
    if (err || !st.isFile()) {
      return send(res, 404, (missing || `Not found: ${path.basename(file)}`) + '\n', {
        'Content-Type': 'text/plain; charset=utf-8',
      });
    }
    res.writeHead(200, {
      'Content-Type': TYPES[path.extname(file)] || 'application/octet-stream',
      'Content-Length': st.size,
      'Cache-Control': 'no-store',
    });
    fs.createReadStream(file).pipe(res);
  });
}

/**
 * `/assets/snippet.js`: the App Snippet `npx twilight-tracker snippet` would print, built in process from
 * dist/tracker.js with nothing baked in but the web-vitals choice (the page's config carries the endpoint
 * and write key as app settings). `?vitals=1`: vitalsUrl beside the built tracker; else webVitals off.
 * Rebuilt when dist/tracker.js changes; checked once per build with `node --check`.
 */
function createSnippetSource() {
  const cache = new Map();
  return function snippet(origin, vitals) {
    const trackerFile = path.join(DIST_DIR, 'tracker.js');
    let mtime;
    try {
      mtime = fs.statSync(trackerFile).mtimeMs;
    } catch {
      return {
        status: 404,
        body: 'dist/tracker.js is not built yet: build the library first (npm run build)\n',
      };
    }
    const options = vitals ? { vitalsUrl: origin + '/assets/tracker-vitals.js' } : { webVitals: false };
    const key = JSON.stringify(options);
    const hit = cache.get(key);
    if (hit && hit.mtime === mtime) return hit.result;
    let result;
    try {
      result = { status: 200, body: buildSnippet(options, { trackerFile, check: true }) };
    } catch (err) {
      result = { status: 500, body: `could not build the snippet: ${err.message}\n` };
    }
    cache.set(key, { mtime, result });
    return result;
  };
}

function listen(server, port, host) {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      resolve(server.address().port);
    });
  });
}

function closeServer(server) {
  return new Promise((resolve) => {
    if (!server.listening) return resolve();
    server.close(() => resolve());
    server.closeAllConnections();
  });
}

/**
 * Start the storefront on `port` and the collector on `collectorPort` (default `port + 1`; a free
 * port when `port` is 0; `0`: a free port), both on `host`.
 * @param {{ port?: number, collectorPort?: number, dataDir?: string, host?: string }} [options]
 */
export async function startServer({
  port = 4400,
  collectorPort,
  dataDir = process.env.DEMO_DATA_DIR || path.join(DEMO_DIR, 'data'),
  host = '127.0.0.1',
} = {}) {
  const store = createStoreApi();
  const pages = createPages({ store });
  const collector = createCollector({
    dataDir: path.resolve(dataDir),
    distFile: path.join(DIST_DIR, 'index.mjs'),
  });
  const snippet = createSnippetSource();
  let collectorOrigin = ''; // set once the collector's port is known

  /** The request as the collector and the pages see it. */
  async function context(req, listener) {
    const url = new URL(req.url, `http://${req.headers.host || host}`);
    const method = req.method.toUpperCase();
    const rawBody =
      method === 'GET' || method === 'HEAD' || method === 'OPTIONS' ? Buffer.alloc(0) : await readBody(req);
    return {
      method,
      url: req.url,
      pathname: url.pathname,
      query: url.searchParams,
      headers: req.headers,
      rawBody,
      body: parseBody(rawBody, req.headers['content-type']),
      origin: `http://${req.headers.host || host}`,
      listener,
      collectorOrigin,
      keepQuery: keptQuery(url.searchParams),
      refererKeepQuery: refererQuery(req.headers.referer),
    };
  }

  /** The cross-origin collector: POST /collect and /collector/*, nothing else. */
  async function handleCollector(req, res) {
    const ctx = await context(req, 'collector');
    const collected = await collector.handle(ctx);
    if (collected) return sendJson(res, collected);
    send(
      res,
      404,
      JSON.stringify({ ok: false, error: `Not a collector route: ${ctx.method} ${ctx.pathname}` }),
      {
        'Content-Type': 'application/json; charset=utf-8',
        'Access-Control-Allow-Origin': '*',
      },
    );
  }

  async function handle(req, res) {
    const url = new URL(req.url, `http://${req.headers.host || host}`);
    const { pathname } = url;
    const method = req.method.toUpperCase();

    if ((method === 'GET' || method === 'HEAD') && pathname === '/assets/snippet.js') {
      const s = snippet(`http://${req.headers.host || host}`, url.searchParams.get('vitals') === '1');
      return send(res, s.status, s.body, {
        'Content-Type': s.status === 200 ? TYPES['.js'] : 'text/plain; charset=utf-8',
      });
    }
    const asset = method === 'GET' || method === 'HEAD' ? staticFile(pathname) : null;
    if (asset)
      return asset.forbidden ? send(res, 403, 'Forbidden\n') : sendFile(res, asset.file, asset.missing);
    if (method === 'GET' && /^\/languages\/assets\/[\w.-]+\.js$/.test(pathname)) {
      return send(res, 200, translationsScript(), { 'Content-Type': TYPES['.js'] });
    }

    const ctx = await context(req, 'site');

    const collected = await collector.handle(ctx);
    if (collected) return sendJson(res, collected);

    // Everything below is per visitor: make sure there is a session cookie.
    const cookies = parseCookies(req.headers.cookie);
    let sid = cookies[SID_COOKIE];
    const cookieHeaders = {};
    if (!sid || !/^[\w-]{8,64}$/.test(sid)) {
      sid = crypto.randomUUID();
      cookieHeaders['Set-Cookie'] = `${SID_COOKIE}=${sid}; Path=/; HttpOnly; SameSite=Lax`;
    }
    ctx.sid = sid;

    let result = null;
    if (pathname.startsWith('/api/v1/')) {
      result = store.api(method, pathname.slice('/api/v1/'.length).replace(/\/+$/, ''), ctx);
      if (!result)
        result = {
          status: 404,
          json: {
            status: 404,
            success: false,
            error: { message: `No demo endpoint for ${method} ${pathname}`, code: 'not_found' },
          },
        };
    } else {
      result = store.web(method, pathname, ctx);
    }
    if (result) {
      // Real Salla responses carry s-ray; without it the SDK reports auth errors as "BlockedByProxy".
      result.headers = {
        ...(result.headers || {}),
        ...cookieHeaders,
        's-ray': crypto.randomBytes(8).toString('hex'),
      };
      return sendJson(res, result);
    }

    if (method === 'GET' || method === 'HEAD') {
      const page = pages.render(ctx);
      if (page) {
        if (page.redirect) return send(res, page.status, '', { ...cookieHeaders, Location: page.redirect });
        const headers = { 'Content-Type': TYPES['.html'], ...cookieHeaders };
        if (ctx.query.get('csp') !== '0')
          headers['Content-Security-Policy'] = ctx.query.get('sdk') === 'module' ? CSP_MODULE_SDK : CSP;
        // ?bf=1: a page the back/forward cache may keep (no-store pages are not restored), as a
        // store's cacheable pages are.
        if (ctx.query.get('bf') === '1') headers['Cache-Control'] = 'no-cache';
        return send(res, page.status, page.html, headers);
      }
    }
    send(res, 404, `Not found: ${method} ${pathname}\n`, { 'Content-Type': 'text/plain; charset=utf-8' });
  }

  const serve = (handler) => {
    const server = http.createServer((req, res) => {
      handler(req, res).catch((err) => {
        console.error('[demo]', req.method, req.url, err);
        if (!res.headersSent)
          send(res, err.status || 500, JSON.stringify({ ok: false, error: err.message }), {
            'Content-Type': 'application/json',
          });
        else res.end();
      });
    });
    server.keepAliveTimeout = 5000;
    return server;
  };
  const server = serve(handle);
  const collectorServer = serve(handleCollector);

  const actualPort = await listen(server, port, host);
  let actualCollectorPort;
  try {
    // Default: the next port (a free one when the site's port is), `0`: a free port.
    actualCollectorPort = await listen(collectorServer, collectorPort ?? (port === 0 ? 0 : port + 1), host);
  } catch (err) {
    await closeServer(server);
    err.collector = true;
    throw err;
  }
  collectorOrigin = `http://${host}:${actualCollectorPort}`;
  return {
    url: `http://${host}:${actualPort}/`,
    port: actualPort,
    /** The cross-origin collector: `http://127.0.0.1:<collectorPort>/` (POST collect, GET collector/*.json). */
    collectorUrl: `${collectorOrigin}/`,
    collectorPort: actualCollectorPort,
    server,
    collectorServer,
    async close() {
      await Promise.all([closeServer(server), closeServer(collectorServer)]);
      await collector.flush();
    },
  };
}

function cliNumber(argv, flag, env, fallback) {
  const i = argv.indexOf(flag);
  if (i >= 0 && argv[i + 1]) return Number(argv[i + 1]);
  const eq = argv.find((a) => a.startsWith(flag + '='));
  if (eq) return Number(eq.slice(flag.length + 1));
  return process.env[env] ? Number(process.env[env]) : fallback;
}

if (process.argv[1] && import.meta.url === pathToFileURL(path.resolve(process.argv[1])).href) {
  const argv = process.argv.slice(2);
  startServer({
    port: cliNumber(argv, '--port', 'PORT', 4400),
    collectorPort: cliNumber(argv, '--collector-port', 'COLLECTOR_PORT', undefined),
  })
    .then(({ url, collectorUrl, close }) => {
      console.log(`twilight-tracker demo: ${url} (collector ${collectorUrl}collect)`);
      const stop = () => close().then(() => process.exit(0));
      process.on('SIGINT', stop);
      process.on('SIGTERM', stop);
    })
    .catch((err) => {
      console.error(err.message);
      process.exit(1);
    });
}
