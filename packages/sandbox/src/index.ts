export * from './aaio/index.js';
export * from './aurpay/index.js';
