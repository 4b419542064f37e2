// The licenses that ship: this project's (MIT, LICENSE) and web-vitals' (Apache-2.0), whose code is in
// the vitals files: its license text in THIRD_PARTY_NOTICES, in the npm package, and named in the
// first line of each file that carries its code.
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';

const read = (p: string) => readFileSync(new URL('../' + p, import.meta.url), 'utf8');
const pkg = JSON.parse(read('package.json')) as { license: string; version: string };
const vitals = JSON.parse(read('node_modules/web-vitals/package.json')) as {
  version: string;
  license: string;
};
const BUILT = existsSync(new URL('../dist/tracker-vitals.js', import.meta.url));
const NEEDS_BUILD = BUILT ? '' : ' (SKIPPED: dist/ is not built; `npm test` builds it first)';

describe('licenses', () => {
  it('LICENSE is the MIT license that package.json names', () => {
    expect(pkg.license).toBe('MIT');
    expect(read('LICENSE')).toMatch(
      /^MIT License\n\nCopyright \(c\) \d{4} .+\n\nPermission is hereby granted/,
    );
  });

  it("THIRD_PARTY_NOTICES carries the installed web-vitals' version and its license text, whole", () => {
    const notices = read('THIRD_PARTY_NOTICES');
    expect(vitals.license).toBe('Apache-2.0');
    expect(notices).toContain(`web-vitals ${vitals.version}\n`);
    expect(notices.endsWith(read('node_modules/web-vitals/LICENSE'))).toBe(true);
  });

  it('the npm package holds both files beside the built ones', () => {
    const [packed] = JSON.parse(
      execFileSync('npm', ['pack', '--dry-run', '--json', '--ignore-scripts'], { encoding: 'utf8' }),
    ) as [{ files: { path: string }[] }];
    const files = packed.files.map((f) => f.path);
    expect(files).toEqual(expect.arrayContaining(['LICENSE', 'THIRD_PARTY_NOTICES', 'package.json']));
  });

  it.skipIf(!BUILT)(
    'each built file that carries web-vitals names it and its license first' + NEEDS_BUILD,
    () => {
      const line = `/*! twilight-tracker ${pkg.version} | MIT; includes web-vitals ${vitals.version}, (c) Google LLC, Apache-2.0 */`;
      for (const f of ['dist/tracker-vitals.js', 'dist/vitals.mjs'])
        expect(read(f).startsWith(line), f).toBe(true);
      // (and tracker.js, none of whose code is web-vitals', starts with its code: no bytes spent on a line)
      expect(read('dist/tracker.js')).toMatch(/^!function\(\)\{/);
      expect(read('dist/index.mjs')).toMatch(/^\/\*! twilight-tracker \S+ \| MIT \*\/let /);
    },
  );
});
