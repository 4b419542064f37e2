/**
 * The README's Quick start, first command: `npm start` on a checkout whose `node_modules` is there.
 * It runs in a copy of the working tree (this checkout's files, minus git, build output and test
 * output; `node_modules` linked), so its build cannot disturb this checkout's `dist/` while other
 * tests read it. PORT and COLLECTOR_PORT are free ports. It must not reinstall (`npm ci`), must build
 * `dist/`, then serve the storefront (SDK + tracker.js), the /collector page and the cross-origin
 * collector, which validates with the build it just made; then Ctrl-C stops all of it.
 *
 * (The second command, `npm test`, is the suite this file is part of.)
 */
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
/** Not part of a fresh checkout (or rebuilt by `npm start` itself). */
const SKIP = new Set([
  '.git',
  'node_modules',
  'dist',
  'test-results',
  'playwright-report',
  'coverage',
  'reports',
  'demo/data',
  'bench/results',
]);

/** A free TCP port on 127.0.0.1 (and the next one free too, for the collector's default). */
async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = net.createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address() as net.AddressInfo;
      s.close(() => resolve(port));
    });
  });
}

/** Resolves with the output so far once `re` matches it; rejects if the process exits first or after `ms`. */
function waitFor(child: ChildProcess, out: { text: string }, re: RegExp, ms: number): Promise<string> {
  return new Promise((resolve, reject) => {
    const done = (fn: () => void) => {
      clearTimeout(timer);
      clearInterval(poll);
      child.off('exit', onExit);
      fn();
    };
    const onExit = (code: number | null) =>
      done(() => reject(new Error(`npm start exited (${code}) before ${re}:\n${out.text}`)));
    const timer = setTimeout(
      () => done(() => reject(new Error(`no ${re} within ${ms} ms:\n${out.text}`))),
      ms,
    );
    const poll = setInterval(() => re.test(out.text) && done(() => resolve(out.text)), 100);
    child.once('exit', onExit);
  });
}

