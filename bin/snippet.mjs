// Builds a Salla App Snippet: a banner line, a preamble that queues the snippet's baked-in defaults
// (`['defaults', {…}]` on `window.twilightTracker`, read by tracker.js when it starts), then the
// built dist/tracker.js. Used by `npx twilight-tracker snippet` (bin/twilight-tracker.mjs) and, in
// process, by the demo server (`/assets/snippet.js`). Plain Node ESM, no dependencies.
//
//   import { buildSnippet } from 'twilight-tracker/bin/snippet.mjs';
//   const code = buildSnippet({ endpoint: 'https://collect.acme.sa/v1/batch', writeKey: 'wk_1', webVitals: false });

import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
/** The built script-tag bundle the snippet embeds. */
export const TRACKER_FILE = path.join(ROOT, 'dist', 'tracker.js');

/** The snippet options, in the order they appear in the preamble (the tracker's option names). */
export const SNIPPET_OPTIONS = [
  'endpoint',
  'writeKey',
  'settingsPrefix',
  'batchSize',
  'flushInterval',
  'consent',
  'pii',
  'deniedMode',
  'vitalsUrl',
  'webVitals',
];

/** Option name → the CLI flag that sets it (error messages name the flag). */
export const FLAGS = {
  endpoint: '--endpoint',
  writeKey: '--write-key',
  settingsPrefix: '--settings-prefix',
  batchSize: '--batch-size',
  flushInterval: '--flush-interval',
  consent: '--consent',
  pii: '--pii',
  deniedMode: '--denied-mode',
  vitalsUrl: '--vitals-url',
  webVitals: '--no-web-vitals',
};

const CHOICES = {
  consent: ['pending', 'granted', 'denied'],
  pii: ['hash', 'drop', 'keep'],
  deniedMode: ['anonymous', 'none'],
};
/** [min, max] as the tracker accepts them (src/core/options.ts). */
const RANGES = { batchSize: [1, 500], flushInterval: [0, 60000] };

/**
 * Text that marks a value as a template or documentation placeholder, never a real setting. Salla no
 * longer resolves `{{ … }}` tokens in snippets: they would ship as literal text.
 */
const PLACEHOLDERS = [
  ['{{', /\{\{/],
  ['}}', /\}\}/],
  ['<', /</],
  ['>', />/],
  ['YOUR_', /your_/i],
  ['your-', /your-/i],
  ['xxx', /xxx/i],
  ['changeme', /change[-_ ]?me/i],
  ['placeholder', /placeholder/i],
  ['TODO', /todo/i],
  ['example.com', /example\.com/i],
  ['example.org', /example\.org/i],
  ['example.net', /example\.net/i],
];
const LOCAL_HOSTS = ['127.0.0.1', 'localhost', '[::1]'];

/** A refused option: `flag` names the CLI flag; the CLI exits with `exitCode` (2). */
export class SnippetError extends Error {
  constructor(message, { flag, exitCode = 2 } = {}) {
    super(message);
    this.name = 'SnippetError';
    this.flag = flag;
    this.exitCode = exitCode;
  }
}

const refuse = (key, message) => {
  throw new SnippetError(`${FLAGS[key]}: ${message}`, { flag: FLAGS[key] });
};

