/**
 * `npx twilight-tracker snippet`: the real CLI (bin/twilight-tracker.mjs) in a subprocess. It embeds
 * dist/tracker.js, which these tests do not build: `npm test` builds before the unit tests. Without a
 * build, the tests that need one are skipped (their titles say so); the refusals run either way,
 * since options are checked before dist/tracker.js is read.
 */
import { execFile, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { buildSnippet, snippetPreamble } from '../bin/snippet.mjs';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const BIN = path.join(ROOT, 'bin/twilight-tracker.mjs');
const TRACKER = path.join(ROOT, 'dist/tracker.js');
const BUILT = fs.existsSync(TRACKER);
const NEEDS_BUILD = BUILT ? '' : ' (SKIPPED: dist/tracker.js is not built; `npm test` builds it first)';
const { version } = JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as {
  version: string;
};

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'tt-snippet-test-'));
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

function cli(...args: string[]) {
  const r = spawnSync(process.execPath, [BIN, ...args], { encoding: 'utf8', cwd: tmp });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

/** The same, without blocking: the refusals run concurrently. */
function cliAsync(...args: string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(process.execPath, [BIN, ...args], { encoding: 'utf8', cwd: tmp }, (err, stdout, stderr) =>
      resolve({ code: err ? ((err as { code?: number }).code ?? 1) : 0, stdout, stderr }),
    );
  });
}

