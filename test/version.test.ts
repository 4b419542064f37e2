import { readFileSync } from 'node:fs';
import { expect, it } from 'vitest';
import { VERSION } from '../src/version';
import { version } from '../src/index';

it('VERSION (one place, src/version.ts) is package.json’s version, and the ESM entry exports it', () => {
  const pkg = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as {
    version: string;
  };
  expect(VERSION).toBe(pkg.version);
  expect(version).toBe(pkg.version);
});
