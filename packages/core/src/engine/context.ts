import { randomBytes } from 'node:crypto';
import type { ResolvedOptions } from '../config/resolve.js';
import type {
  CallbackEventName,
  CheckoutResult,
  PaymentProvider,
  ProviderContext,
} from '../contracts/provider.js';
import type { PaymentStore } from '../contracts/store.js';
import { PaymentsError } from '../domain/errors.js';
import type { HookName } from '../domain/state-machine.js';
import {
  type Logger,
  MIN_REDACTED_SECRET_LENGTH,
  redactingLogger,
  redactSecrets,
  silentLogger,
} from '../logging/logger.js';
import { CallbackUrlSigner } from '../providers/signed-url.js';
import { createTelemetry, type Telemetry } from '../telemetry/telemetry.js';

/** A configured provider with the context paymount lends it on every call. */
export interface ProviderEntry {
  readonly provider: PaymentProvider;
  readonly ctx: ProviderContext;
  readonly telemetry: Telemetry;
}

/**
 * What every engine action reads: the resolved options, the store, the providers and
 * the per-process state. One object, made once per `createPayments`; the actions in
 * this folder are plain functions over it.
 */
export interface EngineContext {
  readonly options: ResolvedOptions;
  readonly store: PaymentStore;
  readonly logger: Logger;
  /** False without a logger of the shop's own: the per-payment info lines are then not even built. */
  readonly logsInfo: boolean;
  readonly instanceId: string;
  /** Hooks the shop configured; only these get jobs. */
  readonly hookNames: ReadonlySet<HookName>;
  readonly providers: ReadonlyMap<string, ProviderEntry>;
  /** Spans and metrics (OpenTelemetry when installed), and the last provider successes. */
  readonly telemetry: Telemetry;
  /** Removes every configured secret from a text that is about to leave the process. */
  redact(text: string): string;
  now(): Date;
  /** Two clicks in one process share one provider call, so the provider sees one invoice. */
  readonly inflightCheckouts: Map<string, Promise<CheckoutResult>>;
  /** When each live payment was last checked with its provider for a buyer, per route kind. */
  readonly buyerChecks: Map<string, number>;
  /** Wakes the hook worker after a transition wrote jobs; set by the workers. */
  kickHooks: () => void;
}

/** The provider of that name with its context; throws `unknown_provider`. */
export function providerEntry(engine: EngineContext, name: string): ProviderEntry {
  const entry = engine.providers.get(name);
  if (!entry) {
    throw new PaymentsError('unknown_provider', `No payment provider named "${name}" is configured.`, {
      details: { provider: name },
    });
  }
  return entry;
}

function providerContext(
  name: string,
  options: ResolvedOptions,
  signer: CallbackUrlSigner,
  logger: Logger,
): ProviderContext {
  const base = options.publicUrl;
  return {
    name,
    logger,
    plainCallbackUrl: `${base}/callback/${name}`,
    callbackUrl: (paymentId: string, event: CallbackEventName) =>
      `${base}/callback/${name}?pm=${paymentId}&ev=${event}&sig=${signer.sign(name, paymentId, event)}`,
    verifyCallbackUrl: (query: URLSearchParams) => {
      const paymentId = query.get('pm');
      const event = query.get('ev');
      const sig = query.get('sig');
      if (!paymentId || !event || !sig) return null;
      if (event !== 'paid' && event !== 'timeout' && event !== 'notify') return null;
      return signer.verify(name, paymentId, event, sig) ? { paymentId, event } : null;
    },
    returnUrl: (paymentId: string) => `${base}/return/${paymentId}`,
    getPayment: (paymentId: string) => options.store.get(paymentId),
    now: () => options.now(),
  };
}

/** Builds the engine's one context from resolved options. */
export function createEngineContext(options: ResolvedOptions): EngineContext {
  const secrets = [options.secret];
  for (const provider of Object.values(options.providers)) secrets.push(...provider.secrets);
  const redacted = [...new Set(secrets.filter((s) => s.length >= MIN_REDACTED_SECRET_LENGTH))].sort(
    (a, b) => b.length - a.length,
  );
  const shortestSecret = redacted.at(-1)?.length ?? Number.POSITIVE_INFINITY;
  // Scrubbing walks every logged object: skip it when nothing is logged at all.
  const logger = options.logger === silentLogger ? silentLogger : redactingLogger(options.logger, redacted);
  const signer = new CallbackUrlSigner(options.secret);
  const hookNames = new Set(
    Object.entries(options.hooks)
      .filter(([, fn]) => typeof fn === 'function')
      .map(([name]) => name as HookName),
  );
  const names = { providers: new Set(Object.keys(options.providers)), hooks: hookNames };
  const telemetry = createTelemetry(names, options.telemetry);
  const providers = new Map<string, ProviderEntry>();
  for (const [name, provider] of Object.entries(options.providers)) {
    providers.set(name, { provider, ctx: providerContext(name, options, signer, logger), telemetry });
  }
  return {
    options,
    store: options.store,
    logger,
    logsInfo: options.logsInfo,
    instanceId: options.instanceId ?? `pmi_${randomBytes(8).toString('hex')}`,
    hookNames,
    providers,
    telemetry,
    // A text shorter than the shortest secret cannot hold one: most journal fields are.
    redact: (text) => (text.length < shortestSecret ? text : redactSecrets(text, redacted)),
    now: options.now,
    inflightCheckouts: new Map(),
    buyerChecks: new Map(),
    kickHooks: () => {},
  };
}
