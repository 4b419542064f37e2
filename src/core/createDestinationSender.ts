import type { TrackerEvent } from '../schema';
import type { Destination, SallaDestination } from '../types';
import type { Log } from './createLog';
import type { SendResult } from './createQueue';
import { stringify } from './stringify';

export interface DestinationSender {
  name?: string;
  send(events: TrackerEvent[]): Promise<SendResult>;
}

/** A private copy, so that a callback that mutates its events cannot change another destination's. */
const copy = (events: TrackerEvent[]): TrackerEvent[] =>
  JSON.parse(stringify(events) as string) as TrackerEvent[];

/**
 * Wrap an untrusted destination (batch callback or Salla-compatible object) into a sender that
 * never throws: a throw or a rejection is status 0 (retried; the queue also times out a hang).
 * Object destinations get one `track`/`page` call per event; on a retry, events they already
 * accepted are skipped.
 */
export function createDestinationSender(dest: Destination, log: Log): DestinationSender | undefined {
  let call: (events: TrackerEvent[]) => unknown;
  let name: string | undefined;
  if (typeof dest === 'function') {
    call = (events) => dest(events);
  } else if (dest && typeof dest === 'object' && typeof (dest as SallaDestination).track === 'function') {
    const d = dest as SallaDestination;
    name = typeof d.name === 'string' && d.name ? d.name : undefined;
    const done = new Set<string>();
    call = async (events) => {
      if (done.size > 2000) done.clear();
      for (const e of events) {
        if (done.has(e.messageId)) continue;
        if (e.type === 'page') {
          if (typeof d.page === 'function') await d.page(e.properties, e);
        } else await d.track(e.event, e.properties, e);
        done.add(e.messageId);
      }
    };
  } else {
    log('register() needs a function or an object with a track() method; ignored');
    return undefined;
  }
  return {
    name,
    send: (events) =>
      new Promise((r) => r(call(copy(events)))).then(
        () => ({ status: 200 }),
        (err) => {
          log('destination "' + (name || 'callback') + '" failed', err);
          return { status: 0, error: 'callback failed' };
        },
      ),
  };
}
