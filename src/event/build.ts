/** One event's name and its time (src/pipeline/createPipeline.ts builds it). */
import type { TrackerEvent } from '../schema';

/** The name an event is known by: a track event's `event`, else `page`. */
export const eventName = (e: TrackerEvent): string => (e.type === 'track' ? e.event : 'page');

let lastMs = NaN;
let lastIso: string; // (set before it is read: no time is NaN)
/** The ISO-8601 time of `ms`; the last one is reused (a burst of events shares its milliseconds). */
export const isoTime = (ms: number): string =>
  ms === lastMs ? lastIso : (lastIso = new Date((lastMs = ms)).toISOString());
