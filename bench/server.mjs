// The bench's two local origins: pages + library files on one port, a counting collector on another
// (a different origin, as a real collector would be, so CORS preflights show up).
import fs from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import vm from 'node:vm';
import { gzipSync } from 'node:zlib';

const JS = 'text/javascript; charset=utf-8';

/**
 * Library files each page loads first, by URL path. What "gzip bytes" counts is every file under
 * `/lib/` or Segment's chunk folder that a library's pages actually fetched (lazy ones included).
 */
export function libraryFiles(root, buildDir) {
  const nm = (p) => path.join(root, 'node_modules', p);
  return {
    baseline: { '/lib/baseline.js': path.join(root, 'bench/pages/baseline-lib.js') },
    twilight: { '/lib/tracker.js': path.join(root, 'dist/tracker.js') },
    snowplow: { '/lib/sp.js': nm('@snowplow/browser-tracker/dist/index.umd.min.js') },
    segment: { '/lib/analytics-next.js': nm('@segment/analytics-next/dist/umd/index.js') },
    jitsu: { '/lib/jitsu.js': path.join(buildDir, 'jitsu.js') },
  };
}

/** Segment's lazily loaded webpack chunks, served from its UMD folder like its CDN would. */
const SEGMENT_CHUNKS = '/analytics-next/bundles/';

/**
 * Other files of twilight-tracker's build: any `dist/<name>.js` is served as `/lib/<name>.js`, next to
 * `/lib/tracker.js`, so a file the tracker loads lazily from its own directory (such as
 * `tracker-vitals.js`) is found and counted.
 */
const DIST_FILE = /^\/lib\/([\w.-]+\.js)$/;

function page(lib, collector, files) {
  const cfg = { lib, collector, files: Object.keys(files) };
  return `<!doctype html><html><head><meta charset="utf-8"><title>bench ${lib}</title>
<script>window.benchConfig = ${JSON.stringify(cfg)};</script>
<script src="/bench/bus.js"></script>
<script src="/bench/peers/${lib}.js"></script>
<script src="/bench/harness.js"></script>
</head><body><h1>${lib}</h1><p>twilight-tracker bench page</p></body></html>`;
}

/** The script-tag attributes a library adapter (bench/peers/<lib>.js) asks for, read in Node. */
function adapterAttrs(root, lib, cfg) {
  const sandbox = { window: {} };
  vm.runInNewContext(fs.readFileSync(path.join(root, 'bench/peers', lib + '.js'), 'utf8'), sandbox);
  const peer = sandbox.window.benchPeer;
  return peer && peer.attrs ? { ...peer.attrs(cfg) } : {};
}

