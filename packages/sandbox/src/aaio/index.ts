export type { AaioNotificationDelivery } from './notification-sender.js';
export type {
  AaioApiPermission,
  AaioFault,
  AaioSimShopSettings,
  AaioSimulatorOptions,
} from './options.js';
export type { AaioSimOrder, AaioSimOrderStatus, AmountEcho } from './orders.js';
export { aaioSign } from './signature.js';
export { type AaioSimulator, startAaioSimulator } from './simulator.js';
