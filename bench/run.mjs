// `npm run bench`: builds, then in ONE Chromium run interleaves twilight-tracker, a no-library
// baseline (one sendBeacon per event) and peers (Snowplow, Segment, Jitsu), each on a minimal page
// from 127.0.0.1 sending to a local counting collector on another port, round-robin; then runs the
// web-vitals comparison on the demo storefront (bench/vitals.mjs). Prints one table per part and
// writes them (markdown + JSON) to bench/results/.
//
// Each round first measures every library's startup (bench/startup.mjs: a traced cold load of a small
// storefront-like page; evaluate + compile + create, and main-thread time before first idle minus the
// baseline page's), then its events (bursts, steady stream, navigation).
//
// Env (defaults fit < 10 min on 2 cores): BENCH_ROUNDS=5 BENCH_EVENTS=10000 BENCH_CHUNK=10
// BENCH_STEADY=500 BENCH_NAV=50 BENCH_THROTTLE=4 BENCH_LIBS=baseline,twilight,snowplow,segment,jitsu
// BENCH_VITALS_RUNS=7 BENCH_SKIP_BUILD=1 BENCH_SKIP_VITALS=1 PLAYWRIGHT_CHROMIUM_PATH=/usr/bin/chromium
//
// The build is skipped when every dist/*.js is newer than src/ and the build's configs (BENCH_BUILD=1
// forces it; BENCH_SKIP_BUILD=1 never builds).
//
// BENCH_ONLY=startup runs only the startup part (about 3 min; plus ~20 s when it has to build) and
// writes latest-startup.md/.json. BENCH_ONLY takes a comma list of parts: startup, events,
// vitals (default: all). Startup knobs: BENCH_STARTUP_ROUNDS=15 (startup visits are short and noisy:
// rounds beyond BENCH_ROUNDS trace startup only; the notes pair each round's visits, which run back
// to back, against twilight-tracker's), BENCH_STARTUP_IDLE_MS=500 (the idle window that ends
// "before first idle"), BENCH_STARTUP_TRACE_MS=1800 (traced time from navigation; doubled for a
// visit whose page was not idle by then), BENCH_STARTUP_SETTLE_MS=200 (wait in a fresh context
// before the traced navigation).
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { buildPeers } from './buildPeers.mjs';
import { launchChromium, localContext } from './browser.mjs';
import { startBenchServer } from './server.mjs';
import { startupRound, warmUp } from './startup.mjs';
import { median } from './stats.mjs';
import { libNotes, libTable } from './table.mjs';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const RESULTS = path.join(ROOT, 'bench/results');
const env = (k, d) => (process.env[k] ? Number(process.env[k]) : d);
const C = {
  rounds: env('BENCH_ROUNDS', 5),
  // Startup visits are short and noisy: more rounds of them (the first BENCH_ROUNDS with the rest).
  startupRounds: env('BENCH_STARTUP_ROUNDS', 15),
  events: env('BENCH_EVENTS', 10000),
  chunk: env('BENCH_CHUNK', 10),
  steady: env('BENCH_STEADY', 500),
  steadyPerTick: 50,
  steadyTickMs: 100,
  nav: env('BENCH_NAV', 50),
  throttle: env('BENCH_THROTTLE', 4),
  burstMaxMs: env('BENCH_BURST_MAX_MS', 2000),
  bursts: (process.env.BENCH_BURSTS || 'hook1,hook4,track1').split(','),
  // A peer's hook path is its track() behind a one-line forwarder: track() bursts only for these.
  trackLibs: (process.env.BENCH_TRACK_LIBS || 'twilight').split(','),
  vitalsRuns: env('BENCH_VITALS_RUNS', 7),
  libs: (process.env.BENCH_LIBS || 'baseline,twilight,snowplow,segment,jitsu').split(','),
  parts: (process.env.BENCH_ONLY || 'startup,events,vitals').split(','),
  startupIdleMs: env('BENCH_STARTUP_IDLE_MS', 500),
  startupTraceMs: env('BENCH_STARTUP_TRACE_MS', 1800),
  startupSettleMs: env('BENCH_STARTUP_SETTLE_MS', 200),
};
for (const p of C.parts)
  if (!['startup', 'events', 'vitals'].includes(p)) throw new Error(`BENCH_ONLY: unknown part "${p}"`);
