import type { TrackerEvent } from '../schema';
import { eventName } from '../event/build';
import { utf8Length } from '../lib/json';

/** A beacon carries at most this many bytes of events (one larger event goes alone). */
export const BEACON_BYTES = 16384;

/** Unload order, lowest first: the events a merchant can least afford to lose go first. */
// prettier-ignore
const PRIORITY = ['Signed In', 'Signed Up', 'Product Removed', 'Coupon Applied', 'Cart Viewed', 'Product Added', 'Order Completed'];

/** One beacon: its events (the endpoint writes their JSON into the body). */
export type Chunk = TrackerEvent[];

/**
 * Plan the beacons that carry `items` at unload: high-value events are taken first, each beacon at
 * most `max` bytes of events, all of them together within `room` bytes, each beacon's body costing
 * `head` bytes besides its events. Within a beacon the events keep their order (the first beacon holds
 * the high-value ones). Events that do not fit are left out (kept for later).
 */
export function planBeacons(
  items: TrackerEvent[],
  json: (e: TrackerEvent) => string,
  room: number,
  head: number,
  max: number,
): Chunk[] {
  const chunks: Chunk[] = [];
  /** The beacon being filled: each event's place in `items`. */
  let chunk: number[] = [];
  let size = 0;
  let left = room - head;
  const close = () => {
    chunk.sort((a, b) => a - b);
    chunks.push(chunk.map((i) => items[i] as TrackerEvent));
    left -= size + head;
    chunk = [];
    size = 0;
  };
  const rank = (i: number) => PRIORITY.indexOf(eventName(items[i] as TrackerEvent));
  for (const i of items.map((_, i) => i).sort((a, b) => rank(b) - rank(a))) {
    const s = json(items[i] as TrackerEvent);
    const n = utf8Length(s) + 1;
    if (chunk.length && size + n > max) {
      // It needs a new chunk: skipped (kept for later) when a new one could not take it either.
      if (n > left - size - head) continue;
      close();
    }
    if (size + n > left) continue; // does not fit what is left: kept for later
    chunk.push(i);
    size += n;
  }
  if (chunk.length) close();
  return chunks;
}
