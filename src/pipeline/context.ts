import type { ConsentState, EventContext, PageProperties } from '../schema';
// (value imports in the order that packs tracker.js smallest: it decides where each module lands in the bundle)
import { redactPage, scrub, underConsent } from '../event/privacy';
import { MAX_PAGE_BYTES } from '../event/bounds';
import { stringify, utf8Length } from '../lib/json';
import type { Clock } from '../lib/clock';
import type { Log } from '../lib/log';
import type { Obj } from '../lib/read';
import { campaign } from './campaign';
import { VERSION } from '../version';

export interface ContextDeps {
  /** The URL facts of the current page (url, path, search, title, referrer). */
  page(): PageProperties;
  locale?: string;
  userAgent?: string;
  clock: Clock;
  log: Log;
}

export interface Context {
  /** The context of an event built now, under consent `state`, in session `sid` (none unless granted). */
  get(state: ConsentState, sid?: string): EventContext;
  /** The SDK is ready: its store facts, page facts and stored UTM values. */
  ready(store: EventContext['store'], page: PageProperties, utm: unknown): void;
  /**
   * A page view: the page facts (the SDK's, the URL's, then `custom` ones, bounded and without
   * identity fields) become `context.page` of this and later events; returns them. `custom`: a
   * sanitized copy (src/event/bounds.ts) of the caller's object, if it gave one.
   */
  page(custom?: Obj): PageProperties;
}

/**
 * The context shared by every event. It is replaced, never changed, so an event keeps the context
 * it was built with.
 */
export function createContext(d: ContextDeps): Context {
  let sdkPage: PageProperties = {};
  let ctx: EventContext = {
    library: { name: 'twilight-tracker', version: VERSION },
    consent_state: 'pending',
    page: redactPage(d.page()),
    locale: d.locale,
    userAgent: d.userAgent,
    // From the URL now; at ready also from the SDK's stored UTM.
    campaign: campaign(d.page().search, undefined, d.clock.now()),
  };
  return {
    get(state, sid) {
      if (ctx.session_id !== sid || ctx.consent_state !== state) ctx = underConsent(ctx, state, sid);
      return ctx;
    },
    ready(store, facts, utm) {
      sdkPage = facts;
      ctx = {
        ...ctx,
        store,
        page: { ...ctx.page, ...facts },
        campaign: campaign(d.page().search, utm, d.clock.now()),
      };
    },
    page(custom) {
      // Not merged over the previous page's: custom properties of earlier calls must not pile up.
      if (custom)
        if (utf8Length(stringify(custom) as string) > MAX_PAGE_BYTES) {
          if (DEBUG) d.log('page properties over 4 KB left out');
          custom = undefined;
        } else custom = scrub(custom);
      ctx = { ...ctx, page: redactPage({ ...sdkPage, ...d.page(), ...(custom as PageProperties) }) };
      return ctx.page as PageProperties;
    },
  };
}