if (process.env.BENCH_SKIP_VITALS) C.parts = C.parts.filter((p) => p !== 'vitals');
const part = (p) => C.parts.includes(p);
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
const log = (...a) => console.log(...a);
const vlog = process.env.BENCH_VERBOSE ? log : () => {};

/** Wait until the collector has been quiet for `quietMs` (after at least `minMs`), or `until()` holds. */
async function settle(collector, { quietMs = 300, minMs = 0, maxMs = 5000, until } = {}) {
  const t0 = Date.now();
  for (;;) {
    const now = Date.now();
    if (until && until()) return { ms: now - t0, timedOut: false };
    if (now - t0 >= minMs && now - collector.snapshot().lastAt >= quietMs)
      return { ms: now - t0, timedOut: false };
    if (now - t0 >= maxMs) return { ms: now - t0, timedOut: true };
    await sleep(25);
  }
}

async function heapAfterGc(cdp) {
  await cdp.send('HeapProfiler.collectGarbage');
  await cdp.send('HeapProfiler.collectGarbage');
  return (await cdp.send('Runtime.getHeapUsage')).usedSize;
}

async function taskSeconds(cdp) {
  const { metrics } = await cdp.send('Performance.getMetrics');
  return metrics.find((m) => m.name === 'TaskDuration').value;
}

/** Open the library's bench page in a fresh context; returns {context, page, cdp, load, served}. */
async function openVisit(browser, server, lib, blocked) {
  const context = await localContext(browser, blocked);
  const page = await context.newPage();
  const cdp = await context.newCDPSession(page);
  server.takeServed();
  const load = await openLib(page, server, lib);
  return { context, page, cdp, load, served: server.takeServed() };
}

async function openLib(page, server, lib) {
  await page.goto(`${server.url}/page?lib=${lib}`);
  await page.waitForFunction(() => window.__bench && (window.__bench.loaded || window.__bench.error), null, {
    timeout: 20000,
  });
  const b = await page.evaluate(() => ({ loaded: window.__bench.loaded, error: window.__bench.error }));
  if (b.error) throw new Error(`${lib}: ${b.error}`);
  return b.loaded;
}

/**
 * One burst in a fresh page (what a library left queued from an earlier burst cannot weigh on the
 * next): `via` hook or track(), at `rate`× CPU; heap growth measured around the 1× hook burst.
 */
async function burstVisit(browser, server, lib, key, blocked) {
  const { collector } = server;
  const [, via, r4] = /^(hook|track)(\d+)$/.exec(key);
  const rate = r4 === '1' ? 1 : C.throttle;
  const v = await openVisit(browser, server, lib, blocked);
  const { page, cdp } = v;
  try {
    await cdp.send('Performance.enable');
    await settle(collector, { quietMs: 200, maxMs: 2000 });
    const heap0 = key === 'hook1' ? await heapAfterGc(cdp) : 0;
    await page.evaluate(([n, v]) => window.__bench.prepare(n, 40000, v), [C.events, via]);
    await cdp.send('Emulation.setCPUThrottlingRate', { rate });
    collector.reset();
    const task0 = await taskSeconds(cdp);
    const b = await page.evaluate(
      ([chunk, v, max]) => window.__bench.burst(chunk, v, max),
      [C.chunk, via, C.burstMaxMs],
    );
    const sl = await settle(collector, { quietMs: 300, minMs: 300, maxMs: 1500 });
    const task1 = await taskSeconds(cdp);
    const lt = await page.evaluate(
      (start) => window.__bench.longTasks.filter((t) => t.start >= start),
      b.start,
    );
    const stats = await page.evaluate(() => (window.twilightTracker ? window.twilightTracker.stats() : null));
    await cdp.send('Emulation.setCPUThrottlingRate', { rate: 1 });
    const r = {
      done: b.done,
      syncUs: (b.syncMs * 1000) / b.done,
      medianUs: b.medianUs,
      mainUs: ((task1 - task0) * 1e6) / b.done,
      longTasks: lt.length,
      longestMs: lt.reduce((m, t) => Math.max(m, t.duration), 0),
      isolated: b.isolated,
      settleMs: sl.ms,
      requests: collector.snapshot().requests,
      stats,
    };
    if (key === 'hook1') r.heapGrowth = (await heapAfterGc(cdp)) - heap0;
    // Files fetched after load (lazily loaded parts of a library) count too.
    return { load: v.load, served: v.served.concat(server.takeServed()), burst: r };
  } finally {
    await v.context.close();
  }
}

