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
  storagePrefix: string;
  settingsPrefix: string;
  vitalsUrl?: string;
}

/**
 * Each option's rule: a string (`''`), a whole number [default, min, max], a boolean default, or
 * the allowed values (the first is the default, `''` for none). Bad values are named in this order
 * (`E3`); the first eight are the options a store can set in its app settings.
 */
const RULES: Record<Exclude<keyof Parsed, 'events'>, string | number[] | boolean | string[]> = {
  endpoint: '',
  writeKey: '',
  batchSize: [20, 1, 500],
  flushInterval: [2000, 0, 60000],
  pii: ['hash', 'drop', 'keep'],
  consent: ['', 'pending', 'granted', 'denied'],
  deniedMode: ['anonymous', 'none'],
  webVitals: true,
  debug: false,
  autoPage: true,
  callbackTimeout: [10000, 100, 120000],
  storagePrefix: 'tt',
  settingsPrefix: 'tracker_',
  vitalsUrl: '',
};

/** The options a store can set in its app settings (`app.<prefix><snake_case name>`). */
export const APP_SETTINGS = Object.keys(RULES).slice(0, 8) as Array<keyof Parsed>;

const names = (v: unknown): string[] | undefined =>
  Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : undefined;

/**
 * Option `k` as the last of `layers` that gives it has it. A layer gives none when it is not an
 * object, reading the key throws, or the value is null, or empty (`data-x=""`) for a rule other than a
 * boolean one (`data-debug` with no value is on). A loop, not `reduce()`: Prototype.js 1.6 replaces
 * `Array.prototype.reduce` with something else.
 */
function pick(layers: unknown[], k: string): unknown {
  let v: unknown;
  for (const l of layers) {
    const x = get(l, k);
    if (x === '' ? typeof RULES[k as keyof typeof RULES] === 'boolean' : x != null) v = x;
  }
  return v;
}

/** Is option `k` given by one of `layers`? */
export const given = (layers: unknown[], k: string): boolean => pick(layers, k) !== undefined;

/** The layers of `x`: an array of option objects, or one. */
export const layersOf = (x: unknown): unknown[] => (Array.isArray(x) ? x : [x]);

/**
 * Merge option layers (later wins, key by key) and validate the result. Bad values never throw: they
 * get their defaults, with one console warning naming them (`E3 batchSize, pii`). Layers are untrusted objects (options,
 * a script tag's `dataset`, queued `init` calls, app settings).
 */
export function parseOptions(...layers: unknown[]): Parsed {
  for (const layer of layers) if (layer != null && typeof layer !== 'object') warn('E2', typeof layer);

  // (`events` own too: a page's `Object.prototype.events` must not become the filter)
  const out: Record<string, unknown> = { events: undefined };
  const wrong: string[] = [];
  for (const [k, rule] of Object.entries(RULES)) {
    let v = pick(layers, k);
    if (typeof rule === 'boolean') {
      // `data-debug` with no value ("") is on; "false" and "0" (attributes, app settings) are off.
      v = v === undefined ? rule : v !== false && v !== 'false' && v !== '0' && v !== 0;
    } else {
      const def = typeof rule === 'string' ? rule : rule[0];
      if (typeof def === 'number' && typeof v === 'string') v = +v;
      // Of the default's type, and a number within [min, max] (NaN and ±Infinity fail the range test
      // too), a string (a string rule is its own default), or one of the values.
      const ok =
        typeof v === typeof def &&
        (typeof def === 'number'
          ? (v as number) >= (rule[1] as number) && (v as number) <= (rule[2] as number)
          : rule === def || (rule as string[]).indexOf(v as string) >= 0);
      if (!ok) {
        if (v !== undefined) wrong.push(k);
        v = def || undefined;
      } else if (typeof v === 'number') v = Math.round(v);
    }
    out[k] = v;
  }
  const ev = pick(layers, 'events');
  if (ev !== undefined) {
    const allow = names(ev) || names(get(ev, 'allow'));
    const deny = names(get(ev, 'deny'));
    if (allow) out.events = { allow };
    else if (deny) out.events = { deny };
    else wrong.push('events');
  }
  if (wrong.length) warn('E3', wrong.join(', '));
  return out as unknown as Parsed;
}
