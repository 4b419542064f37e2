import { stringify } from '../lib/json';

/**
 * Serialize one batch body (Segment HTTP batch-compatible). `events` are each event's JSON, already
 * written; `sentAt` is an ISO time (`isoTime`), whose JSON is the time itself in quotes.
 */
export const batchBody = (events: string[], sentAt: string, writeKey?: string): string =>
  '{"batch":[' +
  events.join() +
  '],"sentAt":' +
  stringify(sentAt) +
  (writeKey ? ',"writeKey":' + stringify(writeKey) : '') +
  '}';
