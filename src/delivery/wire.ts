import { stringify } from '../lib/json';

/** Serialize one batch body (Segment HTTP batch-compatible). `events` are each event's JSON, already written. */
export const batchBody = (events: string[], sentAt: string, writeKey?: string): string =>
  '{"batch":[' +
  events.join() +
  '],"sentAt":"' +
  sentAt +
  (writeKey ? '","writeKey":' + stringify(writeKey) : '"') +
  '}';
