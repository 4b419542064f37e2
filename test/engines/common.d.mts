/** A request as an engine receives it: header names in lower case, the body as a (UTF-8) string. */
export interface GatewayRequest {
  method: string;
  path: string;
  query?: URLSearchParams | Record<string, string>;
  headers?: Record<string, string>;
  body?: string;
  /** The client address, used only where an engine writes it into an answer. */
  ip?: string;
}

/** An event an engine keeps, with the write key it came with. */
export interface AcceptedEvent {
  writeKey: string;
  event: Record<string, unknown>;
}

/** What an engine answers, and the events it keeps. */
export interface GatewayResult {
  status: number;
  /** The answer as an object (`{ text }` for a plain-text answer). */
  response: Record<string, unknown>;
  /** The answer's bytes. */
  body: string;
  /** The answer's headers (lower-case names). */
  headers: Record<string, string>;
  /** The key the engine resolved for the request (also when it rejected it later). */
  writeKey: string | undefined;
  accepted: AcceptedEvent[];
}

export function header(req: GatewayRequest, name: string): string;
export function queryParam(req: GatewayRequest, name: string): string | undefined;
export function utf8Bytes(s: string): number;
export function isObject(v: unknown): v is Record<string, unknown>;
export function copyJson<T>(v: T): T;
export function parseJson(text: string): { ok: boolean; value: unknown };
export function goBase64Decode(s: string): { ok: true; text: string } | { ok: false; at: number };
export function goBasicAuth(authorization: string): { user: string; pass: string } | null;
/** `Authorization: Basic base64(key + ':')`, as the SDKs send a write key. */
export function basicAuth(writeKey: string): string;
export function randomUuid(): string;
export function result(
  status: number,
  response: Record<string, unknown>,
  body: string,
  contentType: string,
  writeKey: string | undefined,
  accepted?: AcceptedEvent[],
  extraHeaders?: Record<string, string>,
): GatewayResult;
