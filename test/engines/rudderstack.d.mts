import type { GatewayRequest, GatewayResult } from './common.mjs';

export interface RudderStackOptions {
  /** The workspace's sources (default: any non-empty key is a source). */
  writeKeys?: string[];
  /** Gateway.maxReqSizeInKB (default 4000, × 1024 bytes). */
  maxReqSizeInKB?: number;
  /** Gateway.allowReqsWithoutUserIDAndAnonymousID (default false). */
  allowReqsWithoutUserIDAndAnonymousID?: boolean;
  /** The UUID the gateway fills in for a missing messageId (default crypto.randomUUID). */
  uuid?: () => string;
}

export const MESSAGES: {
  readonly ok: 'ok';
  readonly noWriteKeyInBasicAuth: 'failed to read writekey from header';
  readonly noWriteKeyInQueryParams: 'failed to read writekey from query params';
  readonly invalidWriteKey: 'invalid write key';
  readonly invalidJson: 'invalid json';
  readonly notRudderEvent: 'event is not a valid rudder event';
  readonly nonIdentifiableRequest: 'request neither has anonymousId nor userId';
  readonly requestBodyTooLarge: 'request size exceeds max limit';
  readonly emptyBatchPayload: 'empty batch payload';
};
export const MAX_REQ_SIZE_IN_KB: number;
export function sanitizeId(s: string): string;
export function idOf(v: unknown): string;
export function accept(req: GatewayRequest, options?: RudderStackOptions): GatewayResult;
