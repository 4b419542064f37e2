import type { JitsuOptions } from './jitsu.mjs';
import type { RudderStackOptions } from './rudderstack.mjs';
import type { SegmentOptions } from './segment.mjs';

export type Engine = 'rudderstack' | 'segment' | 'jitsu';
export const ENGINES: readonly ['rudderstack', 'segment', 'jitsu'];

/** One request a gateway received (preflights included). */
export interface RequestRecord {
  engine: Engine;
  /** The key the engine resolved, else the first one the request carries. */
  writeKey: string | undefined;
  method: string;
  /** The path after the engine prefix. */
  path: string;
  /** The query string, with its '?' ('' when none). */
  query: string;
  status: number;
  contentType: string;
  bytes: number;
  preflight: boolean;
  /** Sent by navigator.sendBeacon (`Sec-Fetch-Mode: no-cors`). */
  beacon: boolean;
  /** Length of the body's `batch` array (0 when unreadable). */
  events: number;
  /** Events the engine kept. */
  accepted: number;
  /** The engine's answer as an object (null for a preflight). */
  response: Record<string, unknown> | null;
  at: number;
}

export interface AcceptedRecord {
  engine: Engine;
  writeKey: string;
  event: Record<string, unknown>;
}

export interface EngineOptions {
  rudderstack?: RudderStackOptions;
  segment?: SegmentOptions;
  jitsu?: JitsuOptions;
}

export interface Gateways {
  /** `http://127.0.0.1:PORT` */
  url: string;
  port: number;
  close(): Promise<void>;
  requests(engine?: Engine, writeKey?: string): RequestRecord[];
  accepted(engine?: Engine, writeKey?: string): AcceptedRecord[];
  reset(): void;
}

export function startGateways(config?: { port?: number; options?: EngineOptions }): Promise<Gateways>;