/**
 * A steady stream counted at the collector; then track N events and leave at once, count what
 * arrived, and what the next page with the library delivered on top (unique events, duplicates).
 */
async function steadyNavVisit(browser, server, lib, blocked) {
  const { collector } = server;
  const v = await openVisit(browser, server, lib, blocked);
  const { page } = v;
  try {
    await settle(collector, { quietMs: 300, maxMs: 3000 });
    collector.reset();
    await page.evaluate((c) => window.__bench.steady(c.steady, c.steadyPerTick, c.steadyTickMs, 20000), C);
    const st = await settle(collector, {
      quietMs: 2200,
      maxMs: 10000,
      until: () => collector.snapshot().unique >= C.steady,
    });
    await settle(collector, { quietMs: 300, maxMs: 2000 }); // a batch already on its way
    const steady = { ...collector.snapshot(), waitedMs: st.ms, timedOut: st.timedOut };

    collector.reset();
    await Promise.all([
      page.waitForURL('**/blank', { timeout: 10000 }),
      page
        .evaluate(([n, url]) => window.__bench.navAway(n, url, 90000), [C.nav, server.url + '/blank'])
        .catch(() => {}),
    ]);
    const until = () => collector.snapshot().unique >= C.nav;
    await settle(collector, { quietMs: 1000, maxMs: 5000, until });
    const received = collector.snapshot().unique;
    await openLib(page, server, lib);
    // Any real next page tracks something (a page view); some queues only resend on a new event.
    await page.evaluate(() => window.__bench.lib.track('Page Viewed', { path: location.pathname }));
    await settle(collector, { quietMs: 2200, maxMs: 6000, until });
    const end = collector.snapshot();
    return {
      load: v.load,
      served: v.served.concat(server.takeServed()),
      steady,
      nav: { received, recovered: end.unique - received, duplicates: end.bench - end.unique },
    };
  } finally {
    await v.context.close();
  }
}

/**
 * All visits of one library in one round: its startup visit (made earlier in the round, or null) and,
 * unless BENCH_ONLY leaves them out, its event visits. Library bytes: every file any of them fetched.
 */
async function libRound(browser, server, lib, blocked, startup, events) {
  const r = { lib, loads: [], bursts: {}, startup: startup ? startup.startup : null };
  const served = new Map();
  for (const f of startup ? startup.served : []) served.set(f.path, f);
  const files = () => {
    r.files = [...served.keys()];
    r.gzip = [...served.values()].reduce((a, f) => a + f.gzip, 0);
    r.raw = [...served.values()].reduce((a, f) => a + f.raw, 0);
  };
  if (!events) {
    files();
    return r;
  }
  const keep = (x) => {
    r.loads.push(x.load);
    for (const f of x.served) served.set(f.path, f);
  };
  for (const key of C.bursts) {
    if (key.startsWith('track') && !C.trackLibs.includes(lib)) continue;
    const x = await burstVisit(browser, server, lib, key, blocked);
    keep(x);
    r.bursts[key] = x.burst;
    if (x.burst.heapGrowth !== undefined) r.heapGrowth = x.burst.heapGrowth;
    vlog(`    ${lib} ${key}`, x.burst);
  }
  const x = await steadyNavVisit(browser, server, lib, blocked);
  keep(x);
  r.steady = x.steady;
  r.nav = x.nav;
  vlog(`    ${lib} steady`, x.steady, x.nav);
  files();
  r.evalMs = median(r.loads.map((l) => l.evalMs));
  return r;
}

