#!/usr/bin/env node
// `npx twilight-tracker snippet …`: prints (or writes) a Salla App Snippet. See `--help`.

import fs from 'node:fs';
import path from 'node:path';
import { buildSnippet, SnippetError } from './snippet.mjs';

const HELP = `twilight-tracker: tools for the twilight-tracker Salla storefront tracker

Usage:
  twilight-tracker snippet [options]     print a Salla App Snippet
  twilight-tracker --help                this text

  An App Snippet is pure JavaScript that Salla serves from its CDN through a plain <script src> before
  </body> on every storefront page (no data-* attributes possible). The generated file is a banner line,
  one line that queues the snippet's baked-in defaults on window.twilightTracker:

    (window.twilightTracker=window.twilightTracker||[]).push(["defaults",{…}]);

  then the package's dist/tracker.js. When the SDK is ready, the tracker reads the merchant's public app
  settings (salla.config.get('app.<prefix>endpoint'), write_key, batch_size, flush_interval, consent,
  pii, denied_mode, web_vitals); those override the baked-in defaults.

snippet options (each optional, except the web-vitals choice; only the ones given are baked in):
  --endpoint URL           collector URL; https:// (http:// only for 127.0.0.1 / localhost / [::1])
  --write-key KEY          write key copied into each batch
  --settings-prefix P      prefix of the app settings read from salla.config (default tracker_)
  --batch-size N           events per batch, 1-500 (default 20)
  --flush-interval MS      ms after the first queued event, 0-60000 (default 2000)
  --consent STATE          pending | granted | denied (default: the store's cookie bar, else granted)
  --pii POLICY             hash | drop | keep (default hash)
  --denied-mode MODE       anonymous | none (default anonymous)
  --vitals-url URL         where tracker.js loads tracker-vitals.js from (host dist/tracker-vitals.js)
  --no-web-vitals          bake in webVitals: false
  --out FILE               write the snippet to FILE instead of standard output

  One of --vitals-url and --no-web-vitals is required: tracker.js loads tracker-vitals.js from beside
  its own URL, and Salla's CDN serves the snippet alone.

  Placeholder values are refused (exit code 2): anything containing {{, }}, <, >, YOUR_, your-, xxx,
  changeme, placeholder, TODO, example.com/.org/.net, a non-https endpoint (except 127.0.0.1 and
  localhost or [::1]), sizes that are not whole numbers. The output is checked with \`node --check\` first.

Examples:
  npx twilight-tracker snippet --endpoint https://collect.acme.sa/v1/batch --write-key wk_live_4f2a --no-web-vitals
  npx twilight-tracker snippet --vitals-url https://static.acme.sa/tt/tracker-vitals.js --out snippet.js

Exit codes: 0 done, 1 not built / does not parse / cannot write, 2 bad or placeholder option.
`;

/** Flag → [option name, kind]; kind 'value' takes the next argument (or `--flag=value`). */
const SPEC = {
  '--endpoint': ['endpoint', 'value'],
  '--write-key': ['writeKey', 'value'],
  '--settings-prefix': ['settingsPrefix', 'value'],
  '--batch-size': ['batchSize', 'value'],
  '--flush-interval': ['flushInterval', 'value'],
  '--consent': ['consent', 'value'],
  '--pii': ['pii', 'value'],
  '--denied-mode': ['deniedMode', 'value'],
  '--vitals-url': ['vitalsUrl', 'value'],
  '--no-web-vitals': ['webVitals', 'off'],
  '--out': ['out', 'value'],
};

function usageError(message) {
  throw new SnippetError(message + ' (see twilight-tracker --help)');
}

function parseSnippetArgs(args) {
  const options = {};
  let out;
  for (let i = 0; i < args.length; i++) {
    const arg = args[i];
    const eq = arg.indexOf('=');
    const flag = arg.startsWith('--') && eq > 0 ? arg.slice(0, eq) : arg;
    const spec = SPEC[flag];
    if (!spec) usageError(`unknown argument "${arg}"`);
    const [name, kind] = spec;
    let value;
    if (kind === 'off') {
      if (eq > 0) usageError(`${flag} takes no value`);
      value = false;
    } else if (eq > 0) value = arg.slice(eq + 1);
    else {
      if (i + 1 >= args.length || args[i + 1].startsWith('--')) usageError(`${flag} needs a value`);
      value = args[++i];
    }
    if (name === 'out') {
      if (out !== undefined) usageError('--out given twice');
      out = value;
    } else {
      if (name in options) usageError(`${flag} given twice`);
      options[name] = value;
    }
  }
  return { options, out };
}

function main(argv) {
  const [command, ...rest] = argv;
  if (!command) {
    process.stderr.write(HELP);
    return 2;
  }
  if (command === '--help' || command === '-h' || command === 'help') {
    process.stdout.write(HELP);
    return 0;
  }
  if (command !== 'snippet') usageError(`unknown command "${command}"`);
  if (rest.includes('--help') || rest.includes('-h')) {
    process.stdout.write(HELP);
    return 0;
  }
  const { options, out } = parseSnippetArgs(rest);
  if (out !== undefined && !out) usageError('--out needs a file name');
  const code = buildSnippet(options, { check: true });
  if (out === undefined) {
    process.stdout.write(code);
    return 0;
  }
  try {
    fs.writeFileSync(out, code);
  } catch (err) {
    throw Object.assign(new Error(`cannot write ${out}: ${err.message}`), { exitCode: 1 });
  }
  process.stderr.write(
    `twilight-tracker: wrote the snippet to ${path.resolve(out)} (${code.length} bytes)\n`,
  );
  return 0;
}

try {
  process.exitCode = main(process.argv.slice(2));
} catch (err) {
  process.stderr.write(`twilight-tracker snippet: ${err.message}\n`);
  process.exitCode = err.exitCode ?? (err instanceof SnippetError ? 2 : 1);
}
