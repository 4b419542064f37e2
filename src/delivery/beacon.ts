import type { TrackerEvent } from '../schema';
import { utf8Length } from '../lib/json';

/** A beacon carries at most this many bytes of events (one larger event goes alone). */
export const BEACON_BYTES = 16384;

/** Unload order, lowest first: the events a merchant can least afford to lose go first. */
// prettier-ignore
const PRIORITY: unknown[] = ['Signed In', 'Signed Up', 'Product Removed', 'Coupon Applied', 'Cart Viewed', 'Product Added', 'Order Completed'];

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
  /** The beacon being filled. */
  let chunk = new Set<TrackerEvent>();
  let size = 0;
  let left = room - head;
  const close = () => {
    // (in the order they came)
    chunks.push(items.filter((e) => chunk.has(e)));
    left -= size + head;
    chunk = new Set();
    size = 0;
  };
  // (a page event, `false` here, ranks -1 as an event not listed)
  const rank = (e: TrackerEvent) => PRIORITY.indexOf(e.type === 'track' && e.event);
  // (a stable sort: events of the same rank keep their order)
  for (const e of items.slice().sort((a, b) => rank(b) - rank(a))) {
    const n = utf8Length(json(e)) + 1;
    if (chunk.size && size + n > max) {
      // It needs a new chunk: skipped (kept for later) when a new one could not take it either.
      if (n > left - size - head) continue;
      close();
    }
    if (size + n > left) continue; // does not fit what is left: kept for later
    chunk.add(e);
    size += n;
  }
  if (chunk.size) close();
  return chunks;
}
