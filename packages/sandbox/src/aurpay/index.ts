export type { AurpaySimCallback } from './callbacks.js';
export type { AurpaySimOrder, AurpaySimStatus } from './order-book.js';
export {
  type AurpayCallbackTamper,
  type AurpaySimRequest,
  type AurpaySimulator,
  type AurpaySimulatorFaults,
  type AurpaySimulatorOptions,
  startAurpaySimulator,
} from './simulator.js';
