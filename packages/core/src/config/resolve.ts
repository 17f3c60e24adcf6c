import type { PaymentProvider } from '../contracts/provider.js';
import type { PaymentStore } from '../contracts/store.js';
import { PaymentsConfigError } from '../domain/errors.js';
import { type CurrencyScales, currencyScalesFrom } from '../domain/money.js';
import type { HookName } from '../domain/state-machine.js';
import { consoleLogger } from '../logging/console-logger.js';
import { type Logger, silentLogger } from '../logging/logger.js';
import { DEFAULTS } from './defaults.js';
import type { BrowserErrors, PaymentHook, PaymentsOptions, ReturnUrls } from './options.js';
import { optionsSchema, PROVIDER_NAME } from './schema.js';

/** The options after validation, with every default filled in: the engine reads only this. */
export interface ResolvedOptions {
  /** Without a trailing slash. */
  readonly publicUrl: string;
  readonly secret: string;
  readonly store: PaymentStore;
  readonly providers: Readonly<Record<string, PaymentProvider>>;
  readonly defaultProvider: string | undefined;
  readonly loadOrder: PaymentsOptions['loadOrder'];
  readonly returnUrls: ReturnUrls;
  /** `publicUrl`'s origin and every `allowedRedirectOrigins` entry. */
  readonly redirectOrigins: ReadonlySet<string>;
  readonly hooks: Readonly<Partial<Record<HookName, PaymentHook>>>;
  /** The shop's logger, the console default (warnings and errors), or the silent one (`logger: false`). */
  readonly logger: Logger;
  /** The shop passed a logger of its own: info lines are worth building. */
  readonly logsInfo: boolean;
  readonly telemetry: boolean;
  readonly browserErrors: BrowserErrors;
  readonly overpayment: 'anomaly' | 'paid';
  readonly maxBodyBytes: number;
  readonly currencyScales: CurrencyScales;
  readonly hookDelivery: {
    readonly maxAttempts: number;
    readonly baseDelayMs: number;
    readonly maxDelayMs: number;
    readonly timeoutMs: number;
    readonly pollIntervalMs: number;
  };
  readonly reconcile: {
    readonly intervalMs: number;
    readonly firstCheckAfterMs: number;
    readonly maxBackoffMs: number;
    readonly batchSize: number;
    readonly recheckAfterMs: number;
    readonly rechecks: number;
  };
  readonly statusCheckIntervalMs: number;
  readonly refunds: { readonly checkIntervalMs: number; readonly batchSize: number };
  readonly journal: { readonly retainDays: number };
  readonly checkout: { readonly reuseWindowMs: number; readonly createdExpiryMs: number };
  readonly instanceId: string | undefined;
  readonly now: () => Date;
}

function checkRedirect(path: string, value: string, origins: ReadonlySet<string>, problems: string[]): void {
  if (value.startsWith('/')) {
    if (value.startsWith('//') || value.startsWith('/\\')) {
      problems.push(
        `${path}: "${value}" is protocol-relative and could leave the shop; use "/path" or an absolute URL`,
      );
    }
    return;
  }
  let url: URL;
  try {
    url = new URL(value.replaceAll('{orderId}', 'x').replaceAll('{paymentId}', 'x'));
  } catch {
    problems.push(`${path}: "${value}" must be a path starting with "/" or an absolute URL`);
    return;
  }
  if (!origins.has(url.origin)) {
    problems.push(
      `${path}: "${value}" points to ${url.origin}, which is neither publicUrl's origin nor in allowedRedirectOrigins`,
    );
  }
}

/** Rules that span fields: provider names, and the providers other options name. */
function checkProviderNames(raw: Partial<PaymentsOptions>, problems: string[]): void {
  const names = raw.providers && typeof raw.providers === 'object' ? Object.keys(raw.providers) : [];
  const configured = names.join(', ') || 'none';
  for (const name of names) {
    if (!PROVIDER_NAME.test(name)) {
      problems.push(`providers.${name}: provider names are lower-case letters, digits, "-" and "_" (max 32)`);
    }
  }
  if (raw.defaultProvider !== undefined && !names.includes(raw.defaultProvider)) {
    problems.push(
      `defaultProvider: "${raw.defaultProvider}" is not a configured provider (configured: ${configured})`,
    );
  }
  for (const name of Object.keys(raw.returnUrls?.byProvider ?? {})) {
    if (!names.includes(name)) {
      problems.push(
        `returnUrls.byProvider.${name}: "${name}" is not a configured provider (configured: ${configured})`,
      );
    }
  }
}

