import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Payments } from '@paymount/core';
import { handleNodeRequest, splitUrl, writeNodeResponse } from '@paymount/core/node';

/** A loopback server that serves paymount under `/pay`, the way a framework adapter would. */
export interface PlainShop {
  readonly server: Server;
  /** `http://127.0.0.1:PORT` */
  readonly base: string;
  /** paymount's `publicUrl`: `{base}/pay`. */
  readonly publicUrl: string;
  /** Hands the server its engine; `publicUrl` must be known before the engine exists. */
  attach(payments: Payments): void;
  close(): Promise<void>;
}

/**
 * Starts a framework-free shop on port 0. Paths outside `/pay/` (and any request before
 * `attach`) answer 404 `shop page`. With `trustProxy`, the client address is the last
 * X-Forwarded-For hop, as an adapter behind a trusted proxy resolves it.
 */
export async function startPlainShop(options: { trustProxy?: boolean } = {}): Promise<PlainShop> {
  let payments: Payments | undefined;
  const notFound = (res: import('node:http').ServerResponse): void => {
    res.statusCode = 404;
    res.end('shop page');
  };
  const server = createServer((req, res) => {
    const { path, rawQuery } = splitUrl(req.url ?? '/');
    if (!payments || !path.startsWith('/pay/')) return notFound(res);
    const forwarded = req.headers['x-forwarded-for'];
    const ip =
      options.trustProxy && typeof forwarded === 'string'
        ? forwarded.split(',').at(-1)!.trim()
        : req.socket.remoteAddress;
    // handleNodeRequest never rejects: failures come back as paymount's JSON errors.
    void handleNodeRequest(payments, req, { path: path.slice(4), rawQuery, ip }).then((response) => {
      if (response) writeNodeResponse(res, response);
      else notFound(res);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    server,
    base,
    publicUrl: `${base}/pay`,
    attach(p) {
      payments = p;
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
