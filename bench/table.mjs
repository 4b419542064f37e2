// The bench's markdown table: one row per metric, one column per library, medians across rounds,
// with the ratio against the no-library baseline where a ratio means something (the startup rows:
// against twilight-tracker, as their labels say). Rows without a figure for any library (a part left
// out with BENCH_ONLY) are left out.
import { median } from './stats.mjs';

const NAMES = {
  baseline: 'baseline (sendBeacon)',
  twilight: 'twilight-tracker',
  snowplow: 'Snowplow 4',
  segment: 'Segment a-n 1',
  jitsu: 'Jitsu 1',
};

const fmt = (v, d) =>
  v === null || v === undefined || Number.isNaN(v)
    ? '—'
    : v.toLocaleString('en-US', { maximumFractionDigits: d, minimumFractionDigits: d });

/** Markdown table of the library bench summary. */
export function libTable(summary, c) {
  const libs = c.libs.filter((l) => summary[l]);
  const base = summary.baseline;
  const t = c.throttle;
  const label = (k) =>
    `${k.startsWith('hook') ? 'SDK hook → library' : 'track()'}, ${k.endsWith('1') ? '1' : t}× CPU`;
  const burst = (k, f) => (s) => (s.bursts && s.bursts[k] ? s.bursts[k][f] : null);
  const startup = (f) => (s) => (s.startup ? s.startup[f] : null);
  const bursts = c.bursts;
  const vsTw = '× vs twilight-tracker';
  const rows = [
    ['Library gzip bytes (files the page loaded)', (s) => s.gzip, 0, false],
    ['Load: parse + execute + init (ms)', (s) => s.evalMs, 1, true],
    [`Startup: evaluate + compile + create (ms) (${vsTw})`, startup('startMs'), 1, 'twilight'],
    [`Startup: evaluate + compile + create, CPU time (ms) (${vsTw})`, startup('startCpuMs'), 1, 'twilight'],
    [
      `Startup: main-thread ms before first idle, minus baseline (${vsTw})`,
      startup('addedMainMs'),
      1,
      'twilight',
    ],
    [
      `Startup: main-thread CPU ms before first idle, minus baseline (${vsTw})`,
      startup('addedMainCpuMs'),
      1,
      'twilight',
    ],
    ...bursts.map((k) => [`µs/event sync, median of tasks, ${label(k)}`, burst(k, 'medianUs'), 1, true]),
    ...bursts.map((k) => [`µs/event sync, mean, ${label(k)}`, burst(k, 'syncUs'), 1, true]),
    ...bursts.map((k) => [`µs/event main thread incl. async work, ${label(k)}`, burst(k, 'mainUs'), 1, true]),
    ...bursts.map((k) => [`Long tasks > 50 ms, ${label(k)}`, burst(k, 'longTasks'), 0, false]),
    ...bursts.map((k) => [`Longest task (ms), ${label(k)}`, burst(k, 'longestMs'), 0, false]),
    ...bursts.map((k) => [
      `Events emitted (of ${c.events.toLocaleString('en-US')}), ${label(k)}`,
      burst(k, 'done'),
      0,
      false,
    ]),
    [`Steady stream: events delivered (of ${c.steady})`, (s) => s.delivered, 0, false],
    ['Requests per 1,000 events', (s) => s.requestsPer1000, 1, true],
    ['Events per request, mean', (s) => s.eventsPerRequest, 1, false],
    ['Events per request, median request (steady state)', (s) => s.medianPerRequest, 1, false],
    [
      'Body bytes per event',
      (s) => (s.bodyBytesPer1000 === null ? null : s.bodyBytesPer1000 / 1000),
      0,
      true,
    ],
    [
      'KB per 1,000 events, with request headers',
      (s) => (s.wireBytesPer1000 === null ? null : s.wireBytesPer1000 / 1000),
      1,
      true,
    ],
    ['CORS preflights per 1,000 events', (s) => s.preflightsPer1000, 1, false],
    [`Received after immediate navigation (of ${c.nav})`, (s) => s.navReceived, 0, false],
    ['… plus recovered by the next page with the library', (s) => s.navRecovered, 0, false],
    ['… duplicates received', (s) => s.navDuplicates, 0, false],
    [
      `Heap growth over the 1× hook burst (KB, after GC)`,
      (s) => (s.heapGrowth === null ? null : s.heapGrowth / 1024),
      0,
      true,
    ],
  ];
  const out = [
    `| Metric (median of ${base ? base.rounds : '?'} rounds${base && base.startup && base.startup.rounds !== base.rounds ? `; startup rows: ${base.startup.rounds}` : ''}) | ${libs.map((l) => NAMES[l] || l).join(' | ')} |`,
  ];
  out.push(`|---|${libs.map(() => '---:').join('|')}|`);
  for (const [name, get, d, ratio] of rows) {
    const values = libs.map((l) => get(summary[l]));
    if (values.every((v) => typeof v !== 'number' || Number.isNaN(v))) continue;
    const refLib = ratio === 'twilight' ? 'twilight' : 'baseline';
    const ref = summary[refLib] && get(summary[refLib]);
    const cells = libs.map((l, i) => {
      const v = values[i];
      let cell = fmt(v, d);
      // A ratio of or to a difference at or below zero (lost in the noise) would mean nothing.
      const q = typeof v === 'number' && v >= 0 && typeof ref === 'number' && ref > 0 ? v / ref : null;
      if (ratio && l !== refLib && (ratio !== 'twilight' || l !== 'baseline') && q !== null)
        cell += ` (×${fmt(q, q >= 10 ? 0 : q >= 0.1 ? 1 : 2)})`;
      return cell;
    });
    out.push(`| ${name} | ${cells.join(' | ')} |`);
  }
  return out.join('\n');
}

