import type { ConsentState } from '../schema';
import type { PiiPolicy } from '../types';
import { get } from '../lib/read';
import { warn } from '../lib/log';
import type { EventGate } from '../pipeline/createPipeline';

/** Options after validation: every field has a sane value. */
export interface Parsed {
  endpoint?: string;
  writeKey?: string;
  batchSize: number;
  flushInterval: number;
  debug: boolean;
  events?: EventGate;
  pii: PiiPolicy;
  consent?: ConsentState;
  deniedMode: 'anonymous' | 'none';
  webVitals: boolean;
  autoPage: boolean;
  callbackTimeout: number;
  prefix: string;
}

const names = (v: unknown): string[] | undefined =>
  Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : undefined;

/**
 * Validate options. Bad values never throw: they fall back to defaults with one console warning
 * listing every problem.
 */
export function parseOptions(input: unknown): Parsed {
  const bad: string[] = [];
  let o: Record<string, unknown> = {};
  if (input !== undefined && input !== null)
    if (typeof input === 'object') o = input as Record<string, unknown>;
    else bad.push('options must be an object');
  const read = (k: string): unknown => {
    try {
      return o[k];
    } catch {
      bad.push(k + ' could not be read');
      return undefined;
    }
  };
  const int = (k: string, def: number, min: number, max: number): number => {
    let v = read(k);
    if (v === undefined || v === null || v === '') return def;
    if (typeof v === 'string') v = Number(v);
    // NaN and ±Infinity fail the range test too.
    if (typeof v !== 'number' || !(v >= min && v <= max)) {
      bad.push(k + ' must be a number from ' + min + ' to ' + max);
      return def;
    }
    return Math.round(v);
  };
  const oneOf = <T extends string>(k: string, allowed: T[]): T | undefined => {
    const v = read(k);
    if (allowed.indexOf(v as T) >= 0) return v as T;
    if (v !== undefined && v !== null) bad.push(k + ' must be one of ' + allowed.join(', '));
    return undefined;
  };
  const bool = (k: string, def: boolean): boolean => {
    const v = read(k);
    return v === undefined || v === null ? def : v !== false && v !== 'false' && v !== '0' && v !== 0;
  };
  const text = (k: string): string | undefined => {
    const v = read(k);
    if (typeof v === 'string') return v || undefined;
    if (v !== undefined && v !== null) bad.push(k + ' must be a string');
    return undefined;
  };

  let events: Parsed['events'];
  const ev = read('events');
  if (ev !== undefined && ev !== null) {
    const allow = names(ev) || names(get(ev, 'allow'));
    const deny = names(get(ev, 'deny'));
    if (allow) events = { allow };
    else if (deny) events = { deny };
    else bad.push('events must be an array of names, {allow: [...]} or {deny: [...]}');
  }
  const endpoint = text('endpoint');
  const parsed: Parsed = {
    endpoint,
    writeKey: text('writeKey'),
    batchSize: int('batchSize', 20, 1, 500),
    flushInterval: int('flushInterval', 2000, 0, 60000),
    debug: bool('debug', false),
    events,
    pii: oneOf('pii', ['hash', 'drop', 'keep']) || 'hash',
    consent: oneOf('consent', ['pending', 'granted', 'denied']),
    deniedMode: oneOf('deniedMode', ['anonymous', 'none']) || 'anonymous',
    webVitals: bool('webVitals', true),
    autoPage: bool('autoPage', true),
    callbackTimeout: int('callbackTimeout', 10000, 100, 120000),
    prefix: text('storagePrefix') || 'tt',
  };
  if (bad.length) warn('invalid options, using defaults for: ' + bad.join('; '));
  return parsed;
}
