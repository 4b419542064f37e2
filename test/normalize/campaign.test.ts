import { describe, expect, it, vi } from 'vitest';
import { campaign } from '../../src/pipeline/campaign';

const NOW = Date.parse('2026-11-22T10:00:00Z');
/** What the SDK stores under `s-utms_<storeId>` (Salla.storage.setWithTTL). */
const stored = {
  value: {
    's-utm-source': 'instagram',
    's-utm-medium': 'social',
    's-utm-campaign': 'eid',
    's-utm-referrer': 'https://instagram.com/',
  },
  expiry: NOW + 60_000,
};

describe('campaign', () => {
  it('reads the URL utm_* parameters first', () => {
    expect(
      campaign(
        '?utm_source=google&utm_medium=cpc&utm_campaign=beans&utm_term=coffee&utm_content=ad1&x=1',
        stored,
        NOW,
      ),
    ).toEqual({
      source: 'google',
      medium: 'cpc',
      name: 'beans',
      term: 'coffee',
      content: 'ad1',
    });
  });

  it('else the SDK’s stored UTM, raw ({value, expiry}) or as getWithTTL gives it', () => {
    const c = { source: 'instagram', medium: 'social', name: 'eid' };
    expect(campaign('?q=tea', stored, NOW)).toEqual(c);
    expect(campaign(undefined, stored.value, NOW)).toEqual(c);
  });

  it('an email address in a UTM value (a mailing tool’s utm_term) becomes [email], as in the page url and search', () => {
    // `context.page.search` has it redacted; the campaign must not send it in clear beside it.
    expect(
      campaign(
        '?utm_source=newsletter&utm_term=sara%40example.com&utm_content=ad1:sara@example.com',
        null,
        NOW,
      ),
    ).toEqual({
      source: 'newsletter',
      term: '[email]',
      content: 'ad1:[email]',
    });
    // The SDK keeps the visit's UTM 90 days: the next pages read it from storage.
    expect(campaign('', { 's-utm-term': 'SARA@EXAMPLE.COM', 's-utm-source': 'mail' }, NOW)).toEqual({
      source: 'mail',
      term: '[email]',
    });
  });

  it('cuts each UTM value to 200 characters', () => {
    const long = 'a'.repeat(250);
    expect(campaign('?utm_source=' + long, undefined, NOW)).toEqual({ source: 'a'.repeat(200) });
    expect(campaign('', { 's-utm-term': long }, NOW)).toEqual({ term: 'a'.repeat(200) });
  });

  it('nothing when neither has one, or the stored one expired', () => {
    expect(campaign('', undefined, NOW)).toBeUndefined();
    expect(campaign('?utm_source=', null, NOW)).toBeUndefined();
    expect(campaign('', { ...stored, expiry: NOW - 1 }, NOW)).toBeUndefined();
  });

  it("falls back to the stored campaign where URLSearchParams throws (a page's broken polyfill)", () => {
    vi.stubGlobal(
      'URLSearchParams',
      class {
        constructor() {
          throw new Error('broken');
        }
      },
    );
    try {
      expect(campaign('?utm_source=google', stored, NOW)).toMatchObject({ source: 'instagram', name: 'eid' });
    } finally {
      vi.unstubAllGlobals();
    }
  });
});
