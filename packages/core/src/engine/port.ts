import type { PaymentsPort } from '../contracts/payments-port.js';
import { handleCallback } from './callbacks.js';
import { checkout } from './checkout.js';
import type { EngineContext } from './context.js';
import { paymentIdFromReturn, resolveReturn, statusOf } from './provider-checks.js';
import { failurePageFor } from './return-urls.js';

/** The engine seen through the port the HTTP layer drives. */
export function paymentsPort(engine: EngineContext): PaymentsPort {
  return {
    publicUrl: engine.options.publicUrl,
    maxBodyBytes: engine.options.maxBodyBytes,
    logger: engine.logger,
    browserErrors: engine.options.browserErrors,
    failurePage: (orderId, provider, code) => failurePageFor(engine, orderId, provider, code),
    redact: engine.redact,
    checkout: (input) => checkout(engine, input),
    callbackReplier: (name) => {
      const provider = engine.providers.get(name)?.provider;
      return provider ? (outcome) => provider.callbackReply(outcome) : undefined;
    },
    handleCallback: (name, input) => handleCallback(engine, name, input),
    resolveReturn: (paymentId) => resolveReturn(engine, paymentId),
    paymentIdFromReturn: (query) => paymentIdFromReturn(engine, query),
    statusOf: (paymentId) => statusOf(engine, paymentId),
    observeRequest: (route, provider, answer) => engine.telemetry.request(route, provider, answer),
  };
}
