import http from 'node:http';
import type { AddressInfo } from 'node:net';

/** An answer as the client received it. */
export interface Reply {
  readonly status: number;
  readonly headers: http.IncomingHttpHeaders;
  readonly text: string;
}

/** A loopback server for one listener; `close()` ends open connections too. */
export interface Served {
  readonly url: string;
  close(): Promise<void>;
}

export async function serve(listener: http.RequestListener): Promise<Served> {
  const server = http.createServer(listener);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/**
 * Sends one request with the path exactly as given (no URL parser in between, so
 * `%69`, `..` and trailing slashes reach the server as written).
 */
export function send(
  base: string,
  method: string,
  path: string,
  options: { headers?: Record<string, string>; body?: string | Buffer } = {},
): Promise<Reply> {
  const { hostname, port } = new URL(base);
  return new Promise((resolve, reject) => {
    const req = http.request(
      { hostname, port, method, path, headers: { connection: 'close', ...options.headers } },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('end', () =>
          resolve({
            status: res.statusCode ?? 0,
            headers: res.headers,
            text: Buffer.concat(chunks).toString(),
          }),
        );
        res.on('error', reject);
      },
    );
    req.on('error', reject);
    req.end(options.body);
  });
}

/** The error code of a paymount JSON error answer, or null when the answer is something else. */
export function errorCode(reply: Reply): string | null {
  if (!String(reply.headers['content-type'] ?? '').includes('application/json')) return null;
  try {
    const code = (JSON.parse(reply.text) as { error?: { code?: unknown } }).error?.code;
    return typeof code === 'string' ? code : null;
  } catch {
    return null;
  }
}

/**
 * Records every unhandled rejection and uncaught exception while a suite runs: the
 * ways a Node shop process dies. `stop()` removes the listeners.
 */
export function watchCrashes(): { readonly crashes: unknown[]; stop(): void } {
  const crashes: unknown[] = [];
  const record = (error: unknown): void => void crashes.push(error);
  process.on('unhandledRejection', record);
  process.on('uncaughtException', record);
  return {
    crashes,
    stop() {
      process.off('unhandledRejection', record);
      process.off('uncaughtException', record);
    },
  };
}
