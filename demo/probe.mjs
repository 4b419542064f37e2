// Drives the demo storefront headless with the real Twilight SDK and logs every SDK hook.
//
//   node demo/probe.mjs [--headed] [--tracker] [--write-fixture [path]] [--quiet]
//
// Starts the server in-process on a free port (fresh temp data dir), blocks every request
// to a host other than 127.0.0.1, records console messages, page errors, CSP reports and
// non-local attempts, then runs: add to cart, update quantity, remove, coupon bad/good/remove,
// sign in with OTP, profile update, wishlist add/remove, quick search, search page, checkout,
// sign out, and a ?sdk=late page. Exits 1 when a check fails.
// --write-fixture stores the hooks of the run as [{name, args, page}] (default test/fixtures/sdk-hooks.json).

import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';
import { CHROMIUM_ARGS, CHROMIUM_PATH } from '../scripts/chromium.mjs';
import { startServer } from './server.mjs';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const argv = process.argv.slice(2);
const flag = (name) => argv.includes(name);
const fixtureIdx = argv.indexOf('--write-fixture');
const fixturePath =
  fixtureIdx < 0
    ? null
    : path.resolve(
        ROOT,
        argv[fixtureIdx + 1] && !argv[fixtureIdx + 1].startsWith('--')
          ? argv[fixtureIdx + 1]
          : 'test/fixtures/sdk-hooks.json',
      );
const QUIET = flag('--quiet');
const TRACKER = flag('--tracker');

const EXPECTED_HOOKS = [
  'Product Viewed',
  'Cart Viewed',
  'Order Completed',
  'Products Searched',
  'cart::item.added',
  'cart::updated',
  'Product Added',
  'cart::item.updated',
  'cart::item.deleted',
  'Product Removed',
  'cart::coupon.added',
  'cart::coupon.addition.failed',
  'cart::coupon.deleted',
  'wishlist::added',
  'wishlist::removed',
  'auth::code.sent',
  'auth::logged.in',
  'auth::verified',
  'profile::updated',
  'auth::logged.out',
  'product::search.results',
  'twilight::initiated',
];

/** Runs in the page before any script: hooks Salla.event.onAny right before boot.js calls Salla.init. */
function pageInit() {
  function ser(v, depth, seen) {
    if (v === null || typeof v !== 'object') {
      if (typeof v === 'function') return '[Function]';
      if (typeof v === 'string' && v.length > 2000) return v.slice(0, 2000) + '…';
      return v === undefined ? null : v;
    }
    if (depth > 8) return '[Depth]';
    if (seen.has(v)) return '[Circular]';
    seen.add(v);
    try {
      if (typeof Node !== 'undefined' && v instanceof Node) return '[' + v.nodeName + ']';
      if (typeof Window !== 'undefined' && v instanceof Window) return '[Window]';
      if (v instanceof Error) {
        var out = { __error: v.name, message: v.message };
        if (v.response)
          out.response = { status: v.response.status, data: ser(v.response.data, depth + 1, seen) };
        return out;
      }
      if (Array.isArray(v))
        return v.map(function (x) {
          return ser(x, depth + 1, seen);
        });
      var o = {};
      Object.keys(v).forEach(function (k) {
        o[k] = ser(v[k], depth + 1, seen);
      });
      return o;
    } finally {
      seen.delete(v);
    }
  }
  window.addEventListener('demo:before-init', function () {
    Salla.event.onAny(function (name) {
      var args = Array.prototype.slice.call(arguments, 1);
      var entry = {
        name: String(name),
        args: ser(args, 0, new Set()),
        page: location.pathname + location.search,
      };
      try {
        window.__probeHook(entry);
      } catch (e) {
        /* binding missing */
      }
    });
  });
}

const log = (...a) => console.log(...a);
const short = (v, n = 240) => {
  const s = JSON.stringify(v);
  return s.length > n ? s.slice(0, n) + '…' : s;
};

