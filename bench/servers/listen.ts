import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * Tells the bench runner (our parent process) which port the server under test took, and
 * the port of a second server that answers this process's CPU time used so far (µs): the
 * runner reads it around each sample, for the CPU each request cost.
 */
export function announce(server: Server): void {
  const cpu = createServer((_req, res) => {
    const used = process.cpuUsage();
    res.end(JSON.stringify({ cpuUs: used.user + used.system }));
  });
  server.on('listening', () => {
    const { port } = server.address() as AddressInfo;
    cpu.listen(0, '127.0.0.1', () => {
      const cpuPort = (cpu.address() as AddressInfo).port;
      process.stdout.write(`${JSON.stringify({ port, cpuPort })}\n`);
    });
  });
  const stop = (): void => {
    server.close();
    cpu.close();
    process.exit(0);
  };
  process.on('SIGTERM', stop);
  process.on('SIGINT', stop);
}

/** Reads `--name=value` arguments. */
export function arg(name: string, fallback?: string): string {
  const prefix = `--${name}=`;
  const found = process.argv.find((a) => a.startsWith(prefix));
  if (found) return found.slice(prefix.length);
  if (fallback !== undefined) return fallback;
  throw new Error(`missing --${name}=…`);
}