const escAttr = (v) => String(v).replace(/&/g, '&amp;').replace(/"/g, '&quot;').replace(/</g, '&lt;');

/**
 * The startup page: a storefront-like load with static script tags in <head> — the Twilight-like bus,
 * the library's script tag(s) with the adapter's attributes, then its init call (its own file, so
 * the trace can attribute it by URL) — and a small static body. Nothing else runs on it.
 */
function startupPage(root, lib, collector, files) {
  const cfg = { lib, collector, files: Object.keys(files) };
  const attrs = Object.entries(adapterAttrs(root, lib, cfg))
    .map(([k, v]) => ` ${k}="${escAttr(v)}"`)
    .join('');
  const libTags = cfg.files.map((f) => `<script src="${f}"${attrs}></script>`).join('\n');
  return `<!doctype html><html><head><meta charset="utf-8"><title>Bench Store — Bench product</title>
<meta name="viewport" content="width=device-width, initial-scale=1">
<script>window.benchConfig = ${JSON.stringify(cfg)};</script>
<script src="/bench/bus.js"></script>
<script src="/bench/peers/${lib}.js"></script>
<script src="/bench/startup-before.js"></script>
${libTags}
<script src="/bench/startup-init.js"></script>
</head><body>
<header><a href="/">Bench Store</a> <nav><a href="/c/coffee">Coffee</a> <a href="/cart">Cart (0)</a></nav></header>
<main><h1>Ethiopian Yirgacheffe Beans</h1><p>Najd Roasters · 68 SAR</p>
<p>Floral, citrus and bergamot notes; washed process, light roast.</p>
<button type="button" data-action="add" data-product="101">Add to cart</button></main>
<footer><p>twilight-tracker bench startup page (${lib})</p></footer>
</body></html>`;
}

/** The bench product id of a collected event, if it is a `Product Added` one (any library's format). */
function benchId(e) {
  if (!e || typeof e !== 'object') return null;
  if (e.event === 'Product Added') return String(e.properties && e.properties.product_id);
  if (e.e !== 'ue') return null;
  // Snowplow: the self-describing event is JSON in ue_pr, or base64 JSON in ue_px.
  try {
    const ue = JSON.parse(e.ue_pr || Buffer.from(String(e.ue_px), 'base64').toString('utf8'));
    return /\/product_added\//.test(ue.data.schema) ? String(ue.data.data.product_id) : null;
  } catch {
    return null;
  }
}

/** Events in one collected request body, and the product ids of the bench's `Product Added` ones. */
export function countEvents(pathname, body) {
  let json;
  try {
    json = JSON.parse(body);
  } catch {
    return { events: 0, ids: [] };
  }
  let list;
  if (pathname.endsWith('/tp2')) list = Array.isArray(json.data) ? json.data : [];
  else if (Array.isArray(json.batch)) list = json.batch;
  else list = [json];
  return { events: list.length, ids: list.map(benchId).filter((id) => id !== null) };
}

function createCollector() {
  let s;
  let seen;
  const reset = () => {
    seen = new Set();
    s = {
      requests: 0,
      preflights: 0,
      bodyBytes: 0,
      wireBytes: 0,
      events: 0,
      bench: 0,
      unique: 0,
      paths: {},
      /** Events in each request, in arrival order. */
      sizes: [],
      beacons: 0,
      lastAt: Date.now(),
    };
  };
  reset();
  const cors = (req) => ({
    'Access-Control-Allow-Origin': req.headers.origin || '*',
    'Access-Control-Allow-Credentials': 'true',
    'Access-Control-Allow-Methods': 'POST, GET, OPTIONS',
    'Access-Control-Allow-Headers': req.headers['access-control-request-headers'] || 'Content-Type',
    'Cross-Origin-Resource-Policy': 'cross-origin',
  });
  const server = http.createServer((req, res) => {
    const chunks = [];
    req.on('data', (c) => chunks.push(c));
    req.on('end', () => {
      s.lastAt = Date.now();
      const url = new URL(req.url, 'http://x');
      if (req.method === 'OPTIONS') {
        s.preflights++;
        res.writeHead(204, cors(req));
        return res.end();
      }
      const body = Buffer.concat(chunks);
      // Approximate bytes on the wire: request line + headers + body.
      let head = req.method.length + req.url.length + 12;
      for (let i = 0; i < req.rawHeaders.length; i += 2)
        head += req.rawHeaders[i].length + req.rawHeaders[i + 1].length + 4;
      s.requests++;
      s.bodyBytes += body.length;
      s.wireBytes += head + body.length;
      if (req.headers['sec-fetch-mode'] === 'no-cors') s.beacons++;
      s.paths[url.pathname] = (s.paths[url.pathname] || 0) + 1;
      const n = countEvents(url.pathname, body.toString('utf8'));
      s.events += n.events;
      s.sizes.push(n.events);
      s.bench += n.ids.length;
      for (const id of n.ids) seen.add(id);
      s.unique = seen.size;
      res.writeHead(200, { 'Content-Type': 'application/json', 'Cache-Control': 'no-store', ...cors(req) });
      res.end('{}');
    });
  });
  return { server, reset, snapshot: () => ({ ...s, paths: { ...s.paths }, sizes: s.sizes.slice() }) };
}

/** Starts both servers on free ports. */
export async function startBenchServer({ root, buildDir }) {
  const files = libraryFiles(root, buildDir);
  const collector = createCollector();
  const served = [];
  const listen = (srv) => new Promise((r) => srv.listen(0, '127.0.0.1', () => r(srv.address().port)));
  const collectorPort = await listen(collector.server);
  const collectorUrl = `http://127.0.0.1:${collectorPort}`;
  const gz = new Map();

  const pages = http.createServer((req, res) => {
    const url = new URL(req.url, 'http://x');
    const p = url.pathname;
    const isolate = {
      'Cross-Origin-Opener-Policy': 'same-origin',
      'Cross-Origin-Embedder-Policy': 'require-corp',
    };
    const sendFile = (file) => {
      let buf;
      try {
        buf = fs.readFileSync(file);
      } catch {
        res.writeHead(404);
        return res.end();
      }
      if (p.startsWith('/lib/') || p.startsWith(SEGMENT_CHUNKS)) {
        if (!gz.has(file)) gz.set(file, gzipSync(buf, { level: 9 }).length);
        served.push({ path: p, raw: buf.length, gzip: gz.get(file) });
      }
      res.writeHead(200, { 'Content-Type': JS, 'Cache-Control': 'no-store', ...isolate });
      res.end(buf);
    };
    if (p === '/page') {
      const lib = url.searchParams.get('lib');
      if (!files[lib]) return res.writeHead(404).end();
      res.writeHead(200, {
        'Content-Type': 'text/html; charset=utf-8',
        'Cache-Control': 'no-store',
        ...isolate,
      });
      return res.end(page(lib, collectorUrl, files[lib]));
    }
    if (p === '/startup') {
      const lib = url.searchParams.get('lib');
      if (!files[lib]) return res.writeHead(404).end();
      res.writeHead(200, {
        'Content-Type': 'text/html; charset=utf-8',
        'Cache-Control': 'no-store',
        ...isolate,
      });
      return res.end(startupPage(root, lib, collectorUrl, files[lib]));
    }
    if (p === '/blank') {
      res.writeHead(200, { 'Content-Type': 'text/html; charset=utf-8', ...isolate });
      return res.end('<!doctype html><title>blank</title><p>left the page</p>');
    }
    if (p === '/favicon.ico') return res.writeHead(204).end();
    const m =
      /^\/bench\/(bus|harness|startup-before|startup-init)\.js$/.exec(p) ||
      /^\/bench\/peers\/(\w+)\.js$/.exec(p);
    if (m)
      return sendFile(
        path.join(root, p.startsWith('/bench/peers/') ? 'bench/peers' : 'bench/pages', m[1] + '.js'),
      );
    for (const lib of Object.values(files)) if (lib[p]) return sendFile(lib[p]);
    const d = DIST_FILE.exec(p);
    if (d && fs.existsSync(path.join(root, 'dist', d[1]))) return sendFile(path.join(root, 'dist', d[1]));
    if (p.startsWith(SEGMENT_CHUNKS) && /^[\w.-]+\.js$/.test(p.slice(SEGMENT_CHUNKS.length))) {
      return sendFile(
        path.join(root, 'node_modules/@segment/analytics-next/dist/umd', p.slice(SEGMENT_CHUNKS.length)),
      );
    }
    res.writeHead(404);
    res.end();
  });
  const pagesPort = await listen(pages);
  return {
    url: `http://127.0.0.1:${pagesPort}`,
    collectorUrl,
    collector,
    /** Library files served since the last call (path, raw and gzip bytes). */
    takeServed: () => served.splice(0),
    close: () =>
      Promise.all(
        [pages, collector.server].map(
          (srv) => new Promise((r) => (srv.closeAllConnections(), srv.close(() => r()))),
        ),
      ),
  };
}
