/** Building one event: its wire shape, its name and its time. */
import type { EventContext, TrackerEvent } from '../schema';

/** The name an event is known by: a track event's `event`, else `page`. */
export const eventName = (e: TrackerEvent): string => (e.type === 'track' ? e.event : 'page');

let lastMs = NaN;
let lastIso: string; // (set before it is read: no time is NaN)
/** The ISO-8601 time of `ms`; the last one is reused (a burst of events shares its milliseconds). */
export const isoTime = (ms: number): string =>
  ms === lastMs ? lastIso : (lastIso = new Date((lastMs = ms)).toISOString());

/**
 * A `track` (named `name`) or `page` event (of page slug `name`). Its `anonymousId` is set on its
 * way out, by consent: the stored one, or the page's own.
 */
export function buildEvent(
  type: 'track' | 'page',
  name: string,
  properties: object,
  context: EventContext,
  userId: string | undefined,
  messageId: string,
  timestamp: string,
): TrackerEvent {
  // One literal: the name's key (`event` or `name`) is computed, second as in both shapes of the schema.
  return {
    type,
    [type === 'track' ? 'event' : 'name']: name,
    properties,
    context,
    anonymousId: '',
    userId,
    messageId,
    timestamp,
  } as TrackerEvent;
}
