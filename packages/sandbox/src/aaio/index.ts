export type { AaioNotificationDelivery } from './notification-sender.js';
export type { AaioSimOrder, AaioSimOrderStatus, AmountEcho } from './orders.js';
export { aaioSign } from './signature.js';
export {
  type AaioApiPermission,
  type AaioFault,
  type AaioSimShopSettings,
  type AaioSimulator,
  type AaioSimulatorOptions,
  startAaioSimulator,
} from './simulator.js';
