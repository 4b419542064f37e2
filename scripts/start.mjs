// `npm start`: the first command on a fresh clone. Installs what is missing, builds dist/, serves the
// demo storefront (real Twilight SDK + tracker.js + local store API + collector) and prints its URL.
//
//   npm start                      serve on PORT (default 4400) until Ctrl-C; the collector also listens
//                                  cross-origin on COLLECTOR_PORT (default PORT + 1)
//   npm start -- --port 4500       another port (--collector-port M for the collector's)
//   npm start -- --tour            (= npm run tour) serve on a free port, drive the scripted shopping
//                                  journey in headless Chromium, print what the collector received, exit
//   npm start -- --no-build        skip the build (dist/ is already current)

import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { CHROMIUM_PATH } from './chromium.mjs';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const argv = process.argv.slice(2);
const TOUR = argv.includes('--tour');
const CHROMIUM = CHROMIUM_PATH;

const say = (msg) => console.log(`[start] ${msg}`);

function run(cmd, args) {
  say(`$ ${[cmd, ...args].join(' ')}`);
  const r = spawnSync(cmd, args, { cwd: ROOT, stdio: 'inherit' });
  return r.status === 0;
}

/** `--flag N`, `--flag=N`, else the environment variable, else `fallback`. */
function numberArg(flag, env, fallback) {
  const i = argv.indexOf(flag);
  const v =
    i >= 0
      ? argv[i + 1]
      : (argv.find((a) => a.startsWith(flag + '=')) || '').slice(flag.length + 1) || process.env[env];
  return v ? Number(v) : fallback;
}
const portArg = () => numberArg('--port', 'PORT', 4400);
const collectorPortArg = () => numberArg('--collector-port', 'COLLECTOR_PORT', undefined);

// 1. Dependencies: a fresh clone has no node_modules.
const installed = [
  '@salla.sa/twilight/package.json',
  'rollup/package.json',
  'playwright-core/package.json',
].every((f) => fs.existsSync(path.join(ROOT, 'node_modules', f)));
if (!installed) {
  say('node_modules is missing or incomplete: installing the locked dependencies');
  if (!run('npm', ['ci', '--no-audit', '--no-fund'])) {
    say('installing the dependencies failed');
    process.exit(1);
  }
}

// 2. Chromium: the storefront does not need it, the tour does.
if (!fs.existsSync(CHROMIUM)) {
  if (!TOUR) {
    say(
      `note: no Chromium at ${CHROMIUM} (only the tour and the browser tests need it; set PLAYWRIGHT_CHROMIUM_PATH or apt-get install chromium)`,
    );
  } else if (
    process.platform === 'linux' &&
    process.getuid &&
    process.getuid() === 0 &&
    !process.env.PLAYWRIGHT_CHROMIUM_PATH
  ) {
    say(`no Chromium at ${CHROMIUM}: installing Debian's chromium`);
    if (
      !run('apt-get', ['update']) ||
      !run('apt-get', ['install', '-y', 'chromium']) ||
      !fs.existsSync(CHROMIUM)
    ) {
      say('could not install chromium; install it, or set PLAYWRIGHT_CHROMIUM_PATH to a Chromium binary');
      process.exit(1);
    }
  } else {
    say(
      `the tour needs Chromium: install it (apt-get install chromium) or set PLAYWRIGHT_CHROMIUM_PATH (looked for ${CHROMIUM})`,
    );
    process.exit(1);
  }
}

// 3. Build dist/tracker.js, dist/index.mjs and the type declarations.
if (!argv.includes('--no-build')) {
  say(
    'building dist/ (its last steps take the order and names gzip packs best from scripts/packed.json; a changed source searches again, about six minutes)',
  );
  if (!run('npx', ['rollup', '-c', '--silent'])) {
    say('the build failed');
    process.exit(1);
  }
}

const { startServer } = await import('../demo/server.mjs');

if (!TOUR) {
  // 4. Serve until Ctrl-C.
  const port = portArg();
  const collectorPort = collectorPortArg() ?? port + 1;
  let server;
  try {
    server = await startServer({ port, collectorPort });
  } catch (err) {
    say(
      err.code !== 'EADDRINUSE'
        ? `could not start the demo: ${err.message}`
        : err.collector
          ? `the collector's port ${collectorPort} is in use: try COLLECTOR_PORT=${collectorPort + 1} npm start (or another PORT)`
          : `port ${port} is in use: try PORT=${port + 2} npm start`,
    );
    process.exit(1);
  }
  console.log(`
  twilight-tracker demo storefront: ${server.url}
  collector (cross-origin):         ${server.collectorUrl}collect   (pages send here; ?ep=same: ${server.url}collect)
  collected events:                 ${server.url}collector
  page variants (query params, kept across links): ?channel=snippet  ?sdk=module  ?sdk=late  ?cookies=1
  (the panel on the right of each page shows events as they are batched and delivered; Ctrl-C stops)
`);
  const stop = () => server.close().then(() => process.exit(0));
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
} else {
  // 5. The tour: a fresh server on a free port, the journey in headless Chromium, a table.
  const { runTour, formatTable } = await import('../demo/tour.mjs');
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'tt-tour-'));
  const server = await startServer({ port: 0, dataDir });
  say(`demo server ${server.url}; driving the shopping journey in headless Chromium`);
  let result;
  try {
    result = await runTour({ url: server.url });
  } catch (err) {
    result = {
      lines: [],
      failures: [String((err && err.stack) || err)],
      report: { requests: 0, preflights: 0, invalid: 0 },
    };
  } finally {
    await server.close();
    fs.rmSync(dataDir, { recursive: true, force: true });
  }
  const { lines, failures, report } = result;
  console.log(`\nEvents the collector received (writeKey ${result.writeKey}), in event order:\n`);
  console.log(formatTable(lines));
  const repeats = result.repeats
    ? ` (+${result.repeats} repeat(s) of an already-delivered event, same messageId)`
    : '';
  console.log(
    `\n${lines.length} events${repeats} in ${report.requests} batch request(s), ${report.preflights} CORS preflight(s), ${report.invalid} invalid.`,
  );
  if (failures.length) {
    console.log('\nTour FAILED:');
    for (const f of failures) console.log('  - ' + f);
    process.exit(1);
  }
  console.log('Tour OK.');
  process.exit(0);
}