async function main() {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'tt-probe-'));
  const server = await startServer({ port: 0, dataDir });
  const base = server.url.replace(/\/$/, '');
  const qs = TRACKER ? '?wk=probe' : '?tracker=0';
  log(`probe: server ${server.url} (data ${dataDir})`);

  const browser = await chromium.launch({
    executablePath: CHROMIUM_PATH,
    args: CHROMIUM_ARGS,
    headless: !flag('--headed'),
  });
  const failures = [];
  const blocked = [];
  const consoleLines = [];
  const pageErrors = [];
  const httpErrors = [];
  const hooks = [];
  const fail = (msg) => {
    failures.push(msg);
    log('  FAIL', msg);
  };

  try {
    const context = await browser.newContext();
    await context.route('**/*', (route) => {
      const url = new URL(route.request().url());
      if (url.hostname === '127.0.0.1' || url.protocol === 'data:' || url.protocol === 'blob:')
        return route.continue();
      blocked.push(`${route.request().method()} ${url.href}`);
      return route.abort('blockedbyclient');
    });
    await context.exposeBinding('__probeHook', (_src, entry) => {
      hooks.push(entry);
      if (!QUIET) log(`    hook ${entry.name} ${short(entry.args, 200)}`);
    });
    await context.addInitScript(pageInit);
    const page = await context.newPage();
    page.on('console', (m) => {
      const line = `[${m.type()}] ${m.text()}`;
      consoleLines.push(line);
      if (m.type() === 'error' || /Content Security Policy/i.test(m.text())) log('   console', line);
    });
    page.on('pageerror', (err) => {
      pageErrors.push(String((err && err.stack) || err));
      log('   PAGEERROR', err.message);
    });
    page.on('response', (r) => {
      if (r.status() >= 400 && new URL(r.url()).hostname === '127.0.0.1')
        httpErrors.push(`${r.status()} ${r.request().method()} ${r.url()}`);
    });

    const ready = async (label) => {
      await page
        .waitForFunction(() => window.Salla && Salla.status === 'ready', null, { timeout: 10000 })
        .catch(() => fail(`${label}: Salla never became ready`));
      await page.evaluate(() => Salla.onReady());
      await page.waitForTimeout(300); // let post-ready requests (cart/latest, wishlist hydration, ...) settle
    };
    const goto = async (p, label = p) => {
      log(`\n== ${label}`);
      await page.goto(base + p, { waitUntil: 'load' });
      await ready(label);
    };
    const hookSince = (n, name) => hooks.slice(n).some((h) => h.name === name);
    const waitHook = async (n, name, ms = 5000) => {
      const end = Date.now() + ms;
      while (Date.now() < end) {
        if (hookSince(n, name)) return true;
        await page.waitForTimeout(25);
      }
      fail(`hook ${name} did not fire`);
      return false;
    };
    /** Clicks `selector`, waits for storefront.js to record the action's outcome. */
    const act = async (selector, { expectOk = true, label = selector } = {}) => {
      const before = await page.evaluate(() => (window.__demoActions || []).length);
      await page.click(selector);
      await page
        .waitForFunction((n) => (window.__demoActions || []).length > n, before, { timeout: 8000 })
        .catch(() => {});
      const res = await page.evaluate((n) => (window.__demoActions || [])[n], before);
      if (!res) fail(`${label}: no outcome recorded`);
      else if (res.ok !== expectOk)
        fail(`${label}: expected ${expectOk ? 'success' : 'failure'}, got ${short(res)}`);
      log(`  action ${label} -> ${short(res)}`);
      await page.waitForTimeout(150);
      return res;
    };

    // ---- home: add two products ----
    await goto('/' + qs, 'home');
    let n = hooks.length;
    await act('[data-action=add][data-product="101"]', { label: 'add 101' });
    for (const h of ['cart::updated', 'cart::item.added', 'Product Added']) await waitHook(n, h);
    await act('[data-action=add][data-product="105"]', { label: 'add 105' });

    // ---- product page: Product Viewed at init, add with quantity 2 ----
    n = hooks.length;
    await goto('/p/102' + qs, 'product 102');
    if (!hookSince(n, 'Product Viewed')) fail('Product Viewed not dispatched during init');
    const facts = await page.evaluate(() => ({
      user: Salla.config.get('user'),
      currency: Salla.config.currency(),
      eventsAfterInit: Salla.config.get('events'),
      page: Salla.config.get('page'),
      status: Salla.status,
      version: Salla.versions,
      // EventEmitter2 warns past 10 listeners on one event: which events are crowded?
      crowded: Salla.event
        .eventNames()
        .map((e) => [String(e), Salla.event.listenerCount(e)])
        .filter((x) => x[1] > 6),
    }));
    log('  facts', short(facts, 1200));
    await page.fill('#qty', '2');
    await act('[data-action=add][data-product="102"]', { label: 'add 102 x2' });

    // ---- cart page: Cart Viewed, update, remove, coupons ----
    n = hooks.length;
    await goto('/cart' + qs, 'cart');
    if (!hookSince(n, 'Cart Viewed')) fail('Cart Viewed not dispatched during init');
    const rows = await page.$$eval('[data-item-row]', (els) =>
      els.map((e) => e.getAttribute('data-item-row')),
    );
    log('  cart rows', rows.join(','));
    n = hooks.length;
    await page.fill(`[data-qty-item="${rows[0]}"]`, '3');
    await act(`[data-action=update][data-item="${rows[0]}"]`, { label: 'update qty' });
    await waitHook(n, 'cart::item.updated');
    n = hooks.length;
    await act(`[data-action=remove][data-item="${rows[1]}"]`, { label: 'remove item' });
    await waitHook(n, 'cart::item.deleted');
    await waitHook(n, 'Product Removed');
    n = hooks.length;
    await page.fill('#coupon-code', 'NOPE');
    await act('#coupon-form [type=submit]', { expectOk: false, label: 'bad coupon' });
    await waitHook(n, 'cart::coupon.addition.failed');
    n = hooks.length;
    await page.fill('#coupon-code', 'SAVE10');
    await act('#coupon-form [type=submit]', { label: 'good coupon' });
    await waitHook(n, 'cart::coupon.added');
    n = hooks.length;
    await act('[data-action=coupon-remove]', { label: 'remove coupon' });
    await waitHook(n, 'cart::coupon.deleted');

    // ---- account: sign in with OTP, update the profile ----
    await goto('/account' + qs, 'account (guest)');
    n = hooks.length;
    await page.fill('#login-mobile', '501234567');
    await act('#login-send', { label: 'send code' });
    await page.fill('#login-code', '1234');
    await act('#login-verify', { label: 'verify code' });
    await waitHook(n, 'auth::logged.in');
    const afterLogin = await page.evaluate(() => ({
      user: Salla.config.get('user'),
      token: !!Salla.storage.get('token'),
      cart: Salla.storage.get('cart'),
    }));
    log('  after login', short(afterLogin, 600));
    n = hooks.length;
    await page.fill('#profile-first-name', 'Sarah');
    await act('#profile-save', { label: 'profile update' });
    await waitHook(n, 'profile::updated');

    // ---- signed-in product page: wishlist, quick search ----
    await goto('/p/103' + qs, 'product 103 (signed in)');
    n = hooks.length;
    await act('[data-action=wishlist-add][data-product="103"]', { label: 'wishlist add' });
    await waitHook(n, 'wishlist::added');
    await act('[data-action=wishlist-remove][data-product="103"]', { label: 'wishlist remove' });
    await waitHook(n, 'wishlist::removed');
    await act('[data-action=add][data-product="103"]', { label: 'add 103 (signed in)' });
    n = hooks.length;
    await page.fill('#search-input', 'tea');
    await act('#search-live', { label: 'quick search' });
    await waitHook(n, 'product::search.results');

    // ---- search page, wishlist page ----
    n = hooks.length;
    await goto('/search' + (qs ? qs + '&' : '?') + 'q=coffee', 'search page');
    if (!hookSince(n, 'Products Searched')) fail('Products Searched not dispatched during init');
    await goto('/wishlist' + qs, 'wishlist');

    // ---- checkout -> thank-you ----
    n = hooks.length;
    log('\n== checkout');
    await page.goto(base + '/checkout' + qs, { waitUntil: 'load' });
    await ready('thank-you');
    log('  landed on', page.url().replace(base, ''));
    if (!hookSince(n, 'Order Completed')) fail('Order Completed not dispatched during init');

    // ---- sign out ----
    await goto('/account' + qs, 'account (signed in)');
    n = hooks.length;
    await Promise.all([
      page
        .waitForURL((u) => u.pathname === '/', { timeout: 10000 })
        .catch(() => fail('logout did not navigate home')),
      page.click('#logout'),
    ]);
    await waitHook(n, 'auth::logged.out');
    await ready('home after logout');
    const afterLogout = await page.evaluate(() => Salla.config.get('user'));
    log('  after logout user', short(afterLogout));
    if (afterLogout.type !== 'guest') fail('still signed in after logout');

    // ---- late SDK ----
    log('\n== sdk=late');
    const lateStart = Date.now();
    await page.goto(base + '/p/101' + (qs ? qs + '&' : '?') + 'sdk=late&sdkDelay=200', { waitUntil: 'load' });
    await ready('late sdk');
    log(`  late SDK ready after ${Date.now() - lateStart} ms`);

    // ---- the human collector page renders its live table under the same CSP ----
    log('\n== /collector');
    await page.goto(base + '/collector', { waitUntil: 'load' });
    await page
      .waitForFunction(() => /requests/.test(document.getElementById('collector-stats').textContent), null, {
        timeout: 5000,
      })
      .catch(() => fail('/collector never rendered its stats'));
    log('  ' + (await page.textContent('#collector-stats')));

    await context.close();
  } finally {
    await browser.close();
    await server.close();
  }

  // ---- report ----
  const fired = new Set(hooks.map((h) => h.name));
  for (const name of EXPECTED_HOOKS) if (!fired.has(name)) fail(`expected hook never fired: ${name}`);
  if (pageErrors.length) fail(`${pageErrors.length} page error(s)`);
  const csp = consoleLines.filter((l) => /Content Security Policy/i.test(l));
  if (csp.length) fail(`${csp.length} CSP violation(s)`);

  log('\n== hooks in order');
  for (const h of hooks) log(`  ${h.name.padEnd(34)} ${short(h.args, 160)}`);
  log('\n== local HTTP errors (the bad coupon must be the only 4xx)');
  for (const e of httpErrors) log('  ' + e);
  log('\n== blocked non-local requests');
  for (const b of blocked) log('  ' + b);
  if (!blocked.length) log('  (none)');
  log('\n== console errors/warnings');
  for (const l of consoleLines.filter((x) => /^\[(error|warning)\]/.test(x))) log('  ' + l);

  if (fixturePath) {
    fs.mkdirSync(path.dirname(fixturePath), { recursive: true });
    // The port is random: store the default demo origin so the fixture is stable across runs.
    const text = JSON.stringify(hooks, null, 2).split(base).join('http://127.0.0.1:4400');
    fs.writeFileSync(fixturePath, text + '\n');
    log(`\nwrote ${hooks.length} hooks to ${path.relative(ROOT, fixturePath)}`);
  }
  fs.rmSync(dataDir, { recursive: true, force: true });
  log(failures.length ? `\nprobe: ${failures.length} failure(s)` : '\nprobe: all checks passed');
  process.exitCode = failures.length ? 1 : 0;
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
