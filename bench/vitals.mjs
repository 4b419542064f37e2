// Core Web Vitals on the demo storefront's product page (/p/101), with and without the tracker,
// interleaved: LCP, FCP, CLS, TTFB and INP (from a scripted add-to-cart click) measured by the
// `web-vitals` library injected before any page script, and total blocking time from long tasks.
//
//   node bench/vitals.mjs      (env BENCH_VITALS_RUNS=7; `npm run bench` runs it too)
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { startServer } from '../demo/server.mjs';
import { launchChromium, localContext } from './browser.mjs';
import { iqr, median } from './stats.mjs';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const WEB_VITALS = path.join(ROOT, 'node_modules/web-vitals/dist/web-vitals.iife.js');
const VERSION = JSON.parse(
  fs.readFileSync(path.join(ROOT, 'node_modules/web-vitals/package.json'), 'utf8'),
).version;
/** Long tasks are summed from FCP to this long after the click (covers the tracker's 2 s flush). */
const AFTER_CLICK_MS = 2500;
const METRICS = [
  ['LCP', 'ms', 0],
  ['FCP', 'ms', 0],
  ['CLS', '', 3],
  ['INP', 'ms', 0],
  ['TBT', 'ms', 0],
  ['TTFB', 'ms', 1],
];

/** Runs in the page before its scripts, right after web-vitals' IIFE defined `webVitals`. */
function observe() {
  const v = (window.__vitals = { m: {}, longTasks: [] });
  new PerformanceObserver((l) => {
    for (const e of l.getEntries()) v.longTasks.push({ start: e.startTime, duration: e.duration });
  }).observe({ type: 'longtask', buffered: true });
  const put = (m) => (v.m[m.name] = m.value);
  for (const on of ['onLCP', 'onFCP', 'onCLS', 'onINP', 'onTTFB'])
    window.webVitals[on](put, { reportAllChanges: true });
}

async function oneRun(browser, base, withTracker, blocked) {
  const context = await localContext(browser, blocked);
  // With the tracker the demo adds debug logging and its live event panel (panel.js + panel.css, not
  // part of the library); a store ships neither, so both arms get the page without them.
  await context.route(
    (u) => u.pathname === '/p/101',
    async (route) => {
      const res = await route.fetch();
      const html = (await res.text())
        .replace('data-debug="true"', 'data-debug="false"')
        .replace(/<script src="\/assets\/panel\.js"><\/script>\n?/, '')
        .replace(/\n?<link rel="stylesheet" href="\/assets\/panel\.css">/, '');
      await route.fulfill({ response: res, body: html });
    },
  );
  // Playwright runs an init script in its own function scope: publish the IIFE's `webVitals` global.
  await context.addInitScript({
    content: fs.readFileSync(WEB_VITALS, 'utf8') + ';window.webVitals = webVitals;',
  });
  await context.addInitScript(observe);
  const page = await context.newPage();
  try {
    await page.goto(`${base}/p/101?${withTracker ? 'wk=vitals' : 'tracker=0'}`, { waitUntil: 'load' });
    await page.waitForFunction(
      (t) =>
        window.Salla &&
        window.Salla.status === 'ready' &&
        (!t || (window.twilightTracker && window.twilightTracker.stats)),
      withTracker,
      { timeout: 15000 },
    );
    await page
      .waitForFunction(() => window.__vitals.m.LCP !== undefined, null, { timeout: 5000 })
      .catch(() => {});
    const before = await page.evaluate(() => (window.__demoActions || []).length);
    await page.click('[data-action=add][data-product="101"]');
    await page.waitForFunction((n) => (window.__demoActions || []).length > n, before, { timeout: 8000 });
    await page
      .waitForFunction(() => window.__vitals.m.INP !== undefined, null, { timeout: 3000 })
      .catch(() => {});
    await page.waitForTimeout(AFTER_CLICK_MS);
    return await page.evaluate((t) => {
      const v = window.__vitals;
      const fcp = v.m.FCP || 0;
      const tbt = v.longTasks
        .filter((x) => x.start >= fcp)
        .reduce((s, x) => s + Math.max(0, x.duration - 50), 0);
      const action = window.__demoActions[window.__demoActions.length - 1];
      return {
        ...v.m,
        TBT: tbt,
        longTasks: v.longTasks.length,
        added: !!(action && action.ok),
        stripped: !document.querySelector('[src*="panel.js"], [href*="panel.css"], [data-debug="true"]'),
        tracker: t ? window.twilightTracker.stats() : null,
      };
    }, withTracker);
  } finally {
    await context.close();
  }
}

