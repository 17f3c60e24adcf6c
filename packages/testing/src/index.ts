// @paymount/testing — the conformance suites for anyone writing a paymount store,
// provider or adapter, with the builders and recorders they use. Run them with vitest.
export { type AdapterCase, adapterConformance, type ShopAppOptions } from './adapter-conformance.js';
export { type HookRecorder, hookRecorder, type RecordedHookCall } from './hook-recorder.js';
export { sampleJournalEntry } from './journal-conformance.js';
export { type PlainShop, startPlainShop } from './plain-shop.js';
export type { HarnessInstance, ProviderHarness } from './provider-conformance.js';
export { providerConformance } from './provider-conformance-suite.js';
export { sampleRefund } from './refund-conformance.js';
export { type StoreFactory, storeConformance } from './store-conformance.js';
export { sampleHookJob, samplePayment } from './store-samples.js';
