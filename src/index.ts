/**
 * twilight-tracker: a small, typed, batching event tracker for Salla storefronts.
 * @packageDocumentation
 */
export { createTracker } from './createTracker';
export { VERSION as version } from './version';
export { isEvent } from './schema';
export { validateEvent } from './validate';
export type * from './schema';
export type * from './types';