/** What the table's figures are, in a few lines under it. */
export function libNotes(summary, c, rounds) {
  const files = Object.entries(summary)
    .map(([l, s]) => `${NAMES[l] || l}: ${s.files.join(' + ')}`)
    .join('; ');
  const lines = [`- Files (gzip -9 of each file the page requested, lazily loaded ones included): ${files}.`];
  if (Object.values(summary).some((s) => s.startup)) lines.push(...startupNotes(summary, c), paired(rounds));
  if (Object.values(summary).some((s) => s.bursts)) lines.push(...eventNotes(summary, c, rounds));
  return lines.filter(Boolean).join('\n');
}

function startupNotes(summary, c) {
  const base = summary.baseline && summary.baseline.startup;
  const per = Object.entries(summary)
    .filter(([, s]) => s.startup)
    .map(
      ([l, s]) =>
        `${NAMES[l] || l}: evaluate + compile ${fmt(s.startup.evalCompileMs, 1)} + create ${fmt(s.startup.createMs, 1)} ms, ` +
        `background parse ${fmt(s.startup.backgroundParseCpuMs, 1)} ms CPU, own callbacks before idle ${fmt(s.startup.callbacksMs, 1)} ms, ` +
        `load at ${fmt(s.startup.loadMs, 0)} ms, idle from ${fmt(s.startup.idleMs, 0)} ms (${s.startup.idleFound} of ${s.startup.rounds} visits)`,
    )
    .join('; ');
  return [
    `- Startup: per round, one traced cold load per library (fresh context, nothing cached; its renderer started on an empty same-origin page first) of a small storefront-like page: the Twilight-like bus, the library's script tag in <head> with its default options, then its init call (bench/pages/startup-init.js; twilight-tracker starts itself from its script tag). ` +
      `Trace categories devtools.timeline, disabled-by-default-devtools.timeline, blink.user_timing. ` +
      `"evaluate + compile + create" = main-thread EvaluateScript and v8.compile events of the library's files (matched by URL, lazily loaded files included; nested events once) + the EvaluateScript of its init call, within ${c.startupTraceMs} ms of navigation. ` +
      `"main-thread ms before first idle" = all RunTask time on the page's main thread from navigationStart until the first ${c.startupIdleMs} ms without a task after the load event, minus the baseline page's in the same round${base ? ` (the baseline page itself: ${fmt(base.mainMs, 1)} ms, ${fmt(base.mainCpuMs, 1)} ms CPU)` : ''}. ` +
      `ms = wall clock of the events; CPU = the main thread's CPU time in them, which leaves out time spent waiting for a core. Medians over rounds.`,
    `- Startup details (medians): ${per}.`,
  ];
}

const signed = (v) => (v > 0 ? '+' : v < 0 ? '−' : '±') + fmt(Math.abs(v), 1);

/**
 * twilight-tracker against each peer, round by round: the visits of a round run back to back, so
 * their difference leaves out what changed between rounds (the machine's load), which the medians of
 * each library's own figures do not. Per peer: the median difference, and in how many rounds
 * twilight-tracker was at or below the peer.
 */
