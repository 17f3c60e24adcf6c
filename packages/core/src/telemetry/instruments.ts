import type { Counter, Histogram, Meter, ObservableGauge } from '@opentelemetry/api';
import { METRICS } from './names.js';

/** paymount's metric instruments on one meter. */
export interface Instruments {
  readonly checkouts: Counter;
  readonly callbacks: Counter;
  readonly transitions: Counter;
  readonly hookDeliveries: Counter;
  readonly providerRequestDuration: Histogram;
  readonly hookDuration: Histogram;
  readonly hookJobsPending: ObservableGauge;
  readonly hookJobsDead: ObservableGauge;
}

/** Creates the instruments with the names and units the README documents. */
export function createInstruments(meter: Meter): Instruments {
  return {
    checkouts: meter.createCounter(METRICS.checkouts, {
      description: 'Checkouts, by provider and outcome',
    }),
    callbacks: meter.createCounter(METRICS.callbacks, {
      description: 'Provider callbacks, by provider, outcome (accepted, duplicate, refused) and error code',
    }),
    transitions: meter.createCounter(METRICS.transitions, {
      description: 'Payment status changes, by provider, from and to',
    }),
    hookDeliveries: meter.createCounter(METRICS.hookDeliveries, {
      description: 'Hook attempts, by hook and outcome (delivered, failed, dead)',
    }),
    providerRequestDuration: meter.createHistogram(METRICS.providerRequestDuration, {
      description: 'Calls to provider APIs, by provider, operation and status (ok or the error code)',
      unit: 's',
    }),
    hookDuration: meter.createHistogram(METRICS.hookDuration, {
      description: 'Hook attempts, by hook and outcome',
      unit: 's',
    }),
    hookJobsPending: meter.createObservableGauge(METRICS.hookJobsPending, {
      description: 'Hook jobs waiting to be delivered (read from the store at collection)',
    }),
    hookJobsDead: meter.createObservableGauge(METRICS.hookJobsDead, {
      description: 'Dead-lettered hook jobs (read from the store at collection)',
    }),
  };
}
