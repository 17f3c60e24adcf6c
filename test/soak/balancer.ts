// The load balancer in front of the soak's two shop instances, doing what a plain one does:
// round robin, and a request whose connection was refused (an instance that is down) goes
// to the next instance. A request that reached an instance which then died is not sent
// again: the client gets 502, as from nginx for a POST, and retries if it wants to.
import { createServer, type IncomingMessage, request, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface Balancer {
  /** `http://127.0.0.1:{port}`. */
  readonly url: string;
  /** Sets the backends' base URLs (an instance restarted elsewhere, or the same one again). */
  setBackends(urls: readonly string[]): void;
  close(): Promise<void>;
}

function readBody(req: IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => resolve(Buffer.concat(chunks)));
    req.on('error', reject);
  });
}

/** Forwards one request; rejects with the error when the backend refused the connection. */
function forward(backend: string, req: IncomingMessage, body: Buffer, res: ServerResponse): Promise<void> {
  return new Promise((resolve, reject) => {
    const target = new URL(req.url ?? '/', backend);
    const upstream = request(
      target,
      { method: req.method, headers: { ...req.headers, host: target.host }, agent: false, timeout: 30_000 },
      (answer) => {
        res.writeHead(answer.statusCode ?? 502, answer.headers);
        answer.pipe(res);
        answer.on('end', resolve);
        answer.on('error', () => {
          res.destroy();
          resolve();
        });
      },
    );
    upstream.on('timeout', () => upstream.destroy(new Error('upstream timeout')));
    upstream.on('error', (error: NodeJS.ErrnoException) => {
      if (error.code === 'ECONNREFUSED') reject(error);
      else if (!res.headersSent) {
        res.writeHead(502, { 'content-type': 'text/plain' });
        res.end('bad_gateway: the instance went away');
        resolve();
      } else {
        res.destroy();
        resolve();
      }
    });
    upstream.end(body);
  });
}

/** Starts the balancer on a free port of 127.0.0.1. */
export async function startBalancer(initial: readonly string[]): Promise<Balancer> {
  let backends = [...initial];
  let next = 0;
  const server: Server = createServer((req, res) => {
    void (async () => {
      const body = await readBody(req);
      const order = backends.map((_, i) => backends[(next + i) % backends.length]!);
      next = (next + 1) % Math.max(1, backends.length);
      for (const backend of order) {
        try {
          await forward(backend, req, body, res);
          return;
        } catch {
          // Refused: that instance is down; try the next one.
        }
      }
      res.writeHead(502, { 'content-type': 'text/plain' });
      res.end('bad_gateway: no instance is up');
    })().catch(() => res.destroy());
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    setBackends(urls) {
      backends = [...urls];
    },
    close: () =>
      new Promise((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