function checkText(key, value, { allowEmpty = false } = {}) {
  if (typeof value !== 'string') refuse(key, `expected a string, got ${JSON.stringify(value)}`);
  if (!value && !allowEmpty) refuse(key, 'is empty');
  if (/[\s"'`\\]/.test(value) || [...value].some((c) => c.charCodeAt(0) < 0x20 || c.charCodeAt(0) === 0x7f))
    refuse(key, `${JSON.stringify(value)} contains whitespace, a quote or a control character`);
  for (const [shown, re] of PLACEHOLDERS) {
    if (re.test(value))
      refuse(
        key,
        `${JSON.stringify(value)} looks like a placeholder (contains "${shown}"); pass the real value`,
      );
  }
  return value;
}

function checkUrl(key, value) {
  checkText(key, value);
  let url;
  try {
    url = new URL(value);
  } catch {
    refuse(key, `${JSON.stringify(value)} is not an absolute URL (https://…)`);
  }
  const local = LOCAL_HOSTS.includes(url.hostname);
  if (url.protocol !== 'https:' && !(local && url.protocol === 'http:'))
    refuse(
      key,
      `${JSON.stringify(value)} must be an absolute https:// URL (http:// only for 127.0.0.1, localhost or [::1])`,
    );
  if (url.username || url.password) refuse(key, 'must not carry credentials');
  return value;
}

function checkInt(key, value) {
  const [min, max] = RANGES[key];
  const n = typeof value === 'number' ? value : /^\d+$/.test(String(value).trim()) ? Number(value) : NaN;
  if (!Number.isInteger(n))
    refuse(key, `${JSON.stringify(value)} is not a whole number${key === 'flushInterval' ? ' of ms' : ''}`);
  if (n < min || n > max) refuse(key, `${n} is out of range (${min}–${max})`);
  return n;
}

function checkChoice(key, value) {
  checkText(key, value);
  if (!CHOICES[key].includes(value))
    refuse(key, `${JSON.stringify(value)} is not one of ${CHOICES[key].join(', ')}`);
  return value;
}

/**
 * Validate snippet options (tracker option names) and return the defaults object to bake in, keys in
 * SNIPPET_OPTIONS order, only the options given. Throws SnippetError naming the flag.
 * Exactly one of `vitalsUrl` and `webVitals: false` is required: Salla serves the snippet from its CDN,
 * where tracker-vitals.js (loaded from beside tracker.js by default) does not exist.
 */
export function snippetDefaults(options = {}) {
  for (const k of Object.keys(options)) {
    if (!SNIPPET_OPTIONS.includes(k) && options[k] !== undefined)
      throw new SnippetError(`unknown snippet option "${k}" (known: ${SNIPPET_OPTIONS.join(', ')})`);
  }
  const out = {};
  for (const key of SNIPPET_OPTIONS) {
    const v = options[key];
    if (v === undefined || v === null) continue;
    if (key === 'endpoint' || key === 'vitalsUrl') out[key] = checkUrl(key, v);
    else if (key === 'writeKey') out[key] = checkText(key, v);
    else if (key === 'settingsPrefix') {
      // An empty prefix would read `app.endpoint`…, but the tracker takes '' as "not given" (its default).
      checkText(key, v);
      if (!/^[A-Za-z0-9_.-]*$/.test(v)) refuse(key, `${JSON.stringify(v)} may use only A-Z a-z 0-9 _ . -`);
      out[key] = v;
    } else if (key in RANGES) out[key] = checkInt(key, v);
    else if (key in CHOICES) out[key] = checkChoice(key, v);
    else if (key === 'webVitals') {
      if (v !== false)
        refuse(key, 'web vitals are on by default: bake in only webVitals: false, or give --vitals-url');
      out[key] = false;
    }
  }
  if (out.vitalsUrl !== undefined && out.webVitals === false)
    throw new SnippetError('--vitals-url and --no-web-vitals contradict each other: give one', {
      flag: '--vitals-url',
    });
  if (out.vitalsUrl === undefined && out.webVitals !== false)
    throw new SnippetError(
      "choose --vitals-url URL or --no-web-vitals: a snippet is served from Salla's CDN, where tracker-vitals.js " +
        '(loaded from beside tracker.js by default) does not exist. Host dist/tracker-vitals.js yourself and pass ' +
        'its https:// URL, or turn web vitals off.',
      { flag: '--vitals-url' },
    );
  return out;
}

/** The preamble line: queues the defaults before tracker.js runs. */
export function snippetPreamble(defaults) {
  const json = JSON.stringify(defaults)
    .replace(/\u2028/g, '\\u2028')
    .replace(/\u2029/g, '\\u2029');
  return `(window.twilightTracker=window.twilightTracker||[]).push(["defaults",${json}]);`;
}

function readVersion() {
  try {
    return JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8')).version;
  } catch {
    return '0.0.0';
  }
}

/**
 * The App Snippet for `options`: banner line, preamble, then dist/tracker.js (its trailing
 * sourceMappingURL comment removed: the map is not served next to a snippet). Throws SnippetError
 * (exitCode 2) for a refused option, and an Error with exitCode 1 when tracker.js is not built.
 * `check: true` also runs `node --check` on the result (see checkSyntax).
 */
export function buildSnippet(options = {}, { trackerFile = TRACKER_FILE, check = false } = {}) {
  const defaults = snippetDefaults(options);
  let tracker;
  try {
    tracker = fs.readFileSync(trackerFile, 'utf8');
  } catch {
    throw Object.assign(
      new Error(
        `${path.relative(process.cwd(), trackerFile) || trackerFile} is missing: build the library first (npm run build)`,
      ),
      { exitCode: 1 },
    );
  }
  tracker = tracker.replace(/\n?\/\/# sourceMappingURL=\S*\s*$/, '').replace(/\s*$/, '\n');
  const banner = `/*! twilight-tracker ${readVersion()} App Snippet, built by \`npx twilight-tracker snippet\` | MIT */`;
  const code = `${banner}\n${snippetPreamble(defaults)}\n${tracker}`;
  if (check) checkSyntax(code);
  return code;
}

/** Throws (exitCode 1) unless `node --check` accepts `code` as a script. */
export function checkSyntax(code) {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tt-snippet-'));
  const file = path.join(dir, 'snippet.cjs');
  try {
    fs.writeFileSync(file, code);
    const r = spawnSync(process.execPath, ['--check', file], { encoding: 'utf8' });
    if (r.status !== 0)
      throw Object.assign(
        new Error(
          `the generated snippet does not parse (node --check):\n${(r.stderr || r.error || '').toString()}`,
        ),
        { exitCode: 1 },
      );
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}
