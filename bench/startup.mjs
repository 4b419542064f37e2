// Startup cost of each library, from a Chromium trace of a cold page load: bench/run.mjs runs one
// visit per library per round, the visits of a round back to back, each traced on its own. The page
// (bench/server.mjs `/startup`) is a small storefront-like document: the Twilight-like bus, the
// library's script tag(s) in <head> with its default options and its init call in its own file
// (bench/pages/startup-init.js), nothing else heavy. Each visit is a fresh context (nothing cached,
// fresh storage), whose renderer is started on an empty same-origin page before the trace begins.
//
// Trace categories: devtools.timeline (EvaluateScript, v8.compile, v8.parseOnBackground, FunctionCall,
// MarkLoad, TimeStamp), disabled-by-default-devtools.timeline (RunTask: every main-thread task) and
// blink.user_timing (navigationStart). Durations are read twice: `dur` (wall clock, what DevTools
// shows) and `tdur` (the thread's CPU time, which leaves out the time the thread waited for a core —
// on a small shared machine the steadier of the two).
//
// Per visit, on the page's renderer main thread, from navigationStart to the end of the visit (a
// console.timeStamp the bench makes once the page has had `traceMs`):
// - evaluate + compile + create: the EvaluateScript and v8.compile events whose URL is one of the
//   files the library's page fetched (the same files "gzip bytes" counts, lazy ones included), plus
//   the EvaluateScript of bench/pages/startup-init.js, which makes the library's creation/init call
//   (twilight-tracker creates itself while its script tag evaluates, so its create is in its
//   evaluate). Nested events are counted once.
// - main thread before first idle: every task (RunTask) from navigationStart to the first moment after
//   the load event from which the thread stays without a task for `idleMs`.
// - background parse (off the main thread) and the library's own later callbacks (FunctionCall events
//   in its files, before first idle) are kept alongside.
import { localContext } from './browser.mjs';

export const STARTUP_CATEGORIES = [
  'devtools.timeline',
  'disabled-by-default-devtools.timeline',
  'blink.user_timing',
];

const INIT_SCRIPT = '/bench/startup-init.js';
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
const pathOf = (u) => {
  try {
    return new URL(u).pathname;
  } catch {
    return null;
  }
};
const navUrl = (e) => String((e.args && e.args.data && e.args.data.documentLoaderURL) || '');
/** A trace that missed part of a visit (the visit is taken again). */
class TraceIncomplete extends Error {}

const isComplete = (e) => e.ph === 'X' && typeof e.dur === 'number';

/** Events not nested in an earlier one of the list (sorted by start), with their wall and CPU sums. */
function outermost(events) {
  const list = events.slice().sort((a, b) => a.ts - b.ts || b.dur - a.dur);
  const kept = [];
  let end = -Infinity;
  for (const e of list) {
    if (e.ts >= end) {
      kept.push(e);
      end = e.ts + e.dur;
    } else if (e.ts + e.dur > end) {
      // Overlapping without nesting (does not happen on one thread); count the part outside.
      kept.push({ ...e, ts: end, dur: e.ts + e.dur - end, tdur: 0 });
      end = e.ts + e.dur;
    }
  }
  return {
    events: kept,
    ms: kept.reduce((a, e) => a + e.dur, 0) / 1000,
    cpuMs: kept.reduce((a, e) => a + (e.tdur || 0), 0) / 1000,
  };
}

/**
 * Startup figures from one trace (`traceEvents`) of a navigation to `pageUrlPart`, the library's files
 * given by URL path (`libPaths`).
 */