/** Is every dist/*.js newer than every input of the build (src/, configs, lockfile)? */
function buildIsFresh() {
  const mtimes = (p) => {
    const st = fs.statSync(p, { throwIfNoEntry: false });
    if (!st) return [];
    if (!st.isDirectory()) return [st.mtimeMs];
    return fs.readdirSync(p).flatMap((f) => mtimes(path.join(p, f)));
  };
  const dist = path.join(ROOT, 'dist');
  const outs = fs.existsSync(dist)
    ? fs
        .readdirSync(dist)
        .filter((f) => f.endsWith('.js'))
        .flatMap((f) => mtimes(path.join(dist, f)))
    : [];
  if (!outs.length || !fs.existsSync(path.join(dist, 'tracker.js'))) return false;
  const ins = ['src', 'rollup.config.mjs', 'package.json', 'package-lock.json', 'tsconfig.json'].flatMap(
    (f) => mtimes(path.join(ROOT, f)),
  );
  return Math.min(...outs) > Math.max(...ins);
}

function machine(browserVersion) {
  return {
    date: new Date().toISOString(),
    cpus: os.cpus().length,
    cpuModel: os.cpus()[0] && os.cpus()[0].model,
    loadavg: os.loadavg().map((x) => Math.round(x * 100) / 100),
    node: process.version,
    chromium: (process.env.PLAYWRIGHT_CHROMIUM_PATH ? '' : 'Debian ') + 'Chromium ' + browserVersion,
    os: `${os.type()} ${os.release()}`,
  };
}

/** The startup figures of each round, with the baseline page's subtracted where asked for. */
function startupFigures(rounds) {
  const base = new Map(
    rounds.filter((r) => r.lib === 'baseline' && r.startup).map((r) => [r.round, r.startup]),
  );
  for (const r of rounds) {
    const s = r.startup;
    if (!s) continue;
    const b = base.get(r.round);
    s.addedMainMs = b ? s.mainMs - b.mainMs : null;
    s.addedMainCpuMs = b ? s.mainCpuMs - b.mainCpuMs : null;
  }
}

/** Per library: the median of each metric across rounds (load times: across every visit). */
function summarize(rounds) {
  startupFigures(rounds);
  const by = {};
  for (const r of rounds) (by[r.lib] = by[r.lib] || []).push(r);
  const out = {};
  for (const [lib, rs] of Object.entries(by)) {
    const m = (f) => median(rs.map(f));
    const s = {
      rounds: rs.length,
      gzip: m((r) => r.gzip),
      raw: m((r) => r.raw),
      files: rs[0].files,
    };
    if (rs[0].startup) {
      const st = (f) => m((r) => (r.startup ? r.startup[f] : null));
      s.startup = Object.fromEntries(
        [
          'startMs',
          'startCpuMs',
          'evalCompileMs',
          'evalCompileCpuMs',
          'createMs',
          'createCpuMs',
          'mainMs',
          'mainCpuMs',
          'addedMainMs',
          'addedMainCpuMs',
          'callbacksMs',
          'callbacksCpuMs',
          'backgroundParseCpuMs',
          'loadMs',
          'idleMs',
          'initInPageMs',
        ].map((f) => [f, st(f)]),
      );
      s.startup.rounds = rs.filter((r) => r.startup).length;
      s.startup.idleFound = rs.filter((r) => r.startup && r.startup.idleFound).length;
      s.startup.files = rs[0].startup.files;
    }
    if (rs[0].steady) {
      // (the rounds with events: the first BENCH_ROUNDS)
      const ev = rs.filter((r) => r.steady);
      s.rounds = ev.length;
      Object.assign(
        s,
        eventSummary(ev, (f) => median(ev.map(f))),
      );
    }
    out[lib] = s;
  }
  return out;
}

