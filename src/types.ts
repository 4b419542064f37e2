import type {
  ConsentState,
  CustomProperties,
  EventName,
  EventProperties,
  PageEvent,
  PageProperties,
  TrackEvent,
  TrackerEvent,
} from './schema';

/**
 * The part of the Twilight SDK (`window.Salla`) the tracker uses. Everything is optional: the SDK is untrusted.
 * The SDK's own type (`@salla.sa/twilight`) is assignable to it: an EventEmitter2 listener may be given
 * `string[]` names, and its `storage.get` takes a default.
 */
export interface TwilightSdk {
  event?: {
    onAny?(listener: (name: string | string[], ...args: unknown[]) => unknown): unknown;
    offAny?(listener: (name: string | string[], ...args: unknown[]) => unknown): unknown;
    emittedEvents?: unknown;
  };
  config?: { get?(key: string, fallback?: unknown): unknown };
  onReady?(cb: (config?: unknown) => unknown): unknown;
  status?: unknown;
  storage?: { get?(key: string, fallback?: unknown): unknown };
}

/** A batch callback: receives events in batches, in order. May return a promise; a rejection is retried. */
export type BatchCallback = (events: TrackerEvent[]) => void | Promise<void>;

/**
 * A Salla-compatible tracker object, as accepted by `Salla.analytics.registerTracker`:
 * `track` is called once per track event, `page` once per page event.
 */
export interface SallaDestination {
  name: string;
  track(
    event: EventName | (string & {}),
    properties: EventProperties[EventName] | CustomProperties,
    raw: TrackEvent | TrackerEvent,
  ): void | Promise<void>;
  page?(properties: PageProperties, raw: PageEvent): void | Promise<void>;
}

/** What `register` accepts. */
export type Destination = BatchCallback | SallaDestination;

/** Per-destination options. */
export interface RegisterOptions {
  /** Name used in delivery reports (defaults to the object's `name` or `callback#N`). */
  name?: string;
  /** Give this in-page callback clear identity fields (email, phone, names) instead of the tracker's `pii` policy. */
  pii?: 'keep';
  /** Replay recent history to this destination on registration (default true). */
  replay?: boolean;
}

/** How identity fields (email, phone, names) are sent. */
export type PiiPolicy = 'hash' | 'drop' | 'keep';

/** Allow or deny events by name. */
export type EventFilter = { allow: string[] } | { deny: string[] } | string[];

/** Options for {@link createTracker}; all optional. */
export interface TrackerOptions {
  /** The Twilight SDK. Found on `window.Salla` / `window.salla` when absent, also when it loads later. */
  sdk?: TwilightSdk;
  /** URL that receives batches as `POST` `text/plain` JSON bodies. */
  endpoint?: string;
  /** Copied into each batch body as `writeKey`. */
  writeKey?: string;
  /** Flush when this many events are queued (default 20, 1–500). */
  batchSize?: number;
  /** Flush this many ms after the first queued event (default 2000, 0–60000). */
  flushInterval?: number;
  /**
   * Log what the tracker does to the console, prefixed `twilight-tracker:` (`tracker.debug.js`; the ESM
   * build in development).
   */
  debug?: boolean;
  /** Allow list (array or `{allow}`) or deny list (`{deny}`) of event names. */
  events?: EventFilter;
  /** Identity fields policy for the endpoint and callbacks (default `hash`: SHA-256 hex). */
  pii?: PiiPolicy;
  /**
   * The consent state, an explicit choice (default: the store's cookie bar, `pending` until the store's
   * config tells; `granted` on a store without a cookie bar or a page without the SDK).
   */
  consent?: ConsentState;
  /** When consent is denied: send events without identifiers (`anonymous`, default) or send nothing (`none`). */
  deniedMode?: 'anonymous' | 'none';
  /**
   * Report LCP, INP, CLS, FCP and TTFB as `Web Vital Measured` events (default true; the script build
   * loads `tracker-vitals.js` after the page's load; ESM users import `twilight-tracker/vitals`).
   */
  webVitals?: boolean;
  /** Where the script build loads `tracker-vitals.js` from (default: beside its own `<script src>`). */
  vitalsUrl?: string;
  /** Send a `page` event when the SDK is ready (default true). */
  autoPage?: boolean;
  /** Milliseconds after which a callback that has not settled counts as failed (default 10000). */
  callbackTimeout?: number;
  /** Storage key prefix (default `tt`). */
  storagePrefix?: string;
  /** The prefix of the store's app settings read from the SDK (`app.<prefix>endpoint`…; default `tracker_`). */
  settingsPrefix?: string;
}

/** A delivery outcome reported by `tracker.on`. */
export interface DeliveryReport {
  /**
   * Destination name: `endpoint` or the callback's name; `tracker` for an event that could not be
   * sent anywhere (a required property missing, over 32 KB).
   */
  destination: string;
  /**
   * The events themselves, not copies: read them, do not change them (what is sent was already
   * written). Properties may hold `undefined` values, which are not sent.
   */
  events: TrackerEvent[];
  /**
   * Why: `delivered` by `beacon`, `keepalive` (in flight when the page left) or `xhr`; `dropped` for
   * `status 4xx`, `evicted`, `consent denied`, `not stored without consent`, `storage unavailable`,
   * `callback failed`, `over 32 KB`, `a required property is missing`; `retry` for `status
   * 5xx`/`408`/`429`, `network error`, `timeout`, `callback failed`.
   */
  reason?: string;
  /** Retry number (1-based) for `retry`. */
  attempt?: number;
  /** Delay before the retry, in ms. */
  delay?: number;
}

export type ReportKind = 'delivered' | 'dropped' | 'retry';

/** Delivery counters (see `tracker.stats()`). */
export interface TrackerStats {
  queued: number;
  delivered: number;
  dropped: number;
  retried: number;
  evicted: number;
}

/** The tracker. No method throws or returns a rejecting promise. */
export interface Tracker {
  /**
   * Register a destination; returns its unregister function (what it still has queued then is reported
   * `dropped`, reason `unregistered`, as are events tracked before it still being hashed then; a
   * batch already handed to it keeps its own outcome, but for a failure: dropped, not retried). Recent
   * history is replayed to it.
   */
  register(destination: Destination, options?: RegisterOptions): () => void;
  /** Track a catalog event, with that event's properties. */
  track<N extends EventName>(name: N, properties: EventProperties[N]): void;
  /** Track a custom event: any name but a catalog one (whose properties are checked above). */
  track<N extends string>(name: N & (N extends EventName ? never : N), properties?: CustomProperties): void;
  /** Send a `page` event; properties are merged over the current page's. */
  page(properties?: PageProperties): void;
  /** Send everything queued now; resolves when every destination has answered (never rejects). */
  flush(): Promise<void>;
  /** Set the consent state. */
  consent(state: ConsentState): void;
  /** Listen to delivery reports; returns the unbind function. */
  on(kind: ReportKind, handler: (report: DeliveryReport) => void): () => void;
  /** Delivery counters. */
  stats(): TrackerStats;
  /**
   * Detach from the SDK and the page; queued endpoint events stay persisted for the next page (consent
   * granted), else are beaconed as at pagehide. What a callback had not yet been handed, or has and
   * then fails, is reported `dropped` (`destroyed`).
   */
  destroy(): void;
  /** The library version. */
  readonly version: string;
}
