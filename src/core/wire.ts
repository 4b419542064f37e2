import type { TrackerEvent } from '../schema';
import { stringify } from './stringify';

/** The body POSTed to the endpoint (Segment HTTP batch-compatible). */
export interface BatchBody {
  batch: TrackerEvent[];
  /** ISO-8601 time the batch left the browser. */
  sentAt: string;
  writeKey?: string;
}

/** Serialize one batch. `events` are already-serialized event JSON strings (so sizes can be budgeted). */
export const batchBody = (events: string[], sentAt: string, writeKey?: string): string =>
  '{"batch":[' +
  events.join() +
  '],"sentAt":"' +
  sentAt +
  (writeKey ? '","writeKey":' + stringify(writeKey) : '"') +
  '}';

/** UTF-8 byte length of a string (no allocation). */
export function utf8Length(s: string): number {
  let n = s.length;
  for (let i = n; i--;) {
    const c = s.charCodeAt(i);
    // 2 bytes up to U+07FF, 3 above; a surrogate pair (4 bytes) counts 3 + 1.
    if (c > 127 && (c < 0xdc00 || c > 0xdfff)) n += c > 2047 ? 2 : 1;
  }
  return n;
}
