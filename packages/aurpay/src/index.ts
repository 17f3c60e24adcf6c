export { aurpayDate, signatureHeaders } from './api-client.js';
export { APPENDED_ORDER_ID, callbackSignature } from './callback-verification.js';
export { parseCurrencyList } from './currencies.js';
export type { AurpayAlgorithm, AurpayOptions } from './options.js';
export { type AurpayOrderInfo, parseOrderInfo } from './order-info.js';
export { eventFromOrder } from './order-status.js';
export { aurpay } from './provider.js';
