// The consent state machine (src/pipeline/consent.ts), state by state: written to kill its mutants
// (`npm run mutation`, docs/mutation.md).
import { describe, expect, it } from 'vitest';
import { createConsent } from '../../src/pipeline/consent';
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

  it('refuses a state that is not one of the three, and it counts as no choice', () => {
    const c = createConsent();
    for (const bad of ['', 'yes', 'Granted', 'undefined']) {
      expect(c.set(bad as ConsentState)).toBe(false);
      expect(c.state()).toBe('pending');
    }
    // The refused value made no explicit choice: a stored one still applies.
    expect(c.set('granted', true)).toBe(true);
    expect(c.state()).toBe('granted');
  });

  it('applies a stored choice while no explicit one was made, each time', () => {
    const c = createConsent();
    expect(c.set('denied', true)).toBe(true);
    expect(c.state()).toBe('denied');
    expect(c.set('granted', true)).toBe(true); // a stored choice is not explicit: the next one applies
    expect(c.state()).toBe('granted');
    expect(c.set('granted', true)).toBe(false);
  });

  it('ignores a stored choice once an explicit one was made, even one that changed nothing', () => {
    const c = createConsent();
    expect(c.set('pending')).toBe(false); // explicit, and no change
    expect(c.set('granted', true)).toBe(false);
    expect(c.state()).toBe('pending');
    expect(c.set('denied')).toBe(true);
    expect(c.set('granted', true)).toBe(false);
    expect(c.state()).toBe('denied');
    expect(c.set('granted', false)).toBe(true); // stored: false is explicit
    expect(c.state()).toBe('granted');
  });

  it('counts the initial state as explicit: a stored choice never overrides it', () => {
    const c = createConsent('denied');
    expect(c.set('granted', true)).toBe(false);
    expect(c.state()).toBe('denied');
    expect(c.set('granted')).toBe(true);
  });
});