export function paired(rounds) {
  const at = new Map();
  for (const r of rounds) if (r.startup) at.set(r.lib + ' ' + r.round, r.startup);
  const peers = [...new Set(rounds.map((r) => r.lib))].filter((l) => l !== 'twilight' && l !== 'baseline');
  const out = peers.map((p) => {
    const pairs = rounds
      .filter((r) => r.lib === 'twilight' && at.has(p + ' ' + r.round))
      .map((r) => [r.startup, at.get(p + ' ' + r.round)]);
    if (!pairs.length) return '';
    const one = (f, unit) => {
      const d = pairs.map(([a, b]) => a[f] - b[f]);
      return `${signed(median(d))} ms ${unit} (at or below in ${d.filter((x) => x <= 0).length} of ${d.length})`;
    };
    return (
      `${NAMES[p] || p}: evaluate + compile + create ${one('startMs', 'wall')}, ${one('startCpuMs', 'CPU')}; ` +
      `main thread before first idle ${one('mainMs', 'wall')}, ${one('mainCpuMs', 'CPU')}`
    );
  });
  return out.some(Boolean)
    ? `- Startup, paired by round (twilight-tracker − peer in the same round, median; rounds where twilight-tracker was at or below the peer): ${out.filter(Boolean).join('; ')}.`
    : '';
}

/** The issue's per-event targets, as measured, when the run has the bursts they need. */
function targets(summary, c) {
  const tw = summary.twilight;
  if (!tw || !tw.bursts) return '';
  const out = [];
  const t = tw.bursts.track1;
  if (t)
    out.push(
      `track() mean ${fmt(t.syncUs, 1)} µs per call (target ≤ 10 µs: ${t.syncUs <= 10 ? 'met' : 'missed'}; ` +
        `${fmt(t.done, 0)} calls of ${c.events.toLocaleString('en-US')} in tasks of ${c.chunk}, 1× CPU)`,
    );
  const h = tw.bursts.hook1;
  if (h)
    out.push(
      `SDK hook → library median ${fmt(h.medianUs, 1)} µs per event (target ≤ 3 µs: ${h.medianUs <= 3 ? 'met' : 'missed'}; 1× CPU)`,
    );
  return out.length ? `- twilight-tracker per-event targets: ${out.join('; ')}.` : '';
}

function eventNotes(summary, c, rounds) {
  const tw = rounds.filter((r) => r.lib === 'twilight' && r.bursts.hook1 && r.bursts.hook1.stats);
  const ev = tw.length
    ? Math.round(tw.reduce((a, r) => a + r.bursts.hook1.stats.evicted, 0) / tw.length)
    : null;
  const iso = Object.values(summary).every((s) => !s.bursts || s.isolated);
  return [
    `- Load = last byte of the library received → library initialized (parse, compile, execute, init); median of every visit.`,
    `- Bursts: ${c.events.toLocaleString('en-US')} prepared payloads emitted in tasks of ${c.chunk}, each in a fresh page; a burst stops after ${c.burstMaxMs} ms of wall time ("events emitted"), figures are per emitted event. ` +
      `"sync" = time inside the emitting loops (SDK hook → library, for twilight-tracker: to enqueued); "mean" = their sum ÷ events emitted (the ${c.events.toLocaleString('en-US')}-call loop as one task sequence); "main thread incl. async work" = CDP TaskDuration over the burst and ≤ 1.5 s after it. ` +
      `Peers' SDK-hook path is their track() behind a one-line onAny forwarder. Timers are ${iso ? '5 µs (cross-origin isolated pages)' : 'coarse (pages were not cross-origin isolated)'}.`,
    targets(summary, c),
    ev === null
      ? ''
      : `- twilight-tracker's queue is bounded (1,000): in the 1× hook burst it evicted ${ev.toLocaleString('en-US')} events on average (reported as dropped/evicted).`,
    `- Steady stream: ${c.steady} track() calls, ${c.steadyPerTick} every ${c.steadyTickMs} ms, counted at the collector (another origin; no Access-Control-Max-Age, so Chromium caches a preflight 5 s); per 1,000 events delivered.`,
    `- Navigation: ${c.nav} track() calls, then location.href to a page without the library; "recovered" = more unique events after opening a page with the library again (which tracks one page view).`,
  ];
}
