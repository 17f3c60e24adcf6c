export type { AurpayCallbackTamper, AurpaySimCallback } from './callbacks.js';
export type { AurpaySimulatorFaults, AurpaySimulatorOptions } from './options.js';
export type { AurpaySimOrder, AurpaySimRefund, AurpaySimStatus } from './order-book.js';
export { type AurpaySimulator, startAurpaySimulator } from './simulator.js';
export type { AurpaySimRequest } from './state.js';
