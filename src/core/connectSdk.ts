import type { ConsentState, PageProperties } from '../schema';
import type { TwilightSdk } from '../types';
import type { Log } from '../lib/log';
import { normalize } from '../normalize';
import type { HookState } from '../normalize/types';
import { attachSdk } from '../sdk/attach';
import { appSettings } from '../sdk/facts';
import type { Context } from '../pipeline/context';
import { INFERRED } from '../pipeline/consent';
import type { Pipeline } from '../pipeline/createPipeline';
import type { Env } from './env';
import { APP_SETTINGS } from './options';

/**
 * The facts the SDK adapter writes, the SDK once found (its config tells the country of local phone
 * numbers), and the consent the store's page told last (the cookie bar's recorded choice at ready, or
 * the choice made on it here): back from the bfcache, a recorded choice that differs was made on
 * another page meanwhile.
 */
export type Facts = HookState & { sdk?: TwilightSdk; choice?: ConsentState };

/** What the link needs: the page's SDK and sessionStorage (from the env), the units it feeds, the hooks it calls. */
export interface SdkLink extends Pick<Env, 'waitSdk' | 'session'> {
  facts: Facts;
  context: Context;
  pipeline: Pipeline;
  options: { settingsPrefix: string; autoPage: boolean };
  log: Log;
  /** The configuration is known: with the store's app settings, or (no SDK) without. */
  settle(app?: Record<string, unknown>): void;
  /** A consent signal of strength `rank` (src/pipeline/consent.ts; default: explicit). */
  consent(state: ConsentState, rank?: number): void;
  signedOut(): void;
  stopped(): boolean | undefined;
}

/**
 * Wait for the Twilight SDK, then feed its hooks through the normalizers into the pipeline, and its
 * ready, consent and sign-out signals to the tracker. Without an SDK on the page a second after
 * load, the store's consent cannot be known: the default (granted) applies. Returns the unbind.
 */
export function connectSdk(d: SdkLink): () => void {
  const { facts, pipeline, log } = d;
  let detach: (() => void) | undefined;
  const cancel = d.waitSdk(
    (sdk) => {
      if (d.stopped()) return;
      facts.sdk = sdk;
      if (DEBUG) log('attached to the Twilight SDK');
      const onHook = (name: string, args: unknown[]) =>
        normalize(name, args, facts, log).map((ev) => pipeline.hook(ev));
      // The link's own hooks (log, consent, signedOut, session) are the SDK adapter's too.
      detach = attachSdk(
        sdk,
        facts,
        {
          ...d,
          later: pipeline.later,
          // What the store's page told, as the choice it recorded (at ready) or made (its cookie bar here).
          consent(state: ConsentState, rank?: number) {
            d.consent((facts.choice = state), rank);
          },
          ready(page: PageProperties) {
            d.context.ready(
              facts.storeId || facts.storeCurrency
                ? { id: facts.storeId, currency: facts.storeCurrency }
                : undefined,
              page,
              facts.utm,
            );
            d.settle(appSettings(sdk, d.options.settingsPrefix, APP_SETTINGS));
            if (d.options.autoPage) pipeline.page();
          },
        },
        onHook,
      );
    },
    () => {
      // No SDK on the page: no app settings, and nothing tells of a cookie bar, so the default applies.
      d.settle();
      d.consent('granted', INFERRED);
    },
  );
  return () => {
    cancel();
    detach?.();
  };
}
