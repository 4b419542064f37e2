// What a send's answer means (src/delivery/retryPolicy.ts): backoff, verdict per status, Retry-After.
// Written to kill its mutants (`npm run mutation`, docs/mutation.md).
import { describe, expect, it } from 'vitest';
import { backoff, retryAfterMs, statusPolicy } from '../../src/delivery/retryPolicy';

describe('backoff', () => {
  it('is 1 s × 2^(attempt-1) times a jitter of 0.75 to 1.25, rounded, capped at 30 s', () => {
    const at = (attempt: number, r: number) => backoff(attempt, () => r);
    expect(at(1, 0)).toBe(750);
    expect(at(1, 0.5)).toBe(1000);
    expect(at(1, 1)).toBe(1250);
    expect(at(2, 0.5)).toBe(2000);
    expect(at(3, 0.5)).toBe(4000);
    expect(at(5, 0.5)).toBe(16000);
    expect(at(1, 0.001)).toBe(751); // 750.5, rounded
    expect(at(1, 0.0009)).toBe(750); // 750.45
    // The base is capped at 30 s before the jitter (32 s × 0.75 would be 24 s), the result after it.
    expect(at(6, 0)).toBe(22500);
    expect(at(6, 0.5)).toBe(30000);
    expect(at(6, 1)).toBe(30000);
    expect(at(20, 0)).toBe(22500);
    expect(at(5, 1)).toBe(20000);
  });
});

describe('statusPolicy', () => {
  it.each([
    [0, 'retry'],
    [100, 'retry'],
    [199, 'retry'],
    [200, 'ok'],
    [201, 'ok'],
    [299, 'ok'],
    [300, 'retry'],
    [304, 'retry'],
    [399, 'retry'],
    [400, 'split'],
    [401, 'drop'],
    [408, 'retry'],
    [409, 'drop'],
    [412, 'drop'],
    [413, 'split'],
    [414, 'drop'],
    [421, 'drop'],
    [422, 'split'],
    [423, 'drop'],
    [428, 'drop'],
    [429, 'retry'],
    [430, 'drop'],
    [499, 'drop'],
    [500, 'retry'],
    [599, 'retry'],
    [600, 'retry'],
  ])('%i → %s', (status, verdict) => expect(statusPolicy(status)).toBe(verdict));
});

describe('retryAfterMs', () => {
  const now = Date.parse('2026-12-02T10:00:00Z');
  it.each([
    ['1', 1000],
    ['0.001', 1],
    ['3600', 3600000],
    ['3601', 3600000], // at most an hour
    ['  ', undefined],
    [undefined, undefined],
    ['Wed, 02 Dec 2026 10:00:01 GMT', 1000],
    ['Wed, 02 Dec 2026 10:00:00 GMT', undefined], // now: not in the future
    ['Wed, 02 Dec 2026 11:30:00 GMT', 3600000],
  ])('%j → %j', (header, ms) => expect(retryAfterMs(header, now)).toBe(ms));
});