export function analyzeStartup(traceEvents, { pageUrlPart, endMark, libPaths, idleMs = 500 }) {
  const nav = traceEvents.find((e) => e.name === 'navigationStart' && navUrl(e).includes(pageUrlPart));
  if (!nav) throw new TraceIncomplete(`startup trace: no navigationStart for ${pageUrlPart}`);
  const { pid, tid } = nav;
  const t0 = nav.ts;
  const end = traceEvents.find(
    (e) =>
      e.name === 'TimeStamp' && e.pid === pid && e.args && e.args.data && e.args.data.message === endMark,
  );
  if (!end) throw new TraceIncomplete(`startup trace: no end mark for ${pageUrlPart}`);
  const traceEnd = end.ts;
  const main = traceEvents.filter((e) => e.pid === pid && e.tid === tid && e.ts < traceEnd);
  const marks = main.filter((e) => e.name === 'MarkLoad' && e.ts >= t0).sort((a, b) => a.ts - b.ts);
  const mainLoad = marks.find((e) => e.args && e.args.data && e.args.data.isOutermostMainFrame !== false);
  const loadTs = mainLoad ? mainLoad.ts : null;

  // Main-thread tasks from navigationStart, merged into busy periods; the first idle window after load.
  const tasks = outermost(main.filter((e) => e.name === 'RunTask' && isComplete(e) && e.ts + e.dur > t0));
  const busy = tasks.events;
  let idleTs = null;
  for (let i = 0; i < busy.length; i++) {
    const end = busy[i].ts + busy[i].dur;
    if (loadTs === null || end < loadTs) continue;
    const next = i + 1 < busy.length ? busy[i + 1].ts : traceEnd;
    if (next - end >= idleMs * 1000) {
      idleTs = end;
      break;
    }
  }
  const until = idleTs ?? traceEnd;
  let taskMs = 0;
  let taskCpuMs = 0;
  for (const e of busy) {
    if (e.ts >= until) break;
    const from = Math.max(e.ts, t0);
    const to = Math.min(e.ts + e.dur, until);
    if (to <= from) continue;
    taskMs += (to - from) / 1000;
    // CPU time is only known for a whole task: pro rata for a task cut at navigationStart.
    taskCpuMs += ((e.tdur || 0) * (to - from)) / e.dur / 1000;
  }

  const lib = new Set(libPaths);
  const urlOf = (e) => e.args && e.args.data && pathOf(e.args.data.url);
  // A file loaded lazily after the first idle still counts for (a), as long as the trace caught it.
  const traced = (e) => e.ts >= t0 && e.ts < traceEnd;
  const beforeIdle = (e) => e.ts >= t0 && e.ts < until;
  const script = main.filter(
    (e) =>
      isComplete(e) &&
      traced(e) &&
      (e.name === 'EvaluateScript' || e.name === 'v8.compile') &&
      lib.has(urlOf(e)),
  );
  const init = main.filter(
    (e) => isComplete(e) && traced(e) && e.name === 'EvaluateScript' && urlOf(e) === INIT_SCRIPT,
  );
  const evalCompile = outermost(script);
  const create = outermost(init);
  const both = outermost([...script, ...init]);
  const callbacks = outermost(
    main.filter((e) => isComplete(e) && beforeIdle(e) && e.name === 'FunctionCall' && lib.has(urlOf(e))),
  );
  // Off the main thread: streaming parse/compile of the library's files (any thread of the renderer).
  const background = traceEvents.filter(
    (e) =>
      e.pid === pid &&
      e.tid !== tid &&
      e.name === 'v8.parseOnBackground' &&
      isComplete(e) &&
      lib.has(urlOf(e)),
  );
  const ms = (x) => Math.round(x * 1000) / 1000;
  return {
    loadMs: loadTs === null ? null : ms((loadTs - t0) / 1000),
    idleMs: idleTs === null ? null : ms((idleTs - t0) / 1000),
    idleFound: idleTs !== null,
    traceMs: ms((traceEnd - t0) / 1000),
    tasks: busy.filter((e) => e.ts < until).length,
    // (b) all main-thread task time before first idle
    mainMs: ms(taskMs),
    mainCpuMs: ms(taskCpuMs),
    // (a) evaluate + compile of the library's files, plus its create/init call
    evalCompileMs: ms(evalCompile.ms),
    evalCompileCpuMs: ms(evalCompile.cpuMs),
    createMs: ms(create.ms),
    createCpuMs: ms(create.cpuMs),
    startMs: ms(both.ms),
    startCpuMs: ms(both.cpuMs),
    callbacksMs: ms(callbacks.ms),
    callbacksCpuMs: ms(callbacks.cpuMs),
    backgroundParseCpuMs: ms(background.reduce((a, e) => a + (e.tdur || 0), 0) / 1000),
    scripts: [...new Set(script.map(urlOf))],
  };
}

