import { stringify } from '../lib/json';

/**
 * Serialize one batch body (Segment HTTP batch-compatible). `events` are each event's JSON, already
 * written; after them, `sentAt` and the write key (left out when empty): the JSON of an object of
 * the two, without its `{`.
 */
export const batchBody = (events: string[], sentAt: string, writeKey?: string): string =>
  '{"batch":[' +
  events.join() +
  '],' +
  (stringify({ sentAt, writeKey: writeKey || undefined }) as string).slice(1);