const BANNER = `/*! twilight-tracker ${version} App Snippet, built by \`npx twilight-tracker snippet\` | MIT */`;
/** dist/tracker.js as the snippet embeds it: without its sourceMappingURL comment. */
const trackerBody = () =>
  fs
    .readFileSync(TRACKER, 'utf8')
    .replace(/\n?\/\/# sourceMappingURL=\S*\s*$/, '')
    .replace(/\s*$/, '\n');

// Each test starts Node once or more: generous timeouts for a loaded machine.
const SLOW = { timeout: 30_000 };

describe('twilight-tracker snippet: output', SLOW, () => {
  it.skipIf(!BUILT)('every flag, exactly: banner, preamble, then dist/tracker.js' + NEEDS_BUILD, () => {
    const r = cli(
      'snippet',
      '--endpoint',
      'https://collect.acme.sa/v1/batch',
      '--write-key',
      'wk_live_4f2a',
      '--settings-prefix',
      'shop_',
      '--batch-size',
      '10',
      '--flush-interval=500',
      '--consent',
      'pending',
      '--pii',
      'drop',
      '--denied-mode',
      'none',
      '--vitals-url',
      'https://static.acme.sa/tt/tracker-vitals.js',
    );
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const [banner, preamble, ...rest] = r.stdout.split('\n');
    expect(banner).toBe(BANNER);
    expect(preamble).toBe(
      '(window.twilightTracker=window.twilightTracker||[]).push(["defaults",{' +
        '"endpoint":"https://collect.acme.sa/v1/batch","writeKey":"wk_live_4f2a","settingsPrefix":"shop_",' +
        '"batchSize":10,"flushInterval":500,"consent":"pending","pii":"drop","deniedMode":"none",' +
        '"vitalsUrl":"https://static.acme.sa/tt/tracker-vitals.js"}]);',
    );
    expect(rest.join('\n')).toBe(trackerBody());
    expect(r.stdout).not.toContain('sourceMappingURL');
  });

  it.skipIf(!BUILT)('only the options given; --no-web-vitals bakes in webVitals:false' + NEEDS_BUILD, () => {
    const r = cli('snippet', '--no-web-vitals');
    expect(r.code).toBe(0);
    expect(r.stdout.split('\n')[1]).toBe(
      '(window.twilightTracker=window.twilightTracker||[]).push(["defaults",{"webVitals":false}]);',
    );
    const local = cli('snippet', '--endpoint', 'http://127.0.0.1:4401/collect', '--no-web-vitals');
    expect(local.code).toBe(0);
    expect(local.stdout.split('\n')[1]).toBe(
      '(window.twilightTracker=window.twilightTracker||[]).push(["defaults",{"endpoint":"http://127.0.0.1:4401/collect","webVitals":false}]);',
    );
    expect(cli('snippet', '--endpoint', 'http://localhost:8080/c', '--no-web-vitals').code).toBe(0);
  });

  it.skipIf(!BUILT)('--out writes the file, which passes node --check' + NEEDS_BUILD, () => {
    const out = path.join(tmp, 'snippet.js');
    const r = cli('snippet', '--write-key', 'wk_live_4f2a', '--no-web-vitals', '--out', out);
    expect(r.code).toBe(0);
    expect(r.stdout).toBe('');
    expect(r.stderr).toContain('wrote the snippet to');
    const code = fs.readFileSync(out, 'utf8');
    expect(code.startsWith(BANNER + '\n')).toBe(true);
    const check = spawnSync(process.execPath, ['--check', out], { encoding: 'utf8' });
    expect(check.stderr).toBe('');
    expect(check.status).toBe(0);
  });

  it.skipIf(!BUILT)('buildSnippet (the demo server uses it) gives what the CLI prints' + NEEDS_BUILD, () => {
    const r = cli('snippet', '--endpoint', 'https://collect.acme.sa/b', '--no-web-vitals');
    expect(buildSnippet({ endpoint: 'https://collect.acme.sa/b', webVitals: false })).toBe(r.stdout);
  });

  it('buildSnippet without a build: an error telling to build first', () => {
    let err: (Error & { exitCode?: number }) | undefined;
    try {
      buildSnippet({ webVitals: false }, { trackerFile: path.join(tmp, 'missing/tracker.js') });
    } catch (e) {
      err = e as Error & { exitCode?: number };
    }
    expect(err?.message).toMatch(/missing: build the library first \(npm run build\)/);
    expect(err?.exitCode).toBe(1);
  });

  it('the preamble escapes nothing it does not need to and stays one line', () => {
    expect(snippetPreamble({ writeKey: 'wk_1', batchSize: 5 })).toBe(
      '(window.twilightTracker=window.twilightTracker||[]).push(["defaults",{"writeKey":"wk_1","batchSize":5}]);',
    );
  });

  it('--help documents the snippet command and its flags', () => {
    const r = cli('--help');
    expect(r.code).toBe(0);
    for (const flag of [
      'snippet',
      '--endpoint',
      '--write-key',
      '--settings-prefix',
      '--batch-size',
      '--flush-interval',
      '--consent',
      '--pii',
      '--denied-mode',
      '--vitals-url',
      '--no-web-vitals',
      '--out',
    ])
      expect(r.stdout).toContain(flag);
    expect(cli('snippet', '--help').code).toBe(0);
    expect(cli().code).toBe(2);
  });
});

describe.concurrent(
  'twilight-tracker snippet: refusals (exit code 2, a message naming the flag)',
  SLOW,
  () => {
    const refused: Array<[string, string[], RegExp]> = [
      [
        '{{ template token',
        ['--write-key', '{{app.tracker_write_key}}'],
        /--write-key: .*placeholder.*"\{\{"/,
      ],
      ['}} alone', ['--write-key', 'wk}}'], /--write-key: .*placeholder.*"\}\}"/],
      ['<angle brackets>', ['--write-key', '<write-key>'], /--write-key: .*placeholder.*"<"/],
      ['> alone', ['--settings-prefix', 'a>b'], /--settings-prefix: .*placeholder.*">"/],
      ['an empty settings prefix', ['--settings-prefix', ''], /--settings-prefix: .*is empty/],
      ['YOUR_', ['--write-key', 'YOUR_WRITE_KEY'], /--write-key: .*placeholder.*"YOUR_"/],
      ['your-', ['--endpoint', 'https://your-collector.acme.sa/c'], /--endpoint: .*placeholder.*"your-"/],
      ['xxx', ['--write-key', 'wk_xxxxxxxx'], /--write-key: .*placeholder.*"xxx"/],
      ['changeme', ['--write-key', 'changeme'], /--write-key: .*placeholder.*"changeme"/],
      ['placeholder', ['--write-key', 'placeholder-key'], /--write-key: .*placeholder.*"placeholder"/],
      ['TODO', ['--write-key', 'TODO'], /--write-key: .*placeholder.*"TODO"/],
      [
        'example.com',
        ['--endpoint', 'https://collect.example.com/v1'],
        /--endpoint: .*placeholder.*"example\.com"/,
      ],
      [
        'example.org',
        ['--vitals-url', 'https://cdn.example.org/v.js'],
        /--vitals-url: .*placeholder.*"example\.org"/,
      ],
      [
        'an http endpoint',
        ['--endpoint', 'http://collect.acme.sa/c'],
        /--endpoint: .*must be an absolute https:\/\//,
      ],
      ['a relative endpoint', ['--endpoint', '/collect'], /--endpoint: .*not an absolute URL/],
      ['an http vitals URL', ['--vitals-url', 'http://static.acme.sa/v.js'], /--vitals-url: .*https:\/\//],
      ['a non-numeric batch size', ['--batch-size', 'ten'], /--batch-size: "ten" is not a whole number/],
      ['a fractional batch size', ['--batch-size', '2.5'], /--batch-size: .*not a whole number/],
      ['a batch size out of range', ['--batch-size', '0'], /--batch-size: 0 is out of range/],
      [
        'a non-numeric flush interval',
        ['--flush-interval', '2s'],
        /--flush-interval: "2s" is not a whole number/,
      ],
      ['an unknown consent', ['--consent', 'yes'], /--consent: "yes" is not one of pending, granted, denied/],
      ['an unknown pii policy', ['--pii', 'mask'], /--pii: "mask" is not one of hash, drop, keep/],
      [
        'an unknown denied mode',
        ['--denied-mode', 'off'],
        /--denied-mode: "off" is not one of anonymous, none/,
      ],
      ['an empty write key', ['--write-key', ''], /--write-key: is empty/],
      ['a flag without its value', ['--write-key'], /--write-key needs a value/],
      ['an unknown flag', ['--endpoint-url', 'https://collect.acme.sa'], /unknown argument "--endpoint-url"/],
    ];
    for (const [what, args, message] of refused) {
      it(what, async () => {
        const r = await cliAsync('snippet', ...args, '--no-web-vitals');
        expect(r.stdout).toBe('');
        expect(r.stderr).toMatch(message);
        expect(r.code).toBe(2);
      });
    }

    it('no web-vitals choice: --vitals-url or --no-web-vitals is required, and says why', async () => {
      const r = await cliAsync(
        'snippet',
        '--endpoint',
        'https://collect.acme.sa/v1/batch',
        '--write-key',
        'wk_live_4f2a',
      );
      expect(r.code).toBe(2);
      expect(r.stdout).toBe('');
      expect(r.stderr).toMatch(/--vitals-url URL or --no-web-vitals/);
      expect(r.stderr).toMatch(/Salla's CDN/);
    });

    it('both --vitals-url and --no-web-vitals: refused', async () => {
      const r = await cliAsync('snippet', '--vitals-url', 'https://static.acme.sa/v.js', '--no-web-vitals');
      expect(r.code).toBe(2);
      expect(r.stderr).toMatch(/--vitals-url and --no-web-vitals contradict/);
    });

    it('an unknown command', async () => {
      const r = await cliAsync('snipet');
      expect(r.code).toBe(2);
      expect(r.stderr).toMatch(/unknown command "snipet"/);
    });
  },
);