/** The event part's medians for one library. */
function eventSummary(rs, m) {
  const loads = rs.flatMap((r) => r.loads);
  // Per 1,000 events delivered (a library that drops events is not credited for the bytes it saved).
  const per1000 = (x) => (r) => (r.steady.unique ? (x(r.steady) * 1000) / r.steady.unique : null);
  return {
    evalMs: median(loads.map((l) => l.evalMs)),
    readyMs: median(loads.map((l) => l.readyMs)),
    visits: loads.length,
    delivered: m((r) => r.steady.unique),
    requestsPer1000: m(per1000((s) => s.requests)),
    eventsPerRequest: m((r) => (r.steady.requests ? r.steady.bench / r.steady.requests : null)),
    // Steady state: the median request of the stream (the first and last requests carry its edges).
    medianPerRequest: m((r) => (r.steady.sizes.length ? median(r.steady.sizes) : null)),
    bodyBytesPer1000: m(per1000((s) => s.bodyBytes)),
    wireBytesPer1000: m(per1000((s) => s.wireBytes)),
    preflightsPer1000: m(per1000((s) => s.preflights)),
    navReceived: m((r) => r.nav.received),
    navRecovered: m((r) => r.nav.recovered),
    navDuplicates: m((r) => r.nav.duplicates),
    heapGrowth: m((r) => r.heapGrowth ?? null),
    bursts: Object.fromEntries(
      Object.keys(rs[0].bursts).map((k) => [
        k,
        Object.fromEntries(
          ['done', 'syncUs', 'medianUs', 'mainUs', 'longTasks', 'longestMs', 'settleMs'].map((f) => [
            f,
            m((r) => (r.bursts[k] ? r.bursts[k][f] : null)),
          ]),
        ),
      ]),
    ),
    isolated: rs.every((r) => Object.values(r.bursts).every((b) => b.isolated)),
  };
}

