// @paymount/console — the operator console, a handler the paymount adapters mount.
export { createConsole } from './console.js';
export { CONSOLE_DEFAULTS } from './defaults.js';
export { escapeHtml, type HtmlValue, html, SafeHtml } from './html/template.js';
export type {
  ConsoleCount,
  ConsoleListQuery,
  ConsoleOptions,
  ConsolePayments,
  ConsoleRequest,
  Operator,
} from './options.js';
export type { ConsoleMatch } from './routes.js';
