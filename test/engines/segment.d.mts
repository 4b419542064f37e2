import type { GatewayRequest, GatewayResult } from './common.mjs';

export interface SegmentOptions {
  /** The workspace's sources (default: any non-empty key is a source). */
  writeKeys?: string[];
  /**
   * Default true: a `context.consent` that is not `{ categoryPreferences: { <category>: boolean } }`
   * rejects the message (derived, see segment.mjs). false: only the documented check of the
   * "Segment Consent Preference Updated" event.
   */
  strictConsent?: boolean;
}

/** A message Segment drops (this gateway's report; Segment documents no response body). */
export interface Rejection {
  /** Index in `batch` (-1 for the whole request). */
  index: number;
  messageId: string | undefined;
  code: string;
  /** The code name and its use on this message are Segment's documented ones. */
  documented: boolean;
  reason: string;
}

export const MAX_BATCH_BYTES: number;
export const MAX_MESSAGE_BYTES: number;
export const MAX_MESSAGES: number;
export const MAX_MESSAGE_ID_CHARS: number;
export const CONSENT_EVENT: 'Segment Consent Preference Updated';
export function accept(req: GatewayRequest, options?: SegmentOptions): GatewayResult;
