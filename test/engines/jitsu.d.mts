import type { GatewayRequest, GatewayResult } from './common.mjs';

export interface JitsuOptions {
  /** The workspace's stream keys (default: any non-empty key is a stream with a destination). */
  writeKeys?: string[];
  /** The UUIDs ingest generates (default crypto.randomUUID). */
  uuid?: () => string;
  /** MAX_INGEST_PAYLOAD_SIZE (default 1000000 bytes). */
  maxIngestPayloadSize?: number;
}

export const MAX_INGEST_PAYLOAD_SIZE: number;
export function accept(req: GatewayRequest, options?: JitsuOptions): GatewayResult;
