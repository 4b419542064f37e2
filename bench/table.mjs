// The bench's markdown table: one row per metric, one column per library, medians across rounds,
// with the ratio against the no-library baseline where a ratio means something.

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
  const burst = (k, f) => (s) => (s.bursts[k] ? s.bursts[k][f] : null);
  const bursts = c.bursts;
  const rows = [
    ['Library gzip bytes (files the page loaded)', (s) => s.gzip, 0, false],
    ['Load: parse + execute + init (ms)', (s) => s.evalMs, 1, true],
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
    `| Metric (median of ${base ? base.rounds : '?'} rounds) | ${libs.map((l) => NAMES[l] || l).join(' | ')} |`,
  ];
  out.push(`|---|${libs.map(() => '---:').join('|')}|`);
  for (const [name, get, d, ratio] of rows) {
    const cells = libs.map((l) => {
      const v = get(summary[l]);
      let cell = fmt(v, d);
      const b = base && get(base);
      const q = typeof v === 'number' && b ? v / b : null;
      if (ratio && l !== 'baseline' && q !== null) cell += ` (×${fmt(q, q >= 10 ? 0 : q >= 0.1 ? 1 : 2)})`;
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
  const tw = rounds.filter((r) => r.lib === 'twilight' && r.bursts.hook1 && r.bursts.hook1.stats);
  const ev = tw.length
    ? Math.round(tw.reduce((a, r) => a + r.bursts.hook1.stats.evicted, 0) / tw.length)
    : null;
  const iso = Object.values(summary).every((s) => s.isolated);
  return [
    `- Files (gzip -9 of each file the page requested): ${files}.`,
    `- Load = last byte of the library received → library initialized (parse, compile, execute, init); median of every visit.`,
    `- Bursts: ${c.events.toLocaleString('en-US')} prepared payloads emitted in tasks of ${c.chunk}, each in a fresh page; a burst stops after ${c.burstMaxMs} ms of wall time ("events emitted"), figures are per emitted event. ` +
      `"sync" = time inside the emitting loops (SDK hook → library, for twilight-tracker: to enqueued); "main thread incl. async work" = CDP TaskDuration over the burst and ≤ 1.5 s after it. ` +
      `Peers' SDK-hook path is their track() behind a one-line onAny forwarder. Timers are ${iso ? '5 µs (cross-origin isolated pages)' : 'coarse (pages were not cross-origin isolated)'}.`,
    ev === null
      ? ''
      : `- twilight-tracker's queue is bounded (1,000): in the 1× hook burst it evicted ${ev.toLocaleString('en-US')} events on average (reported as dropped/evicted).`,
    `- Steady stream: ${c.steady} track() calls, ${c.steadyPerTick} every ${c.steadyTickMs} ms, counted at the collector (another origin; no Access-Control-Max-Age, so Chromium caches a preflight 5 s); per 1,000 events delivered.`,
    `- Navigation: ${c.nav} track() calls, then location.href to a page without the library; "recovered" = more unique events after opening a page with the library again (which tracks one page view).`,
  ]
    .filter(Boolean)
    .join('\n');
}