/** The origins return URLs may point to, and a problem for each return URL outside them. */
function checkRedirects(
  publicUrl: string,
  allowed: readonly string[] | undefined,
  urls: ReturnUrls,
  problems: string[],
): Set<string> {
  const origins = new Set([new URL(publicUrl).origin]);
  for (const origin of allowed ?? []) {
    try {
      origins.add(new URL(origin).origin);
    } catch {
      problems.push(`allowedRedirectOrigins: "${origin}" is not an absolute URL`);
    }
  }
  for (const key of ['success', 'pending', 'failure', 'anomaly'] as const) {
    const value = urls[key];
    if (value !== undefined) checkRedirect(`returnUrls.${key}`, value, origins, problems);
  }
  for (const [name, override] of Object.entries(urls.byProvider ?? {})) {
    for (const [key, value] of Object.entries(override)) {
      if (value !== undefined)
        checkRedirect(`returnUrls.byProvider.${name}.${key}`, value, origins, problems);
    }
  }
  return origins;
}

const systemClock = (): Date => new Date();

/** The fields of an option group that were given: `{ timeoutMs: undefined }` keeps the default. */
function given<T extends object>(group: T | undefined): { [K in keyof T]?: Exclude<T[K], undefined> } {
  if (group === undefined) return {};
  return Object.fromEntries(Object.entries(group).filter(([, value]) => value !== undefined)) as {
    [K in keyof T]?: Exclude<T[K], undefined>;
  };
}

/** The resolved options of checked input: defaults from {@link DEFAULTS}, nothing else invented. */
function withDefaults(data: PaymentsOptions, redirectOrigins: ReadonlySet<string>): ResolvedOptions {
  return Object.freeze({
    publicUrl: data.publicUrl.replace(/\/+$/, ''),
    secret: data.secret,
    store: data.store,
    providers: Object.freeze({ ...data.providers }),
    defaultProvider: data.defaultProvider,
    loadOrder: data.loadOrder,
    returnUrls: data.returnUrls,
    redirectOrigins,
    hooks: Object.freeze({ ...data.hooks }),
    logger: data.logger === false ? silentLogger : (data.logger ?? consoleLogger()),
    logsInfo: data.logger !== undefined && data.logger !== false,
    telemetry: data.telemetry ?? DEFAULTS.telemetry,
    browserErrors: data.browserErrors ?? DEFAULTS.browserErrors,
    overpayment: data.overpayment ?? DEFAULTS.overpayment,
    maxBodyBytes: data.maxBodyBytes ?? DEFAULTS.maxBodyBytes,
    currencyScales: currencyScalesFrom(data.currencyScales),
    hookDelivery: Object.freeze({ ...DEFAULTS.hookDelivery, ...given(data.hookDelivery) }),
    reconcile: Object.freeze({ ...DEFAULTS.reconcile, ...given(data.reconcile) }),
    statusCheckIntervalMs: data.statusCheckIntervalMs ?? DEFAULTS.statusCheckIntervalMs,
    refunds: Object.freeze({ ...DEFAULTS.refunds, ...given(data.refunds) }),
    journal: Object.freeze({ ...DEFAULTS.journal, ...given(data.journal) }),
    checkout: Object.freeze({ ...DEFAULTS.checkout, ...given(data.checkout) }),
    instanceId: data.instanceId,
    now: data.now ?? systemClock,
  });
}

/**
 * Validates options and lists every problem at once. Never mutates the caller's
 * object: the result is a fresh object, frozen, with every default filled in.
 */
export function resolveOptions(options: unknown): ResolvedOptions {
  if (typeof options !== 'object' || options === null) {
    throw new PaymentsConfigError(['createPayments needs an options object']);
  }
  const parsed = optionsSchema.safeParse(options);
  const problems: string[] = [];
  if (!parsed.success) {
    for (const issue of parsed.error.issues) {
      const path = issue.path.map(String).join('.') || 'options';
      problems.push(`${path}: ${issue.message}`);
    }
  }
  checkProviderNames(options as Partial<PaymentsOptions>, problems);
  if (!parsed.success) throw new PaymentsConfigError(problems);
  // zod's output drops functions' exact types; the checked input is the same object.
  const data = { ...(options as PaymentsOptions), ...parsed.data } as PaymentsOptions;
  const origins = checkRedirects(data.publicUrl, data.allowedRedirectOrigins, data.returnUrls, problems);
  if (problems.length > 0) throw new PaymentsConfigError(problems);
  return withDefaults(data, origins);
}
