export { type AaioErrorDetails, aaioErrorDetails } from './api-client.js';
export {
  AAIO_CURRENCIES,
  type AaioIpAllowlist,
  type AaioOptions,
  DOCUMENTED_AAIO_IPS,
  type ResolvedAaioOptions,
} from './options.js';
export type { AaioOrderStatus } from './order-status.js';
export { type AaioProvider, aaio } from './provider.js';
export {
  type AaioSignedFields,
  creationSign,
  notificationSign,
  verifyNotificationSign,
} from './signature.js';