/** `runs` interleaved pairs (the order alternates) on one browser; returns per-arm runs and medians. */
export async function runVitals({ browser, runs = 5, blocked = [], log = () => {} }) {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'tt-vitals-'));
  const server = await startServer({ port: 0, dataDir });
  const base = server.url.replace(/\/$/, '');
  const arms = { without: [], with: [] };
  const reported = {};
  try {
    for (let i = 0; i < runs; i++) {
      for (const on of i % 2 ? [true, false] : [false, true]) {
        const r = await oneRun(browser, base, on, blocked);
        if (!r.stripped || !r.added || (on && !r.tracker))
          throw new Error('vitals: unexpected page state ' + JSON.stringify(r));
        arms[on ? 'with' : 'without'].push(r);
        log(
          `  vitals run ${i + 1} ${on ? 'with   ' : 'without'} tracker: ` +
            METRICS.map(([k, , d]) => `${k} ${r[k] === undefined ? '—' : r[k].toFixed(d)}`).join(', '),
        );
      }
    }
    // The tracker's own "Web Vital Measured" events that reached the demo collector, by metric.
    const got = await (await fetch(`${base}/collector/events.json?writeKey=vitals`)).json();
    for (const { event: e } of got.events) {
      if (e && e.event === 'Web Vital Measured')
        reported[e.properties.metric] = (reported[e.properties.metric] || 0) + 1;
    }
  } finally {
    await server.close();
    fs.rmSync(dataDir, { recursive: true, force: true });
  }
  const summary = {};
  for (const [k] of METRICS) {
    const a = arms.without.map((r) => r[k] ?? null);
    const b = arms.with.map((r) => r[k] ?? null);
    const noise = Math.max(iqr(a) ?? 0, iqr(b) ?? 0);
    const delta = median(b) === null || median(a) === null ? null : median(b) - median(a);
    // The runs are interleaved pairs: in how many pairs was the tracker arm higher (worse)?
    const pairs = a.map((x, i) => (x === null || b[i] === null ? null : b[i] - x)).filter((d) => d !== null);
    summary[k] = {
      higherInPairs: pairs.filter((d) => d > 0).length,
      pairs: pairs.length,
      without: median(a),
      with: median(b),
      iqrWithout: iqr(a),
      iqrWith: iqr(b),
      delta,
      noise,
      beyondNoise: delta !== null && Math.abs(delta) > noise,
    };
  }
  return { runs, arms, summary, reported, afterClickMs: AFTER_CLICK_MS };
}

/** Markdown table of a runVitals() result. */
export function vitalsTable(v) {
  const f = (x, d) => (x === null || x === undefined ? '—' : x.toFixed(d));
  const out = [
    `| Web vital on /p/101 (median of ${v.runs} runs, [IQR]) | without tracker | with tracker | Δ | beyond run noise? | pairs where tracker arm was higher |`,
    '|---|---:|---:|---:|---|---:|',
  ];
  for (const [k, unit, d] of METRICS) {
    const s = v.summary[k];
    const verdict =
      s.delta === null
        ? '—'
        : s.beyondNoise
          ? `yes (${s.delta > 0 ? 'worse' : 'better'}; noise ${f(s.noise, d)})`
          : `no (noise ${f(s.noise, d)})`;
    out.push(
      `| ${k}${unit ? ` (${unit})` : ''} | ${f(s.without, d)} [${f(s.iqrWithout, d)}] | ${f(s.with, d)} [${f(s.iqrWith, d)}] | ${s.delta === null ? '—' : (s.delta >= 0 ? '+' : '') + f(s.delta, d)} | ${verdict} | ${s.higherInPairs} of ${s.pairs} |`,
    );
  }
  out.push(
    '',
    `- web-vitals ${VERSION} injected before any page script (reportAllChanges); fresh context per run, the arms alternate. ` +
      `INP is from one scripted click on "Add to cart"; TBT = Σ (long task − 50 ms) from FCP to ${v.afterClickMs} ms after the click. ` +
      '"Beyond run noise" = |Δ of the medians| > the larger IQR of the two arms. The demo\'s debug logging and live event panel ' +
      '(not part of the library) are removed from the page in both arms.',
    `- The tracker's own "Web Vital Measured" events received by the demo collector over the ${v.runs} tracker runs: ` +
      (Object.entries(v.reported || {})
        .map(([k, n]) => `${k} ${n}`)
        .join(', ') || 'none') +
      ' (a run ends without hiding the page, so values reported on hide are not sent).',
  );
  return out.join('\n');
}

if (process.argv[1] && import.meta.url === pathToFileURL(path.resolve(process.argv[1])).href) {
  const browser = await launchChromium();
  try {
    const v = await runVitals({
      browser,
      runs: Number(process.env.BENCH_VITALS_RUNS) || 7,
      log: console.log,
    });
    console.log('\n' + vitalsTable(v));
  } finally {
    await browser.close();
  }
}