/**
 * One cold load of the library's startup page in a fresh context, traced: the page gets `traceMs`
 * from the start of the navigation (at least 300 ms after its load event), untouched, then the bench
 * marks the end of the visit in the trace and stops tracing. `tag` makes the page's URL unique.
 */
async function tracedVisit(browser, server, lib, blocked, { settleMs, traceMs, idleMs }, tag) {
  const context = await localContext(browser, blocked);
  try {
    const page = await context.newPage();
    // Open the site's renderer process first with an empty page of the same origin, so it is running
    // (and tracing) when the measured navigation starts; a new context also makes Chromium spin up
    // its own browser-UI work for a moment: let that pass so it does not share the cores with the load.
    await page.goto(`${server.url}/blank`);
    await sleep(settleMs);
    server.takeServed();
    const url = `/startup?lib=${lib}&visit=${tag}`;
    const endMark = `bench:startup:end:${tag}`;
    let state;
    await browser.startTracing(undefined, { categories: STARTUP_CATEGORIES });
    let buf;
    try {
      const t0 = Date.now();
      await page.goto(server.url + url, { waitUntil: 'load', timeout: 20000 });
      await sleep(Math.max(300, traceMs - (Date.now() - t0)));
      state = await page.evaluate((m) => {
        console.timeStamp(m);
        return window.__startup;
      }, endMark);
    } finally {
      buf = await browser.stopTracing();
    }
    if (!state || state.error) throw new Error(`${lib} startup: ${state ? state.error : 'page did not run'}`);
    const served = server.takeServed();
    const json = JSON.parse(buf.toString('utf8'));
    const r = analyzeStartup(Array.isArray(json) ? json : json.traceEvents, {
      pageUrlPart: url,
      endMark,
      libPaths: served.map((f) => f.path),
      idleMs,
    });
    r.initInPageMs = state.initMs;
    r.files = served.map((f) => f.path);
    return { startup: r, served };
  } finally {
    await context.close();
  }
}

/**
 * The startup visits of one round, in the given order, back to back. A visit whose trace missed the
 * navigation (a renderer that joined the trace late) or whose page had not gone idle by the end is
 * taken again, with twice the time. Returns {lib: {startup, served}}.
 */
export async function startupRound(browser, server, libs, blocked, opts, round) {
  const out = {};
  for (const lib of libs) {
    let x = null;
    for (let attempt = 1; attempt <= 3 && !(x && x.startup.idleFound); attempt++) {
      const o = attempt === 1 ? opts : { ...opts, traceMs: opts.traceMs * 2 };
      try {
        x = await tracedVisit(browser, server, lib, blocked, o, `${round}-${attempt}`);
        x.startup.attempts = attempt;
      } catch (e) {
        if (!(e instanceof TraceIncomplete)) throw e;
      }
    }
    if (!x) throw new Error(`${lib} startup: no complete trace in 3 attempts`);
    out[lib] = x;
  }
  return out;
}

/** An untimed load of a startup page: the browser's first pages pay for warming its own caches. */
export async function warmUp(browser, server, lib, blocked) {
  const context = await localContext(browser, blocked);
  try {
    const page = await context.newPage();
    await page.goto(`${server.url}/blank`);
    await page.goto(`${server.url}/startup?lib=${lib}`, { waitUntil: 'load', timeout: 20000 });
    server.takeServed();
  } finally {
    await context.close();
  }
}
