import type { Logger } from '../logging/logger.js';

/** A header map with lower-case names, as Node and most frameworks give it. */
export type HeaderMap = Readonly<Record<string, string | readonly string[] | undefined>>;

/**
 * The framework-neutral request that adapters hand to `payments.handle()`.
 * Adapters build it once; core never looks into a framework object, it only
 * carries one through to `loadOrder` as `frameworkRequest`.
 */
export interface PaymentsRequest {
  readonly method: string;
  /** The path below the mount point, starting with `/`, without the query (`/checkout/42`). */
  readonly path: string;
  /** The raw query string without `?`, or already parsed pairs. */
  readonly query?:
    | string
    | URLSearchParams
    | Readonly<Record<string, string | readonly string[] | undefined>>;
  readonly headers: HeaderMap;
  /**
   * Raw body bytes (or text) when paymount read them, or the object a body parser in
   * front of paymount already produced. Undefined: no body.
   */
  readonly body?: Uint8Array | string | Readonly<Record<string, unknown>> | undefined;
  /** The client address as the framework's trust-proxy setting resolves it. */
  readonly ip?: string | undefined;
  /** Set when the body stream was consumed by someone else and `body` holds nothing usable. */
  readonly bodyUnavailable?: boolean;
  /**
   * The framework's own request object, untouched: the Express `req` or the Koa `ctx`
   * (set by `@paymount/express` and `@paymount/koa`). `loadOrder` reads the shop's
   * session from it to decide who may pay an order:
   *
   * ```ts
   * loadOrder: async (orderId, { request }) => {
   *   const req = request?.frameworkRequest as express.Request | undefined;
   *   const order = await orders.get(orderId);
   *   return order && order.userId === req?.session?.userId ? { amount: order.total, currency: 'USD' } : null;
   * }
   * ```
   */
  readonly frameworkRequest?: unknown;
}

/** What paymount answers; adapters copy it onto the framework's response. */
export interface PaymentsResponse {
  readonly status: number;
  readonly headers: Readonly<Record<string, string>>;
  readonly body: string;
  /**
   * Set when the shop asked for its framework's own error handling of a buyer's error
   * (`browserErrors: 'framework'`): the adapter passes this error on (Express `next(error)`,
   * a `throw` in Koa) instead of writing the answer above, which stays the fallback.
   */
  readonly forwardError?: Error & { readonly status: number; readonly code: string };
}

/** The callback body, decoded once, whatever the content type. */
export interface CallbackBody {
  /** How it was encoded. `parsed`: a body parser in front of paymount produced it. */
  readonly kind: 'empty' | 'json' | 'form' | 'multipart' | 'parsed';
  /** The decoded value: a JSON value, or string fields for forms. */
  readonly value: unknown;
  /** The exact text received, when paymount read the bytes itself. */
  readonly raw: string | null;
}

/** What a provider's callback check receives. */
export interface CallbackInput {
  readonly method: string;
  readonly headers: HeaderMap;
  readonly query: URLSearchParams;
  /** The query string exactly as received (for signatures over the full callback URL). */
  readonly rawQuery: string;
  /** `publicUrl` + path + query, the URL the provider called as we published it. */
  readonly url: string;
  readonly body: CallbackBody;
  readonly ip: string | undefined;
}

/** First value of a header, whatever shape the framework gave it. */
export function headerValue(headers: HeaderMap, name: string): string | undefined {
  const value = headers[name];
  if (value === undefined) return undefined;
  return typeof value === 'string' ? value : value[0];
}

/** A request path a handler recognised. Adapters read only `needsBody`; the rest is the handler's. */
export interface RouteMatch {
  /** The route reads a request body, so the adapter must hand it over unread or as parsed. */
  readonly needsBody: boolean;
  /** The route can do without a body it cannot read (an optional form), so such a body is ignored, not refused. */
  readonly bodyOptional?: boolean;
  /** A provider's server calls this route, never a buyer's browser: it needs no session or CSRF token. */
  readonly fromProvider?: boolean;
}

/**
 * Core's HTTP contract: what every paymount handler (the payments routes, the operator
 * console) offers and every adapter mounts. The adapter matches once, cheaply, and
 * passes a request only a handler recognised, with the match it got back.
 */
export interface PaymountHandler<M extends RouteMatch = RouteMatch> {
  /** The route for a path below the mount point, or undefined when it is not the handler's. Costs next to nothing. */
  match(method: string, path: string): M | undefined;
  /** Answers a request `match` recognised. Never rejects: failures are answered as the handler's own errors. */
  respond(request: PaymentsRequest, match: M): Promise<PaymentsResponse>;
  /** Largest request body the handler reads, in bytes. */
  readonly maxBodyBytes: number;
  /** Where adapters log their own failures (already scrubbed of secrets). */
  readonly logger: Logger;
  /**
   * The handler answers provider callbacks (server-to-server POSTs): an adapter that sees a
   * CSRF or session middleware in front of it warns, since that middleware refuses or
   * tracks them.
   */
  readonly servesProviderCallbacks?: boolean;
}