async function main() {
  const started = Date.now();
  fs.mkdirSync(RESULTS, { recursive: true });
  const buildDir = path.join(RESULTS, 'build');
  if (!process.env.BENCH_SKIP_BUILD && !process.env.BENCH_BUILD && buildIsFresh()) {
    log('bench: dist/ is newer than src/ and the build config, not rebuilding (BENCH_BUILD=1 forces it)');
  } else if (!process.env.BENCH_SKIP_BUILD) {
    log('bench: building (npx rollup -c --silent) and bundling peers …');
    const b = spawnSync('npx', ['rollup', '-c', '--silent'], { cwd: ROOT, stdio: 'inherit' });
    if (b.status !== 0) throw new Error('build failed');
  }
  await buildPeers(buildDir);

  const server = await startBenchServer({ root: ROOT, buildDir });
  const browser = await launchChromium();
  const blocked = [];
  const rounds = [];
  const info = machine(browser.version());
  let vitals = null;
  // The web-vitals part needs the demo storefront; a run without it does not load it.
  const vitalsPart = part('vitals') ? await import('./vitals.mjs') : null;
  try {
    log(
      `bench: ${C.rounds} rounds × [${C.libs.join(', ')}], parts: ${C.parts.join(', ')}` +
        (part('events') ? `; ${C.events} events per burst, chunks of ${C.chunk}` : ''),
    );
    const opts = { settleMs: C.startupSettleMs, traceMs: C.startupTraceMs, idleMs: C.startupIdleMs };
    if (part('startup')) await warmUp(browser, server, C.libs[0], blocked);
    const eventRounds = part('events') ? C.rounds : 0;
    const startupRounds = part('startup') ? Math.max(C.rounds, C.startupRounds) : 0;
    for (let i = 0; i < Math.max(eventRounds, startupRounds); i++) {
      const order = C.libs.slice(i % C.libs.length).concat(C.libs.slice(0, i % C.libs.length));
      // Startup visits of a round back to back, so each library's is close in time to the
      // baseline's.
      let startups = {};
      if (i < startupRounds) {
        const t = Date.now();
        startups = await startupRound(browser, server, order, blocked, opts, i + 1);
        for (const lib of order) {
          const st = startups[lib].startup;
          log(
            `  round ${i + 1} ${lib.padEnd(9)} startup: evaluate+compile+create ${st.startMs.toFixed(1)} ms ` +
              `(CPU ${st.startCpuMs.toFixed(1)}), main thread before first idle ${st.mainMs.toFixed(1)} ms ` +
              `(CPU ${st.mainCpuMs.toFixed(1)}), idle at ${st.idleFound ? st.idleMs.toFixed(0) + ' ms' : 'none seen'}` +
              (st.attempts > 1 ? ` (visit ${st.attempts})` : ''),
          );
        }
        log(`  round ${i + 1} startup visits: ${((Date.now() - t) / 1000).toFixed(1)} s`);
      }
      for (const lib of order) {
        const t = Date.now();
        const r = await libRound(browser, server, lib, blocked, startups[lib], i < eventRounds);
        r.round = i;
        rounds.push(r);
        if (i >= eventRounds) continue;
        const b = r.bursts;
        log(
          `  round ${i + 1} ${lib.padEnd(9)} ${String(r.gzip).padStart(6)} B gz, eval ${r.evalMs.toFixed(1)} ms, ` +
            `hook ${b.hook1 ? b.hook1.syncUs.toFixed(2) : '—'}/${b.hook4 ? b.hook4.syncUs.toFixed(2) : '—'} µs, ` +
            `steady ${r.steady.requests} req/${r.steady.unique} ev, nav ${r.nav.received}+${r.nav.recovered} ` +
            `(${((Date.now() - t) / 1000).toFixed(1)} s)`,
        );
      }
    }
    if (part('vitals')) {
      log(
        `bench: web vitals on the demo storefront /p/101, ${C.vitalsRuns} runs with and without the tracker …`,
      );
      vitals = await vitalsPart.runVitals({ browser, runs: C.vitalsRuns, blocked, log });
    }
  } finally {
    await browser.close();
    await server.close();
  }

  const summary = summarize(rounds);
  info.loadavgAfter = os.loadavg().map((x) => Math.round(x * 100) / 100);
  info.seconds = Math.round((Date.now() - started) / 1000);
  const md = [
    `# twilight-tracker bench — ${info.date.slice(0, 10)}`,
    '',
    `Machine: ${info.cpus} × ${info.cpuModel}, ${info.os}, Node ${info.node}, ${info.chromium} (headless). ` +
      `Load average ${info.loadavg.join(' / ')} before, ${info.loadavgAfter.join(' / ')} after; ${info.seconds} s in all.`,
    '',
    rounds.length ? libTable(summary, C) + '\n\n' + libNotes(summary, C, rounds) : '',
    vitals ? '\n' + vitalsPart.vitalsTable(vitals) : '',
    blocked.length
      ? `\nBlocked non-local requests: ${blocked.length} (${[...new Set(blocked)].slice(0, 5).join(', ')})`
      : '\nBlocked non-local requests: none.',
  ].join('\n');
  log('\n' + md);
  const tw = summary.twilight;
  if (tw && part('events') && tw.delivered < C.steady)
    log(`\nbench: WARNING twilight-tracker delivered ${tw.delivered} of ${C.steady} steady events`);
  if (blocked.length)
    log(`\nbench: WARNING ${blocked.length} request(s) to non-local hosts were attempted (blocked)`);
  const stamp = info.date.replace(/[:.]/g, '-');
  const json = JSON.stringify({ machine: info, config: C, summary, vitals, rounds, blocked }, null, 2);
  // A run of only some parts (BENCH_ONLY) does not overwrite the full run's latest.md.
  const suffix = process.env.BENCH_ONLY ? '-' + C.parts.join('+') : '';
  for (const name of [`bench-${stamp}${suffix}`, 'latest' + suffix]) {
    fs.writeFileSync(path.join(RESULTS, name + '.md'), md + '\n');
    fs.writeFileSync(path.join(RESULTS, name + '.json'), json + '\n');
  }
  log(`\nbench: wrote bench/results/latest${suffix}.md and latest${suffix}.json (${info.seconds} s)`);
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
