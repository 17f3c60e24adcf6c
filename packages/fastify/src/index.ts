import type { IncomingMessage } from 'node:http';
import {
  handleNodeRequest,
  internalErrorResponse,
  type PaymountHandler,
  type RouteMatch,
  splitUrl,
  writableResponse,
} from '@paymount/core/node';

export interface PaymountFastifyOptions {
  /** What to serve: `createPayments(…)`, or any handler with core's HTTP contract. */
  // biome-ignore lint/suspicious/noExplicitAny: any route match of any handler mounts the same way.
  readonly payments: PaymountHandler<any>;
  /** Fastify's own register option: where the routes live, like `'/pay'` (parents' prefixes come first). */
  readonly prefix?: string | undefined;
}

type Method = 'GET' | 'HEAD' | 'POST' | 'PUT' | 'DELETE' | 'PATCH' | 'OPTIONS';

/** The parts of a Fastify request paymount reads; Fastify 4 and 5 requests both fit. */
export interface FastifyRequestLike {
  readonly url: string;
  readonly method: string;
  /** The client address, resolved by Fastify's `trustProxy`. */
  readonly ip: string;
  readonly raw: IncomingMessage;
}

/** The parts of a Fastify reply paymount uses. */
export interface FastifyReplyLike {
  code(statusCode: number): FastifyReplyLike;
  headers(values: Record<string, string>): FastifyReplyLike;
  send(payload: string): FastifyReplyLike;
  callNotFound(): void;
}

/**
 * The parts of a Fastify instance the plugin uses. Fastify 4 and 5 instances both fit, so
 * the declarations name no version of Fastify's own types (and cost a shop's compiler nothing).
 */
export interface FastifyInstanceLike {
  readonly prefix: string;
  removeAllContentTypeParsers(): unknown;
  addContentTypeParser(
    contentType: string,
    // biome-ignore lint/suspicious/noExplicitAny: Fastify's request and payload types differ by major.
    parser: (request: any, payload: any, done: (error: Error | null, body?: unknown) => void) => void,
  ): unknown;
  route(options: {
    method: Method[];
    url: string;
    exposeHeadRoute: boolean;
    handler: (request: FastifyRequestLike, reply: FastifyReplyLike) => Promise<unknown>;
  }): unknown;
}

/** The methods paymount answers itself (405 with Allow for the wrong one, HEAD and OPTIONS included). */
const METHODS: Method[] = ['GET', 'HEAD', 'POST', 'PUT', 'DELETE', 'PATCH', 'OPTIONS'];

/**
 * A Fastify 4/5 plugin that serves a paymount handler — the payments routes (checkout,
 * callback, return, status), or any handler with core's HTTP contract — below `prefix`:
 *
 * ```ts
 * await app.register(paymount, { payments, prefix: '/pay' });
 * ```
 *
 * It stays encapsulated (no `fastify-plugin`): inside its own context it drops every
 * content-type parser it inherited and leaves bodies unread, so paymount reads the exact
 * bytes of a provider callback itself, with its own size limit (`maxBodyBytes`), and only
 * for routes that take a body; the shop's own parsers and routes are untouched. The
 * client address is `request.ip`, so it follows Fastify's `trustProxy` and nothing else.
 * `loadOrder` receives Fastify's `request` as `context.request.frameworkRequest`.
 *
 * Paths below `prefix` that are not paymount's go to Fastify's not-found handling (a
 * route of the shop's own there, like `/pay/help`, wins over paymount's wildcard).
 * paymount answers its own errors itself; they reach the shop's error handler only with
 * `browserErrors: 'framework'`.
 */
export async function paymount(app: FastifyInstanceLike, options: PaymountFastifyOptions): Promise<void> {
  const handler = options.payments;
  const { logger } = handler;
  // This context's full prefix, its parents' included, may hold `:params`: paymount's path is
  // what follows as many segments of the request's path as the prefix has.
  const depth = app.prefix.split('/').length;
  app.removeAllContentTypeParsers();
  // Every content type, none parsed: core reads the raw stream, or refuses it, itself.
  app.addContentTypeParser('*', (_request, _payload, done) => done(null, undefined));

  const serve = async (request: FastifyRequestLike, reply: FastifyReplyLike): Promise<unknown> => {
    const { path: full, rawQuery } = splitUrl(request.url);
    const path = `/${full.split('/').slice(depth).join('/')}`;
    const matched: RouteMatch | undefined = handler.match(request.method, path);
    if (!matched) return reply.callNotFound();
    const details = { path, rawQuery, ip: request.ip, frameworkRequest: request };
    const response = await handleNodeRequest(handler, request.raw, details, matched);
    // `browserErrors: 'framework'`: the shop's error handler renders a buyer's error.
    if (response?.forwardError) throw response.forwardError;
    const writable = writableResponse(response ?? internalErrorResponse(), logger);
    return reply.code(writable.status).headers(writable.headers).send(writable.body);
  };
  app.route({ method: METHODS, url: '/*', exposeHeadRoute: false, handler: serve });
}