describe('Quick start: npm start', () => {
  const work = fs.mkdtempSync(path.join(os.tmpdir(), 'tt-quickstart-'));
  let child: ChildProcess | undefined;

  afterAll(async () => {
    if (child && child.exitCode === null && child.signalCode === null) {
      const exited = new Promise((r) => child!.once('exit', r));
      try {
        process.kill(-child.pid!, 'SIGKILL'); // its own process group: npm, the shell, node
      } catch {
        /* gone */
      }
      await exited;
    }
    fs.rmSync(work, { recursive: true, force: true });
  });

  it('installs nothing when node_modules is there, builds, serves the storefront and the collector, stops on Ctrl-C', async () => {
    fs.cpSync(ROOT, work, {
      recursive: true,
      filter: (src) => !SKIP.has(path.relative(ROOT, src).split(path.sep).join('/')),
    });
    fs.symlinkSync(path.join(ROOT, 'node_modules'), path.join(work, 'node_modules'), 'dir');
    expect(fs.existsSync(path.join(work, 'dist'))).toBe(false);

    const port = await freePort();
    const collectorPort = await freePort();
    const out = { text: '' };
    child = spawn('npm', ['start'], {
      cwd: work,
      env: { ...process.env, PORT: String(port), COLLECTOR_PORT: String(collectorPort) },
      detached: true, // a process group of its own, stopped as one
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    child.stdout!.on('data', (b: Buffer) => (out.text += b.toString()));
    child.stderr!.on('data', (b: Buffer) => (out.text += b.toString()));

    const site = `http://127.0.0.1:${port}`;
    const coll = `http://127.0.0.1:${collectorPort}`;
    const log = await waitFor(
      child,
      out,
      new RegExp(`demo storefront: +${site.replace(/[.]/g, '\\.')}/`),
      240_000,
    );
    // No reinstall: node_modules is there.
    expect(log).not.toMatch(/npm ci|installing the locked dependencies/);
    expect(log).toContain('[start] building dist/');
    expect(log).toContain(`${coll}/collect`);
    for (const f of ['tracker.js', 'tracker.debug.js', 'tracker-vitals.js', 'index.mjs'])
      expect(fs.existsSync(path.join(work, 'dist', f)), `dist/${f} built`).toBe(true);

    // The storefront: the real SDK and the built tracker, sending to the cross-origin collector.
    const home = await fetch(`${site}/`);
    expect(home.status).toBe(200);
    const html = await home.text();
    expect(html).toContain('<script src="/assets/twilight.min.js"></script>');
    expect(html).toMatch(
      /<script async src="\/assets\/tracker\.js" data-endpoint="http:\/\/127\.0\.0\.1:\d+\/collect"/,
    );
    expect(html).toContain(`data-endpoint="${coll}/collect"`);
    const tracker = await fetch(`${site}/assets/tracker.js`);
    expect(tracker.status).toBe(200);
    expect(tracker.headers.get('content-type')).toContain('text/javascript');
    expect(await tracker.text()).toBe(fs.readFileSync(path.join(work, 'dist', 'tracker.js'), 'utf8'));
    const sdk = await fetch(`${site}/assets/twilight.min.js`);
    expect(sdk.status).toBe(200);
    await sdk.arrayBuffer();

    // /collector: the page, and the collector's own port, which validates with the fresh build.
    const page = await fetch(`${site}/collector`);
    expect(page.status).toBe(200);
    expect(await page.text()).toContain('Collected events');
    const writeKey = 'quickstart-' + Date.now();
    const event = {
      type: 'track',
      event: 'Quickstart Probe',
      properties: { n: 1 },
      anonymousId: '6f9619ff-8b86-4d01-b42d-00cf4fc964ff',
      messageId: '7c9e6679-7425-40de-944b-e07fc1f90ae7',
      timestamp: new Date().toISOString(),
      context: {
        library: { name: 'twilight-tracker', version: '0.0.0' },
        page: { url: `${site}/`, path: '/' },
        consent_state: 'pending',
      },
    };
    const posted = await fetch(`${coll}/collect`, {
      method: 'POST',
      headers: { 'Content-Type': 'text/plain;charset=UTF-8', Origin: site },
      body: JSON.stringify({ batch: [event], sentAt: new Date().toISOString(), writeKey }),
    });
    expect(posted.status).toBe(200);
    const requests = (await (await fetch(`${coll}/collector/requests.json?writeKey=${writeKey}`)).json()) as {
      requests: Array<{ validator: string; status: number; count: number }>;
    };
    expect(requests.requests.map((r) => [r.status, r.count, r.validator])).toEqual([
      [200, 1, 'dist/index.mjs'],
    ]);
    const stored = (await (await fetch(`${site}/collector/events.json?writeKey=${writeKey}`)).json()) as {
      events: Array<{ valid: boolean; problems: string[]; event: { event: string } }>;
    };
    expect(stored.events.map((l) => [l.event.event, l.valid, l.problems])).toEqual([
      ['Quickstart Probe', true, []],
    ]);

    // Ctrl-C (SIGINT to the whole foreground group, as a terminal sends it): every process of it
    // ends, and both ports are closed.
    const pid = child.pid!;
    const exited = new Promise((r) => child!.once('exit', r));
    process.kill(-pid, 'SIGINT');
    await exited;
    const groupAlive = () => {
      try {
        process.kill(-pid, 0);
        return true;
      } catch {
        return false;
      }
    };
    for (let i = 0; i < 100 && groupAlive(); i++) await new Promise((r) => setTimeout(r, 100));
    expect(groupAlive(), 'a process of `npm start` is still running').toBe(false);
    await expect(fetch(`${site}/`)).rejects.toThrow();
    await expect(fetch(`${coll}/collector/events.json`)).rejects.toThrow();
  }, 300_000);
});
