// The consent state machine (src/pipeline/consent.ts), state by state: written to kill its mutants
// (`npm run mutation`, docs/mutation.md).
import { describe, expect, it } from 'vitest';
import { CONFIGURED, createConsent, EXPLICIT, INFERRED, SHOPPER } from '../../src/pipeline/consent';
import type { ConsentState } from '../../src/schema';

describe('createConsent', () => {
  it('starts pending without an initial state, and at the initial state with one', () => {
    expect(createConsent().state()).toBe('pending');
    expect(createConsent('granted').state()).toBe('granted');
    expect(createConsent('denied').state()).toBe('denied');
  });

  it('moves between all three states, true on each change and false when nothing changes', () => {
    const c = createConsent();
    expect(c.set('pending')).toBe(false);
    expect(c.state()).toBe('pending');
    expect(c.set('granted')).toBe(true);
    expect(c.state()).toBe('granted');
    expect(c.set('granted')).toBe(false);
    expect(c.set('denied')).toBe(true);
    expect(c.state()).toBe('denied');
    expect(c.set('pending')).toBe(true); // the first state is a state too
    expect(c.state()).toBe('pending');
  });

  it('refuses a state that is not one of the three, and it counts as no signal', () => {
    const c = createConsent();
    for (const bad of ['', 'yes', 'Granted', 'undefined']) {
      expect(c.set(bad as ConsentState)).toBe(false);
      expect(c.state()).toBe('pending');
    }
    // The refused value set no level: the weakest signal still applies.
    expect(c.set('granted', INFERRED)).toBe(true);
    expect(c.state()).toBe('granted');
  });

  it('a signal of the same strength applies each time', () => {
    const c = createConsent();
    expect(c.set('denied', SHOPPER)).toBe(true);
    expect(c.set('granted', SHOPPER)).toBe(true);
    expect(c.state()).toBe('granted');
    expect(c.set('granted', SHOPPER)).toBe(false);
    expect(c.set('pending', INFERRED)).toBe(false); // weaker: ignored
    expect(c.state()).toBe('granted');
  });

  it('ranks: inferred < configured < the shopper’s stored choice < explicit; a weaker one never overrides', () => {
    const c = createConsent();
    expect(c.set('pending', INFERRED)).toBe(false); // no change, but the level is set
    expect(c.set('granted', CONFIGURED)).toBe(true); // the merchant's default beats a guess
    expect(c.set('pending', INFERRED)).toBe(false);
    expect(c.state()).toBe('granted');
    expect(c.set('denied', SHOPPER)).toBe(true); // the shopper's rejection beats the merchant's default
    expect(c.set('granted', CONFIGURED)).toBe(false);
    expect(c.state()).toBe('denied');
    expect(c.set('pending')).toBe(true); // explicit by default
    expect(c.set('granted', SHOPPER)).toBe(false);
    expect(c.state()).toBe('pending');
    expect(c.set('granted', EXPLICIT)).toBe(true);
  });

  it('an explicit choice that changed nothing still sets the level', () => {
    const c = createConsent();
    expect(c.set('pending')).toBe(false);
    expect(c.set('granted', SHOPPER)).toBe(false);
    expect(c.state()).toBe('pending');
  });

  it('the initial state is explicit by default; a configured one yields to the shopper’s choice', () => {
    const c = createConsent('denied');
    expect(c.set('granted', SHOPPER)).toBe(false);
    expect(c.state()).toBe('denied');
    expect(c.set('granted')).toBe(true);
    const d = createConsent('granted', CONFIGURED);
    expect(d.set('pending', INFERRED)).toBe(false);
    expect(d.state()).toBe('granted');
    expect(d.set('denied', SHOPPER)).toBe(true);
    expect(d.state()).toBe('denied');
  });
});
