// The port the endpoint sends through (src/browser/transport.ts is the browser's; tests use doubles).
import type { Flight } from './queue';
import type { SendResult } from './retryPolicy';

/** How the endpoint reaches the network (the browser's transport, or a test double). */
export interface Transport {
  /**
   * POST a batch's `text/plain` body while the page lives; never rejects. Sets `flight.kept` when the
   * batch is with the browser in a way that outlives the page (keepalive within the budget; a beacon
   * is answered at once).
   * `body` writes the body when a request goes (its `sentAt` then), the same length each time.
   */
  post(url: string, body: () => string, flight: Flight<unknown>): Promise<SendResult>;
  /** At unload: hand a body to the browser so that it outlives the page, within the budget; false when it cannot. */
  unload(url: string, body: string): boolean;
  /** Bytes that can still be handed over to outlive the page (the keepalive budget left). */
  room(): number;
  /** The browser knows it is offline: nothing handed over now would arrive. */
  offline(): boolean;
}
